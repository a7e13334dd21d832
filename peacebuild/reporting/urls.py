from django.urls import path

from . import views

app_name = "reporting"
urlpatterns = [
    path("", views.report_list, name="list"),
    path("new/", views.report_create, name="create"),
    path("<id:pk>/", views.report_detail, name="detail"),
    path("<id:pk>/edit/", views.report_edit, name="edit"),
    path("<id:pk>/sections/<id:section_pk>/", views.section_edit, name="section_edit"),
    path("<id:pk>/sections/<id:section_pk>/preview/", views.section_preview,
         name="section_preview"),
    path("<id:pk>/approve/", views.report_approve, name="approve"),
    path("<id:pk>/reopen/", views.report_reopen, name="reopen"),
    path("<id:pk>/issue/", views.report_issue, name="issue"),
    path("<id:pk>/render/", views.render_start, name="render"),
    path("jobs/<id:pk>/", views.job_status, name="job"),
    path("jobs/<id:pk>/download/", views.job_download, name="download"),
]

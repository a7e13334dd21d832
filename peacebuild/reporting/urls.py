from django.urls import path

from . import views

app_name = "reporting"
urlpatterns = [
    path("", views.report_list, name="list"),
    path("new/", views.report_create, name="create"),
    path("<int:pk>/", views.report_detail, name="detail"),
    path("<int:pk>/edit/", views.report_edit, name="edit"),
    path("<int:pk>/sections/<int:section_pk>/", views.section_edit, name="section_edit"),
    path("<int:pk>/sections/<int:section_pk>/preview/", views.section_preview,
         name="section_preview"),
    path("<int:pk>/approve/", views.report_approve, name="approve"),
    path("<int:pk>/reopen/", views.report_reopen, name="reopen"),
    path("<int:pk>/issue/", views.report_issue, name="issue"),
    path("<int:pk>/render/", views.render_start, name="render"),
    path("jobs/<int:pk>/", views.job_status, name="job"),
    path("jobs/<int:pk>/download/", views.job_download, name="download"),
]

from django.urls import path

from . import views

app_name = "iati"
urlpatterns = [
    path("", views.iati_home, name="home"),
    path("export/", views.iati_export, name="export"),
    path("upload/", views.iati_upload, name="upload"),
    path("jobs/<id:pk>/", views.iati_job, name="job"),
    path("jobs/<id:pk>/commit/", views.iati_commit, name="commit"),
    path("jobs/<id:pk>/download/", views.iati_download, name="download"),
]

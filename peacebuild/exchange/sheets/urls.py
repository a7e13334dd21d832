from django.urls import path

from . import views

app_name = "sheets"

urlpatterns = [
    path("import/", views.import_page, name="import"),
    path("import/template.xlsx", views.template_xlsx, name="template"),
    path("import/template.csv", views.template_csv, name="template_csv"),
    path("jobs/<id:pk>/", views.job_page, name="job"),
    path("jobs/<id:pk>/import/", views.commit, name="import_create"),
    path("jobs/<id:pk>/download/", views.download, name="download"),
    path("export/", views.exports, name="exports"),
    path("export/start/", views.export_start, name="export_start"),
]

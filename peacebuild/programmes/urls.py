from django.urls import path

from . import views

app_name = "programmes"

urlpatterns = [
    path("", views.dashboard, name="dashboard"),
    path("programme/<id:pk>/", views.programme_dashboard, name="programme"),
    path("download/", views.download, name="download"),
    path("human-rights/", views.human_rights, name="human_rights"),
    path("framework/", views.framework, name="framework"),
    path("programme/<id:pk>/outcomes/new/", views.outcome_create, name="outcome_create"),
    path("outcomes/<id:pk>/edit/", views.outcome_edit, name="outcome_edit"),
    path("outcomes/<id:pk>/outputs/new/", views.output_create, name="output_create"),
    path("outputs/<id:pk>/edit/", views.output_edit, name="output_edit"),
    path("outputs/<id:pk>/indicators/new/", views.indicator_create, name="indicator_create"),
    path("indicators/<id:pk>/", views.indicator_detail, name="indicator"),
    path("indicators/<id:pk>/edit/", views.indicator_edit, name="indicator_edit"),
    path("indicators/<id:pk>/targets/new/", views.target_create, name="target_create"),
    path("indicators/<id:pk>/actuals/new/", views.actual_create, name="actual_create"),
    path("targets/<id:pk>/delete/", views.target_delete, name="target_delete"),
    path("actuals/<id:pk>/delete/", views.actual_delete, name="actual_delete"),
    path("benchmarks/new/", views.benchmark_create, name="benchmark_create"),
    path("benchmarks/<id:pk>/edit/", views.benchmark_edit, name="benchmark_edit"),
    path("benchmarks/<id:pk>/assess/", views.assessment_create, name="assessment_create"),
]

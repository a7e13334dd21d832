from django.urls import path

from . import views

app_name = "programmes"

urlpatterns = [
    path("", views.dashboard, name="dashboard"),
    path("programme/<int:pk>/", views.programme_dashboard, name="programme"),
    path("download/", views.download, name="download"),
    path("framework/", views.framework, name="framework"),
    path("programme/<int:pk>/outcomes/new/", views.outcome_create, name="outcome_create"),
    path("outcomes/<int:pk>/edit/", views.outcome_edit, name="outcome_edit"),
    path("outcomes/<int:pk>/outputs/new/", views.output_create, name="output_create"),
    path("outputs/<int:pk>/edit/", views.output_edit, name="output_edit"),
    path("outputs/<int:pk>/indicators/new/", views.indicator_create, name="indicator_create"),
    path("indicators/<int:pk>/", views.indicator_detail, name="indicator"),
    path("indicators/<int:pk>/edit/", views.indicator_edit, name="indicator_edit"),
    path("indicators/<int:pk>/targets/new/", views.target_create, name="target_create"),
    path("indicators/<int:pk>/actuals/new/", views.actual_create, name="actual_create"),
    path("targets/<int:pk>/delete/", views.target_delete, name="target_delete"),
    path("actuals/<int:pk>/delete/", views.actual_delete, name="actual_delete"),
    path("benchmarks/new/", views.benchmark_create, name="benchmark_create"),
    path("benchmarks/<int:pk>/edit/", views.benchmark_edit, name="benchmark_edit"),
    path("benchmarks/<int:pk>/assess/", views.assessment_create, name="assessment_create"),
]

"""The API's addresses, under /api/: one router for the records, the figures, the OpenAPI
schema and its browsable page (Swagger UI from drf-spectacular-sidecar's static files)."""

from django.urls import path
from drf_spectacular.views import SpectacularAPIView, SpectacularSwaggerView
from rest_framework.routers import SimpleRouter

from . import views

app_name = "api"

router = SimpleRouter()
for prefix, viewset, basename in [
    ("offices", views.Offices, "office"),
    ("places", views.Places, "place"),
    ("documents", views.Documents, "document"),
    ("mandate-periods", views.Periods, "period"),
    ("partners", views.Organisations, "partner"),
    ("groups", views.Groups, "group"),
    ("meetings", views.Meetings, "meeting"),
    ("action-points", views.ActionPoints, "action"),
    ("programmes", views.Programmes, "programme"),
    ("outcomes", views.Outcomes, "outcome"),
    ("outputs", views.Outputs, "output"),
    ("indicators", views.Indicators, "indicator"),
    ("targets", views.Targets, "target"),
    ("actuals", views.Actuals, "actual"),
    ("benchmarks", views.Benchmarks, "benchmark"),
    ("assessments", views.Assessments, "assessment"),
    ("activities", views.Activities, "activity"),
    ("centres", views.Centres, "centre"),
]:
    router.register(prefix, viewset, basename=basename)

urlpatterns = [
    *router.urls,
    path("figures/", views.Figures.as_view(), name="figures"),
    path("schema/", SpectacularAPIView.as_view(), name="schema"),
    path("docs/", SpectacularSwaggerView.as_view(url_name="api:schema"), name="docs"),
]

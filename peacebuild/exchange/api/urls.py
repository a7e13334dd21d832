"""The API's addresses, under /api/: one router for the records, the figures, the OpenAPI
schema and its browsable page (Swagger UI from drf-spectacular-sidecar's static files)."""

from typing import Any, ClassVar

from django.urls import path, re_path
from django.utils.translation import get_language
from drf_spectacular.views import SpectacularAPIView, SpectacularSwaggerSplitView
from rest_framework.response import Response
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



class Schema(SpectacularAPIView):
    """The schema, generated once per process and language (it changes only with the code)."""

    cache: ClassVar[dict[tuple[str, bool], Any]] = {}

    def _get_schema_response(self, request: Any) -> Any:
        key = (get_language() or "", bool(self.custom_settings))
        if key not in self.cache:
            self.cache[key] = super()._get_schema_response(request).data
        return Response(data=self.cache[key], headers={
            "Content-Disposition": 'inline; filename="peacebuild-api.yaml"'})


urlpatterns = [
    *router.urls,
    path("figures/", views.Figures.as_view(), name="figures"),
    path("schema/", Schema.as_view(), name="schema"),
    # The split view serves its start-up script as a file: the CSP allows no inline script.
    path("docs/", SpectacularSwaggerSplitView.as_view(url_name="api:schema"), name="docs"),
    re_path(r"", views.NoSuchEndpoint.as_view()),  # last: a JSON 404 for anything else
]

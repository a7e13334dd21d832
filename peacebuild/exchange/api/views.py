"""The endpoints: each lists through the app's reads, reaches one record through the app's
access function and writes through the app's service, as the pages do."""

from typing import Any, cast

from django.core.exceptions import ValidationError
from django.db.models import Prefetch, QuerySet
from django.http import Http404
from django.utils.dateparse import parse_date
from django.utils.translation import gettext as _
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import serializers
from rest_framework.exceptions import NotFound
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from peacebuild.accounts.permissions import get_for_user
from peacebuild.accounts.roles import Can
from peacebuild.activities import services as activities
from peacebuild.activities.models import Activity, Attendance, Centre
from peacebuild.activities.permissions import get_activity_for_user, get_centre_for_user
from peacebuild.activities.queries import ActivityFilter, activities_page, filter_activities
from peacebuild.activities.services import Cell, activity_snapshot
from peacebuild.figures import engine as figures
from peacebuild.lib.ids import parse_id
from peacebuild.mandates import services as mandates
from peacebuild.mandates.models import Document, MandatePeriod, Office
from peacebuild.mandates.permissions import get_document_for_user, get_period_for_user
from peacebuild.partners import services as partners
from peacebuild.partners.models import ActionPoint, Group, GroupMeeting, Organisation
from peacebuild.partners.permissions import (
    get_action_for_user,
    get_group_for_user,
    get_meeting_for_user,
    get_organisation_for_user,
)
from peacebuild.places.models import Place
from peacebuild.programmes import services as results
from peacebuild.programmes.models import (
    Actual,
    Assessment,
    Benchmark,
    Indicator,
    Outcome,
    Output,
    Programme,
    Target,
)
from peacebuild.programmes.permissions import (
    get_actual_for_user,
    get_benchmark_for_user,
    get_indicator_for_user,
    get_outcome_for_user,
    get_output_for_user,
    get_programme_for_user,
    get_target_for_user,
)

from . import serializers as s
from .base import Create, Destroy, OfficeViewSet, Update, page_limit

INDICATOR_OFFICE = "output__outcome__programme__office"


class Offices(OfficeViewSet):
    """The token's office (a token works in one office)."""

    serializer_class = s.OfficeSerializer
    queryset = Office.objects.none()

    @staticmethod
    def access(request: Any, pk: Any, write: bool = False) -> Office:
        if pk != request.office.pk:
            raise Http404
        return cast(Office, request.office)

    def rows(self, office: Office) -> QuerySet[Office]:
        return Office.objects.filter(pk=office.pk)


class Places(OfficeViewSet):
    """The place hierarchy (country → region → district), shared by every office."""

    serializer_class = s.PlaceSerializer
    queryset = Place.objects.none()

    @staticmethod
    def access(request: Any, pk: Any, write: bool = False) -> Place:
        try:
            return Place.objects.get(pk=pk)
        except Place.DoesNotExist as exc:
            raise Http404 from exc

    def rows(self, office: Office) -> QuerySet[Place]:
        return Place.objects.all()


class Documents(Create, Update):
    """UN documents of the office (letters, resolutions, reports): read; heads of office and
    programme officers add and change them."""

    serializer_class = s.DocumentSerializer
    queryset = Document.objects.none()
    access = staticmethod(get_document_for_user)
    write_capability = Can.EDIT_REFERENCE

    def rows(self, office: Office) -> QuerySet[Document]:
        return Document.objects.filter(office=office)

    def save(self, obj: Document, data: dict[str, Any], version: str | None) -> Document:
        return mandates.document_save(actor=self.request.user, document=obj, version=version)


class Periods(Create, Update):
    """The office's mandate periods as proposed and decided: read; heads of office add and
    change them."""

    serializer_class = s.PeriodSerializer
    queryset = MandatePeriod.objects.none()
    access = staticmethod(get_period_for_user)
    write_capability = Can.EDIT_MANDATE

    def rows(self, office: Office) -> QuerySet[MandatePeriod]:
        return MandatePeriod.objects.filter(office=office)

    def save(self, obj: MandatePeriod, data: dict[str, Any], version: str | None
             ) -> MandatePeriod:
        return mandates.period_save(actor=self.request.user, period=obj, version=version)


class Organisations(Create, Update):
    """Partner organisations: read; heads of office and programme officers add and change them."""

    serializer_class = s.OrganisationSerializer
    queryset = Organisation.objects.none()
    access = staticmethod(get_organisation_for_user)
    write_capability = Can.EDIT_REFERENCE

    def rows(self, office: Office) -> QuerySet[Organisation]:
        return Organisation.objects.filter(office=office)

    def save(self, obj: Organisation, data: dict[str, Any], version: str | None
             ) -> Organisation:
        return partners.organisation_save(actor=self.request.user, organisation=obj,
                                          version=version)


class Groups(Create, Update):
    """Coordination groups and their members: read; coordinators add and change them."""

    serializer_class = s.GroupSerializer
    queryset = Group.objects.none()
    access = staticmethod(get_group_for_user)
    write_capability = Can.COORDINATE

    def rows(self, office: Office) -> QuerySet[Group]:
        return Group.objects.filter(office=office).prefetch_related("members")

    def save(self, obj: Group, data: dict[str, Any], version: str | None) -> Group:
        return partners.group_save(actor=self.request.user, group=obj, version=version)


class Meetings(Create, Update):
    """Meetings of the coordination groups, with who attended: read; coordinators record and
    change them."""

    serializer_class = s.MeetingSerializer
    update_serializer_class = s.MeetingUpdateSerializer
    queryset = GroupMeeting.objects.none()
    access = staticmethod(get_meeting_for_user)
    write_capability = Can.COORDINATE

    def rows(self, office: Office) -> QuerySet[GroupMeeting]:
        return GroupMeeting.objects.filter(group__office=office).prefetch_related("attended")

    def save(self, obj: GroupMeeting, data: dict[str, Any], version: str | None
             ) -> GroupMeeting:
        return partners.meeting_save(actor=self.request.user, meeting=obj,
                                     attended=data.get("attended"), version=version)


class ActionPoints(Create, Update):
    """Action points agreed at meetings: read; coordinators record and change them (closing is
    done on the pages)."""

    serializer_class = s.ActionPointSerializer
    update_serializer_class = s.ActionPointUpdateSerializer
    queryset = ActionPoint.objects.none()
    access = staticmethod(get_action_for_user)
    write_capability = Can.COORDINATE

    def rows(self, office: Office) -> QuerySet[ActionPoint]:
        return ActionPoint.objects.filter(meeting__group__office=office)

    def save(self, obj: ActionPoint, data: dict[str, Any], version: str | None
             ) -> ActionPoint:
        return partners.action_save(actor=self.request.user, action=obj, version=version)


class Programmes(OfficeViewSet):
    """The office's programmes: read only."""

    serializer_class = s.ProgrammeSerializer
    queryset = Programme.objects.none()
    access = staticmethod(get_programme_for_user)

    def rows(self, office: Office) -> QuerySet[Programme]:
        return Programme.objects.filter(office=office)


class Outcomes(Create, Update):
    """Outcomes of the results framework: read; M&E officers add and change them."""

    serializer_class = s.OutcomeSerializer
    update_serializer_class = s.OutcomeUpdateSerializer
    queryset = Outcome.objects.none()
    access = staticmethod(get_outcome_for_user)
    write_capability = Can.EDIT_RESULTS

    def rows(self, office: Office) -> QuerySet[Outcome]:
        return Outcome.objects.filter(programme__office=office)

    def save(self, obj: Outcome, data: dict[str, Any], version: str | None) -> Outcome:
        return results.outcome_save(actor=self.request.user, outcome=obj, version=version)


class Outputs(Create, Update):
    """Outputs under the outcomes: read; M&E officers add and change them."""

    serializer_class = s.OutputSerializer
    update_serializer_class = s.OutputUpdateSerializer
    queryset = Output.objects.none()
    access = staticmethod(get_output_for_user)
    write_capability = Can.EDIT_RESULTS

    def rows(self, office: Office) -> QuerySet[Output]:
        return Output.objects.filter(outcome__programme__office=office)

    def save(self, obj: Output, data: dict[str, Any], version: str | None) -> Output:
        return results.output_save(actor=self.request.user, output=obj, version=version)


class Indicators(Create, Update):
    """Indicators of the outputs, with baselines and rules: read; M&E officers add and change
    them."""

    serializer_class = s.IndicatorSerializer
    update_serializer_class = s.IndicatorUpdateSerializer
    queryset = Indicator.objects.none()
    access = staticmethod(get_indicator_for_user)
    write_capability = Can.EDIT_RESULTS

    def rows(self, office: Office) -> QuerySet[Indicator]:
        return Indicator.objects.filter(output__outcome__programme__office=office)

    def save(self, obj: Indicator, data: dict[str, Any], version: str | None) -> Indicator:
        return results.indicator_save(actor=self.request.user, indicator=obj, version=version)


def _read_target(request: Any, pk: Any, write: bool = False) -> Target:
    return get_target_for_user(request, pk, write=write)


def _read_actual(request: Any, pk: Any, write: bool = False) -> Actual:
    return get_actual_for_user(request, pk, write=write)


class Targets(Create, Destroy):
    """Targets per period; the pages add and delete them (a changed target is a new one)."""

    serializer_class = s.TargetSerializer
    queryset = Target.objects.none()
    access = staticmethod(_read_target)
    write_capability = Can.EDIT_RESULTS

    def rows(self, office: Office) -> QuerySet[Target]:
        return Target.objects.filter(indicator__output__outcome__programme__office=office)

    def save(self, obj: Target, data: dict[str, Any], version: str | None) -> Target:
        return results.target_save(actor=self.request.user, target=obj, version=version)

    def remove(self, obj: Target) -> None:
        results.period_value_delete(actor=self.request.user, instance=obj)


class Actuals(Create, Destroy):
    """Entered actuals per period (computed indicators' actuals come from /figures/)."""

    serializer_class = s.ActualSerializer
    queryset = Actual.objects.none()
    access = staticmethod(_read_actual)
    write_capability = Can.EDIT_RESULTS

    def rows(self, office: Office) -> QuerySet[Actual]:
        return Actual.objects.filter(indicator__output__outcome__programme__office=office)

    def save(self, obj: Actual, data: dict[str, Any], version: str | None) -> Actual:
        return results.actual_save(actor=self.request.user, actual=obj, version=version)

    def remove(self, obj: Actual) -> None:
        results.period_value_delete(actor=self.request.user, instance=obj)


def _benchmark(request: Any, pk: Any, write: bool = False) -> Benchmark:
    return get_benchmark_for_user(request, pk, write=Can.EDIT_RESULTS if write else None)


class Benchmarks(Create, Update):
    """Benchmarks of the mandate: read; M&E officers add and change them."""

    serializer_class = s.BenchmarkSerializer
    queryset = Benchmark.objects.none()
    access = staticmethod(_benchmark)
    write_capability = Can.EDIT_RESULTS

    def rows(self, office: Office) -> QuerySet[Benchmark]:
        return Benchmark.objects.filter(office=office)

    def save(self, obj: Benchmark, data: dict[str, Any], version: str | None) -> Benchmark:
        return results.benchmark_save(actor=self.request.user, benchmark=obj, version=version)


def _assessment(request: Any, pk: Any, write: bool = False) -> Assessment:
    return get_for_user(Assessment.objects.select_related("benchmark__office"), request, pk,
                        office_path="benchmark__office")


class Assessments(Create):
    """Dated assessments of a benchmark, signed by who made them (heads of office)."""

    serializer_class = s.AssessmentSerializer
    queryset = Assessment.objects.none()
    access = staticmethod(_assessment)
    write_capability = Can.APPROVE

    def rows(self, office: Office) -> QuerySet[Assessment]:
        return Assessment.objects.filter(benchmark__office=office)

    def save(self, obj: Assessment, data: dict[str, Any], version: str | None) -> Assessment:
        return results.assessment_add(actor=self.request.user, assessment=obj)


class Centres(Create, Update):
    """Education, resource and documentation centres: read; heads of office and programme
    officers add and change them."""

    serializer_class = s.CentreSerializer
    queryset = Centre.objects.none()
    access = staticmethod(get_centre_for_user)
    write_capability = Can.EDIT_REFERENCE

    def rows(self, office: Office) -> QuerySet[Centre]:
        return Centre.objects.filter(office=office)

    def save(self, obj: Centre, data: dict[str, Any], version: str | None) -> Centre:
        return activities.centre_save(actor=self.request.user, centre=obj, version=version)


FILTER_PARAMETERS = [
    OpenApiParameter(name, kind, description=text) for name, kind, text in [
        ("programme", OpenApiTypes.INT, "Programme id."),
        ("type", OpenApiTypes.INT, "Activity type id."),
        ("category", OpenApiTypes.STR, "Kind of activity (dialogue, training, …)."),
        ("region", OpenApiTypes.INT, "Region (place) id."),
        ("partner", OpenApiTypes.INT, "Partner organisation id."),
        ("date_from", OpenApiTypes.DATE, "Starting on or after this day."),
        ("date_to", OpenApiTypes.DATE, "Starting on or before this day."),
        ("q", OpenApiTypes.STR, "Text in the title or description."),
        ("sex", OpenApiTypes.STR, "Attended by people of this sex (f, m, u)."),
        ("participant_category", OpenApiTypes.STR,
         "Attended by people of this category (teacher, journalist, …)."),
    ]
]


def _cells(data: dict[str, Any]) -> dict[Cell, int] | None:
    if "attendance" not in data:
        return None
    return {Cell(c["category"], c["sex"], c["age_group"]): c["count"]
            for c in data["attendance"]}


class Activities(Create, Update, Destroy):
    """Activities with their attendance breakdown; filtered like the activity list, newest
    first."""

    serializer_class = s.ActivitySerializer
    queryset = Activity.objects.none()
    access = staticmethod(get_activity_for_user)

    def state(self, obj: Any) -> dict[str, Any]:
        return activity_snapshot(obj)
    write_capability = Can.EDIT_ACTIVITIES

    def rows(self, office: Office) -> QuerySet[Activity]:
        return Activity.objects.filter(office=office)

    def page(self, request: Request) -> tuple[list[Any], str | None]:
        flt = ActivityFilter.from_query(request.query_params)
        qs = filter_activities(self.office, flt, for_page=True).prefetch_related(
            "partners", Prefetch("attendance", queryset=Attendance.objects.all()))
        return activities_page(qs, after=request.query_params.get("after") or None,
                               size=page_limit(request))

    @extend_schema(parameters=FILTER_PARAMETERS)
    def list(self, request: Request) -> Response:
        return super().list(request)

    def fresh(self, obj: Any) -> Any:
        return Activity.objects.prefetch_related("partners", "attendance").get(pk=obj.pk)

    def save(self, obj: Activity, data: dict[str, Any], version: str | None) -> Activity:
        cells, partners_ = _cells(data), data.get("partners")
        if obj.pk is None:
            fields = {k: getattr(obj, k) for k in data if k not in ("attendance", "partners")}
            return activities.activity_create(actor=self.request.user, office=self.office,
                                              attendance=cells, partners=partners_, **fields)
        stored = get_activity_for_user(self.django_request, obj.pk, write=True)
        if cells is None:  # kept as stored, and checked against a changed total
            cells = {Cell(a.category, a.sex, a.age_group): a.count
                     for a in stored.attendance.all()}
        fields = {k: v for k, v in data.items() if k not in ("attendance", "partners")}
        return activities.activity_update(actor=self.request.user, activity=stored,
                                          attendance=cells, partners=partners_,
                                          version=version, **fields)

    def new(self, data: dict[str, Any]) -> Any:
        return Activity(**{k: v for k, v in data.items() if k not in ("attendance", "partners")})

    def remove(self, obj: Activity) -> None:
        activities.activity_delete(actor=self.request.user, activity=obj)


# Figures


class FigureSerializer(serializers.Serializer):
    value = serializers.IntegerField(allow_null=True)
    breakdown = serializers.DictField()
    suppressed = serializers.BooleanField()
    records = serializers.CharField(help_text="The page listing the records behind it.")


class FigureResultSerializer(serializers.Serializer):
    measure = serializers.CharField()
    label = serializers.CharField()  # type: ignore[assignment]
    filters = serializers.DictField()
    by = serializers.ListField(child=serializers.CharField())
    source = serializers.CharField()  # type: ignore[assignment]
    total = FigureSerializer()
    rows = FigureSerializer(many=True)


class Figures(APIView):
    """A figure from the figures engine: measure × filters × breakdown, each number with
    its provenance (the filter and breakdown that produced it, the records behind it)."""

    @extend_schema(
        parameters=[
            OpenApiParameter("measure", OpenApiTypes.STR, required=True,
                             enum=sorted(figures.MEASURES),
                             description="What to count."),
            OpenApiParameter("by", OpenApiTypes.STR, description="Breakdown dimensions, "
                             "comma-separated: " + ", ".join(figures.DIMENSIONS) + "."),
            OpenApiParameter("on", OpenApiTypes.DATE, description="For centres_open."),
            OpenApiParameter("group", OpenApiTypes.INT,
                             description="For the coordination measures."),
            *FILTER_PARAMETERS,
        ],
        responses={200: FigureResultSerializer},
    )
    def get(self, request: Request) -> Response:
        office: Office = request._request.office  # type: ignore[attr-defined]
        query = figure_query(request)
        result = figures.compute(office, query)
        base = request.build_absolute_uri("/").rstrip("/")

        def one(figure: figures.Figure) -> dict[str, Any]:
            return {"value": figure.value, "breakdown": {k: _key(v) for k, v in
                                                         figure.breakdown.items()},
                    "suppressed": figure.suppressed, "records": base + figure.records_url}

        return Response({
            "measure": query.measure, "label": str(figures.MEASURES[query.measure]),
            "filters": query.filters.as_query(), "by": list(query.by),
            "source": result.source, "total": one(result.total),
            "rows": [one(row) for row in result.rows],
        })


def _key(value: Any) -> Any:
    return value.isoformat() if hasattr(value, "isoformat") else value


def figure_query(request: Request) -> figures.FigureQuery:
    params = request.query_params
    errors: dict[str, list[str]] = {}
    try:
        flt = ActivityFilter.from_query(params)
    except ValidationError as error:
        errors |= error.message_dict
        flt = ActivityFilter()
    measure = (params.get("measure") or "").strip()
    if not measure:
        errors["measure"] = [_("Say which measure to compute.")]
    by = tuple(d.strip() for d in (params.get("by") or "").split(",") if d.strip())[:5]
    on = None
    if raw := (params.get("on") or "").strip():
        try:
            on = parse_date(raw)
        except ValueError:
            on = None
        if on is None:
            errors["on"] = [_("“%(value)s” is not a date (write YYYY-MM-DD).") % {"value": raw}]
    group = None
    if raw := (params.get("group") or "").strip():
        group = parse_id(raw)
        if group is None:
            errors["group"] = [_("“%(value)s” is not a valid choice.") % {"value": raw}]
    if errors:
        raise ValidationError(errors)
    query = figures.FigureQuery(measure, flt, by, on=on, group=group)
    figures.validate(request._request.office, query)  # type: ignore[attr-defined]
    return query



class NoSuchEndpoint(APIView):
    """Any other address under /api/: a 404 in the API's error shape, not a web page."""

    permission_classes: list[Any] = []
    authentication_classes: list[Any] = []
    throttle_classes: list[Any] = []
    schema = None  # not an operation

    def dispatch(self, request: Any, *args: Any, **kwargs: Any) -> Any:
        self.args, self.kwargs = args, kwargs
        self.request = self.initialize_request(request, *args, **kwargs)
        self.headers = self.default_response_headers
        response = self.handle_exception(NotFound(_("There is no such address in the API.")))
        self.response = self.finalize_response(self.request, response, *args, **kwargs)
        return self.response

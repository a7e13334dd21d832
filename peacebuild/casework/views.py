"""The case pages: the list, a case's page, its forms, the interventions due.

Every page starts from `permissions.visible_events` or `get_event_for_user`: a case the
user may not see is the same 404 as a case that does not exist (and the attempt is in the
trail). Every case page a user opens is in the trail too, with the address it came from.
"""

from __future__ import annotations

import copy
import datetime as dt
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.db import models, transaction
from django.db.models import Count, Max, Prefetch
from django.http import Http404, HttpResponse
from django.shortcuts import render
from django.urls import reverse
from django.utils.translation import gettext as _

from peacebuild.accounts.audit import before_change, client_address
from peacebuild.accounts.permissions import MemberRequest, RoleRequired, may, office_view
from peacebuild.accounts.roles import Can
from peacebuild.lib.ids import parse_id
from peacebuild.mandates.models import Office
from peacebuild.places.models import Place
from peacebuild.ui.formpages import form_page

from . import queries, services
from .forms import (
    ActForm,
    CaseFilterForm,
    EventForm,
    FollowUpForm,
    InformationForm,
    InterventionForm,
    InvolvementForm,
    PersonForm,
)
from .models import (
    Act,
    CaseTeam,
    Event,
    FollowUp,
    Information,
    Intervention,
    Involvement,
    Person,
    TrailEntry,
)
from .permissions import case_officer, get_event_for_user, may_write, visible_events

PAGE_SIZE = 50
READERS_SHOWN = 30


def _denied(request: MemberRequest, pk: Any) -> None:
    """An attempt on a case that exists but is not the user's: in the trail, for its office's
    head. The answer stays the 404 (or 403) it would have been."""
    office = Office.objects.filter(case_events__pk=pk).first()
    if office is not None:
        services.record_denied(actor=request.user, office=office, target=f"event:{pk}",
                               address=client_address(request))


def _event(request: MemberRequest, pk: int, *, write: bool = False) -> Event:
    try:
        return get_event_for_user(request.user, request.office, pk, write=write)
    except (Http404, PermissionDenied):
        _denied(request, pk)
        raise


def _case_officer_only(request: MemberRequest) -> None:
    if not case_officer(request.user, request.office):
        raise RoleRequired(Can.VIEW_CASES)


def _read(request: MemberRequest, event: Event, what: str) -> None:
    services.record_read(actor=request.user, event=event, address=client_address(request),
                         what=what)


# The list


@office_view()
def case_list(request: MemberRequest) -> HttpResponse:
    if case_officer(request.user, request.office):
        return _team_cases(request)
    if may(request, Can.CASE_SUMMARIES):
        return _summaries(request)
    raise RoleRequired(Can.VIEW_CASES)


def _team_cases(request: MemberRequest) -> HttpResponse:
    office = request.office
    form = CaseFilterForm(request.GET or None, office=office)
    events = visible_events(request.user, office).select_related("region", "team")
    flt: dict[str, Any] = form.cleaned_data if form.is_valid() else {}
    if flt.get("status"):
        events = events.filter(status=flt["status"])
    if flt.get("confidentiality"):
        events = events.filter(confidentiality=flt["confidentiality"])
    if flt.get("region"):
        events = events.filter(region=flt["region"])
    if flt.get("date_from"):
        events = events.filter(started_on__gte=flt["date_from"])
    if flt.get("date_to"):
        events = events.filter(started_on__lte=flt["date_to"])
    if flt.get("violation"):
        events = events.filter(acts__violation=flt["violation"]).distinct()
    rows = list(events.order_by("-started_on", "-pk"))
    query = (flt.get("q") or "").strip()
    if query:
        # Titles are sealed: the search runs here, over the cases the user may open only.
        folded = query.casefold()
        rows = [e for e in rows if folded in e.title.casefold()]
        services.record(actor=request.user, office=office, action=TrailEntry.Action.SEARCH,
                        target="cases", address=client_address(request),
                        detail={"results": len(rows)})
    page = Paginator(rows, PAGE_SIZE).get_page(request.GET.get("page"))
    return render(request, "casework/case_list.html", {
        "form": form,
        "filtered": any(flt.values()),
        "page": page,
        "count": len(rows),
        "facets": _facets(rows),
        "can_record": _writable_teams(request).exists(),
        "any_case": bool(rows) or visible_events(request.user, office).exists(),
        "crumbs": [(_("Cases"), None)],
    })


@dataclass(frozen=True)
class Facet:
    label: str
    values: list[tuple[str, int]]  # (label, count), most first


def _facets(rows: list[Event]) -> list[Facet]:
    """How the cases listed divide, by status, violation and region: counted over the
    listed cases only, which are the user's own."""
    statuses = Counter(e.get_status_display() for e in rows)
    regions = Counter(e.region.localized_name if e.region else _("no region") for e in rows)
    labels = dict(Act.Violation.choices)
    kinds: Counter[str] = Counter()
    for _event_id, violation in (Act.objects.filter(event__in=[e.pk for e in rows])
                                 .values_list("event_id", "violation").distinct()):
        kinds[str(labels.get(violation, violation))] += 1
    return [Facet(_("Status"), statuses.most_common()),
            Facet(_("Violation"), kinds.most_common()),
            Facet(_("Region"), regions.most_common())]


def _summaries(request: MemberRequest) -> HttpResponse:
    office = request.office
    summaries = queries.case_summaries(request.user, office)
    regions = {p.code: p.localized_name for p in
               Place.objects.filter(level=Place.Level.REGION, parent__code=office.country)}
    violations, statuses = dict(Act.Violation.choices), dict(Event.Status.choices)
    rows = [{"summary": s, "region": regions.get(s.region, s.region),
             "violations": [violations.get(v, v) for v in s.violations],
             "status": statuses.get(s.status, s.status)} for s in summaries]
    page = Paginator(rows, PAGE_SIZE).get_page(request.GET.get("page"))
    return render(request, "casework/case_summaries.html", {
        "page": page, "count": len(rows), "crumbs": [(_("Cases"), None)]})


# One case


@dataclass(frozen=True)
class Moment:
    """One line of a case's timeline."""

    day: dt.date | None
    kind: str  # event, act, information, intervention, due, follow_up
    record: Any
    order: int


KIND_ORDER = {"event": 0, "act": 1, "information": 2, "intervention": 3, "due": 4,
              "follow_up": 5, "event_end": 6}


def _timeline(event: Event, acts: list[Act], information: list[Information],
              interventions: list[Intervention], follow_ups: list[FollowUp]) -> list[Moment]:
    moments = [Moment(event.started_on, "event", event, 0)]
    if event.ended_on and event.ended_on != event.started_on:
        moments.append(Moment(event.ended_on, "event_end", event, 0))
    moments += [Moment(a.happened_on, "act", a, a.pk) for a in acts]
    moments += [Moment(i.received_on, "information", i, i.pk) for i in information]
    moments += [Moment(i.made_on, "intervention", i, i.pk) for i in interventions]
    moments += [Moment(i.follow_up_due, "due", i, i.pk) for i in interventions
                if i.follow_up_due]
    moments += [Moment(f.due_on, "follow_up", f, f.pk) for f in follow_ups]
    # Undated moments (an act whose day is not known) come after the dated ones.
    return sorted(moments, key=lambda m: (m.day is None, m.day or dt.date.max,
                                          KIND_ORDER[m.kind], m.order))


@office_view()
def case_detail(request: MemberRequest, pk: int) -> HttpResponse:
    event = _event(request, pk)
    _read(request, event, "case")
    acts = list(event.acts.select_related("victim").prefetch_related(
        Prefetch("involvements", queryset=Involvement.objects.select_related("perpetrator"))))
    information = list(event.information.select_related("source"))
    interventions = list(event.interventions.select_related("authority", "made_by"))
    follow_ups = list(event.follow_ups.select_related("assignee", "intervention"))
    persons: dict[int, tuple[Person, set[str]]] = {}
    for act in acts:
        persons.setdefault(act.victim.pk, (act.victim, set()))[1].add(_("victim"))
        for inv in act.involvements.all():
            persons.setdefault(inv.perpetrator.pk, (inv.perpetrator, set()))[1].add(
                _("alleged perpetrator"))
    for info in information:
        persons.setdefault(info.source.pk, (info.source, set()))[1].add(_("source"))
    reads = TrailEntry.objects.filter(office_id=event.office_id, target=f"event:{event.pk}",
                                      action=TrailEntry.Action.READ)
    readers = (reads.values("username").annotate(last=Max("at"), times=Count("id"))
               .order_by("-last")[:READERS_SHOWN])
    return render(request, "casework/case_detail.html", {
        "event": event,
        "timeline": _timeline(event, acts, information, interventions, follow_ups),
        "acts": acts,
        "persons": [(p, sorted(roles)) for p, roles in persons.values()],
        "readers": list(readers),
        "reads": reads.count(),
        "can_write": may_write(request.user, event.team),
        "today": request.office.today(),
        "crumbs": [(_("Cases"), reverse("casework:list")), (event.title, None)],
    })


# Forms


def _writable_teams(request: MemberRequest) -> models.QuerySet[CaseTeam]:
    if not case_officer(request.user, request.office):
        return CaseTeam.objects.none()
    return CaseTeam.objects.filter(office=request.office, members__user=request.user.pk,
                                   members__can_write=True).distinct()


def _case_form(request: MemberRequest, *, event: Event | None, instance: models.Model,
               make: Callable[..., Any], save: Callable[[Any], Any], heading: str,
               success: str, done: Callable[[Any], str] | None = None,
               extra: Callable[[Any], dict[str, Any]] | None = None) -> HttpResponse:
    """A case record's form page: the flow of `ui.formpages` (edit version, conflicts,
    the service's errors on the fields), the edit version checked under a row lock in the
    same transaction as the service's save, so nothing is half-saved."""
    editing = instance.pk is not None
    if request.method == "GET" and event is not None:
        _read(request, event, "form")

    def checked(form: Any, version: str | None) -> Any:
        with transaction.atomic():
            if editing:
                before_change(instance, version=version)
            return save(form.instance)

    target = event or getattr(instance, "event", None)
    cancel = (reverse("casework:detail", args=[target.pk]) if target is not None
              else reverse("casework:list"))
    crumbs: list[tuple[str, str | None]] = [(_("Cases"), reverse("casework:list"))]
    if target is not None:
        crumbs.append((target.title, cancel))
    crumbs.append((heading, None))

    def context(form: Any) -> dict[str, Any]:
        return {"heading": heading, "cancel_url": cancel, "crumbs": crumbs, "event": target,
                **(extra(form) if extra else {})}

    return form_page(
        request, instance=instance if editing else None,
        make_form=lambda data, files, inst: make(data, copy.copy(inst or instance)),
        save=checked,
        done=done or (lambda saved: reverse("casework:detail", args=[_event_of(saved).pk])),
        success=success, template="casework/case_form.html", context=context)


def _event_of(record: Any) -> Event:
    if isinstance(record, Event):
        return record
    if isinstance(record, Involvement):
        return record.act.event
    return record.event


def _child(queryset: models.QuerySet[Any], pk: int) -> Any:
    try:
        return queryset.get(pk=pk)
    except queryset.model.DoesNotExist as error:
        raise Http404 from error


@office_view()
def event_create(request: MemberRequest) -> HttpResponse:
    _case_officer_only(request)
    teams = _writable_teams(request)
    if not teams.exists():
        raise PermissionDenied(_("Only the members of a case team who may change its cases "
                                 "can record a case."))
    office = request.office
    return _case_form(
        request, event=None, instance=Event(office=office),
        make=lambda data, inst: EventForm(data, instance=inst, office=office, teams=teams),
        save=lambda record: services.event_save(actor=request.user, event=record),
        heading=_("Record a case"), success=_("The case was recorded."))


@office_view()
def event_edit(request: MemberRequest, pk: int) -> HttpResponse:
    event = _event(request, pk, write=True)
    office = request.office
    return _case_form(
        request, event=event, instance=event,
        make=lambda data, inst: EventForm(data, instance=inst, office=office,
                                          teams=CaseTeam.objects.none()),
        save=lambda record: services.event_save(actor=request.user, event=record),
        heading=_("Edit the case"), success=_("The changes to the case were saved."))


def _person_page(request: MemberRequest, event: Event, person: Person) -> HttpResponse:
    new = person.pk is None
    return _case_form(
        request, event=event, instance=person,
        make=lambda data, inst: PersonForm(data, instance=inst, team=event.team),
        save=lambda record: services.person_save(actor=request.user, person=record),
        heading=_("Record a person") if new else _("Edit a person"),
        success=_("The person was recorded.") if new else _("The changes were saved."),
        done=lambda saved: reverse("casework:detail", args=[event.pk]) + "#persons",
        extra=lambda form: {"already": getattr(form, "already", None)})


@office_view()
def person_create(request: MemberRequest, pk: int) -> HttpResponse:
    event = _event(request, pk, write=True)
    return _person_page(request, event, Person(office=event.office, team=event.team))


@office_view()
def person_edit(request: MemberRequest, pk: int, item: int) -> HttpResponse:
    event = _event(request, pk, write=True)
    return _person_page(request, event, _child(Person.objects.filter(team=event.team), item))


def _act_page(request: MemberRequest, event: Event, act: Act) -> HttpResponse:
    new = act.pk is None
    victim = parse_id(request.GET.get("victim")) if new else None

    def make(data: Any, inst: Act) -> ActForm:
        return ActForm(data, instance=inst, event=event,
                       initial={"victim": victim} if victim else None)

    return _case_form(
        request, event=event, instance=act, make=make,
        save=lambda record: services.act_save(actor=request.user, act=record),
        heading=_("Record an act") if new else _("Edit an act"),
        success=_("The act was recorded.") if new else _("The changes were saved."))


@office_view()
def act_create(request: MemberRequest, pk: int) -> HttpResponse:
    event = _event(request, pk, write=True)
    return _act_page(request, event, Act(event=event))


@office_view()
def act_edit(request: MemberRequest, pk: int, item: int) -> HttpResponse:
    event = _event(request, pk, write=True)
    return _act_page(request, event, _child(event.acts.all(), item))


def _involvement_page(request: MemberRequest, event: Event,
                      involvement: Involvement) -> HttpResponse:
    new = involvement.pk is None
    return _case_form(
        request, event=event, instance=involvement,
        make=lambda data, inst: InvolvementForm(data, instance=inst, event=event),
        save=lambda record: services.involvement_save(actor=request.user, involvement=record),
        heading=_("Name an alleged perpetrator") if new else _("Edit an involvement"),
        success=_("The alleged perpetrator was named.") if new else _("The changes were saved."))


@office_view()
def involvement_create(request: MemberRequest, pk: int, item: int) -> HttpResponse:
    event = _event(request, pk, write=True)
    act = _child(event.acts.select_related("event__team", "event__office"), item)
    return _involvement_page(request, event, Involvement(act=act))


@office_view()
def involvement_edit(request: MemberRequest, pk: int, item: int) -> HttpResponse:
    event = _event(request, pk, write=True)
    return _involvement_page(request, event, _child(
        Involvement.objects.filter(act__event=event).select_related("act__event"), item))


def _information_page(request: MemberRequest, event: Event,
                      information: Information) -> HttpResponse:
    new = information.pk is None
    source = parse_id(request.GET.get("source")) if new else None
    return _case_form(
        request, event=event, instance=information,
        make=lambda data, inst: InformationForm(data, instance=inst, event=event,
                                                initial={"source": source} if source else None),
        save=lambda record: services.information_save(actor=request.user, information=record),
        heading=_("Record a source's information") if new else _("Edit a source's information"),
        success=_("The information was recorded.") if new else _("The changes were saved."))


@office_view()
def information_create(request: MemberRequest, pk: int) -> HttpResponse:
    event = _event(request, pk, write=True)
    return _information_page(request, event, Information(event=event))


@office_view()
def information_edit(request: MemberRequest, pk: int, item: int) -> HttpResponse:
    event = _event(request, pk, write=True)
    return _information_page(request, event, _child(event.information.all(), item))


def _intervention_page(request: MemberRequest, event: Event,
                       intervention: Intervention) -> HttpResponse:
    new = intervention.pk is None
    return _case_form(
        request, event=event, instance=intervention,
        make=lambda data, inst: InterventionForm(data, instance=inst, event=event),
        save=lambda record: services.intervention_save(actor=request.user,
                                                       intervention=record),
        heading=_("Record an intervention") if new else _("Edit an intervention"),
        success=_("The intervention was recorded.") if new else _("The changes were saved."))


@office_view()
def intervention_create(request: MemberRequest, pk: int) -> HttpResponse:
    event = _event(request, pk, write=True)
    return _intervention_page(request, event, Intervention(event=event))


@office_view()
def intervention_edit(request: MemberRequest, pk: int, item: int) -> HttpResponse:
    event = _event(request, pk, write=True)
    return _intervention_page(request, event, _child(event.interventions.all(), item))


def _follow_up_page(request: MemberRequest, event: Event, follow_up: FollowUp) -> HttpResponse:
    new = follow_up.pk is None

    def make(data: Any, inst: FollowUp) -> FollowUpForm:
        return FollowUpForm(data, instance=inst, event=event,
                            initial={"assignee": request.user.pk} if new else None)

    return _case_form(
        request, event=event, instance=follow_up, make=make,
        save=lambda record: services.follow_up_save(actor=request.user, follow_up=record),
        heading=_("Add a follow-up") if new else _("Edit a follow-up"),
        success=_("The follow-up was added.") if new else _("The changes were saved."))


@office_view()
def follow_up_create(request: MemberRequest, pk: int) -> HttpResponse:
    event = _event(request, pk, write=True)
    return _follow_up_page(request, event, FollowUp(event=event))


@office_view()
def follow_up_edit(request: MemberRequest, pk: int, item: int) -> HttpResponse:
    event = _event(request, pk, write=True)
    return _follow_up_page(request, event, _child(event.follow_ups.all(), item))


# What is due


@office_view()
def due(request: MemberRequest) -> HttpResponse:
    _case_officer_only(request)
    office = request.office
    today = office.today()
    return render(request, "casework/due.html", {
        "interventions": list(queries.interventions_due(request.user, office, today)),
        "follow_ups": list(queries.follow_ups_for(request.user, office)),
        "today": today,
        "crumbs": [(_("Cases"), reverse("casework:list")), (_("Due"), None)],
    })

"""No input gives a server error, and a refused write leaves nothing behind.

Hypothesis throws arbitrary query strings at every GET page and export of the URL conf and
arbitrary values at every field of every form those pages show, each page as the first
demo user who may open it (head of office, programme officer, M&E officer). A new page is
covered as soon as it is in the URL conf: a URL with an id in it fails
`test_every_object_url_has_objects` until `OBJECTS` says which records of the demo office
fill it.

The client raises the view's own exception (raise_request_exception), so a failure shows
the real traceback, not just "500".
"""

import datetime as dt
import re
from collections.abc import Callable, Iterator
from typing import Any

import pytest
from django import forms
from django.apps import apps
from django.db import transaction
from django.forms.models import model_to_dict
from django.test import Client
from django.urls import URLPattern, URLResolver, get_resolver, reverse
from django.utils import timezone
from django.utils.html import escape
from django.utils.http import urlencode
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from peacebuild.accounts.models import AuditEntry, User
from peacebuild.accounts.permissions import SYSTEM
from peacebuild.activities.models import Activity, Centre
from peacebuild.casework import services as casework
from peacebuild.casework.models import (
    Act,
    Attachment,
    CaseExport,
    CaseTeam,
    CaseTeamMember,
    Event,
    FollowUp,
    Information,
    Intervention,
    Involvement,
    Person,
)
from peacebuild.demo.loader import load_demo
from peacebuild.exchange.models import Job
from peacebuild.mandates.models import Document, MandatePeriod, Office
from peacebuild.partners.models import (
    ActionPoint,
    Group,
    GroupMeeting,
    GroupMember,
    Organisation,
)
from peacebuild.programmes.models import (
    Actual,
    Benchmark,
    Indicator,
    Outcome,
    Output,
    Programme,
    Target,
)
from peacebuild.reporting.models import RenderJob, Report

# The API ("api:") answers tokens, not sessions, and has its own fuzzing:
# tests/test_api_schemathesis.py generates requests from its OpenAPI schema (odd query
# strings, bodies and ids included) and checks every answer against the schema.
EXEMPT_NAMESPACES = {"admin", "api"}
EXEMPT_NAMES = {"login", "logout", "set_language"}

# Which records of the office fill a URL's ids. Every URL with an id must be here.
Finder = Callable[[Office], Any]
OBJECTS: dict[str, Finder] = {
    **{f"casework:{name}": lambda o: Event.objects.filter(office=o)
       for name in ["detail", "event_edit", "person_create", "act_create",
                    "information_create", "intervention_create", "follow_up_create"]},
    # The case pages of one record of a case: the record (its case fills `pk`).
    "casework:person_edit": lambda o: Person.objects.filter(office=o, acts_suffered__isnull=False),
    "casework:act_edit": lambda o: Act.objects.filter(event__office=o),
    "casework:involvement_create": lambda o: Act.objects.filter(event__office=o),
    "casework:involvement_edit": lambda o: Involvement.objects.filter(act__event__office=o),
    "casework:information_edit": lambda o: Information.objects.filter(event__office=o),
    "casework:intervention_edit": lambda o: Intervention.objects.filter(event__office=o),
    "casework:follow_up_edit": lambda o: FollowUp.objects.filter(event__office=o),
    # Oversight: a case's break-glass and history, the case teams and their members.
    "casework:break_glass": lambda o: Event.objects.filter(office=o),
    "casework:history": lambda o: Event.objects.filter(office=o),
    "casework:team_member_add": lambda o: CaseTeam.objects.filter(office=o),
    "casework:team_member_write": lambda o: CaseTeamMember.objects.filter(team__office=o),
    "casework:team_member_remove": lambda o: CaseTeamMember.objects.filter(team__office=o),
    "accounts:reset_second_factor": lambda o: User.objects.filter(memberships__office=o),
    "accounts:unlock": lambda o: User.objects.filter(memberships__office=o),
    "activities:detail": lambda o: Activity.objects.filter(office=o),
    "activities:edit": lambda o: Activity.objects.filter(office=o),
    "activities:delete": lambda o: Activity.objects.filter(office=o),
    "activities:centre_edit": lambda o: Centre.objects.filter(office=o),
    "mandates:document": lambda o: Document.objects.filter(office=o),
    "mandates:document_edit": lambda o: Document.objects.filter(office=o),
    "mandates:period_edit": lambda o: MandatePeriod.objects.filter(office=o),
    "partners:edit": lambda o: Organisation.objects.filter(office=o),
    "partners:group": lambda o: Group.objects.filter(office=o),
    "partners:group_edit": lambda o: Group.objects.filter(office=o),
    "partners:member_create": lambda o: Group.objects.filter(office=o),
    "partners:meeting_create": lambda o: Group.objects.filter(office=o),
    "partners:member_edit": lambda o: GroupMember.objects.filter(group__office=o),
    "partners:member_delete": lambda o: GroupMember.objects.filter(group__office=o),
    "partners:meeting": lambda o: GroupMeeting.objects.filter(group__office=o),
    "partners:meeting_edit": lambda o: GroupMeeting.objects.filter(group__office=o),
    "partners:action_create": lambda o: GroupMeeting.objects.filter(group__office=o),
    "partners:action_edit": lambda o: ActionPoint.objects.filter(meeting__group__office=o),
    "partners:action_close": lambda o: ActionPoint.objects.filter(meeting__group__office=o),
    "partners:action_reopen": lambda o: ActionPoint.objects.filter(meeting__group__office=o),
    "programmes:programme": lambda o: Programme.objects.filter(office=o),
    "programmes:outcome_create": lambda o: Programme.objects.filter(office=o),
    "programmes:outcome_edit": lambda o: Outcome.objects.filter(programme__office=o),
    "programmes:output_create": lambda o: Outcome.objects.filter(programme__office=o),
    "programmes:output_edit": lambda o: Output.objects.filter(outcome__programme__office=o),
    "programmes:indicator_create": lambda o: Output.objects.filter(
        outcome__programme__office=o),
    "programmes:indicator": lambda o: _indicators(o),
    "programmes:indicator_edit": lambda o: _indicators(o),
    "programmes:target_create": lambda o: _indicators(o),
    "programmes:actual_create": lambda o: _indicators(o).filter(rule={}),
    "programmes:target_delete": lambda o: Target.objects.filter(
        indicator__output__outcome__programme__office=o),
    "programmes:actual_delete": lambda o: Actual.objects.filter(
        indicator__output__outcome__programme__office=o),
    "programmes:benchmark_edit": lambda o: Benchmark.objects.filter(office=o),
    "programmes:assessment_create": lambda o: Benchmark.objects.filter(office=o),
    "iati:job": lambda o: Job.objects.filter(office=o, kind=Job.Kind.IATI_EXPORT),
    "iati:download": lambda o: Job.objects.filter(office=o, kind=Job.Kind.IATI_EXPORT),
    "iati:commit": lambda o: Job.objects.filter(office=o, kind=Job.Kind.IATI_IMPORT,
                                                dry_run=True),
    "reporting:detail": lambda o: _drafts(o),
    "reporting:edit": lambda o: _drafts(o),
    "reporting:section_edit": lambda o: _drafts(o),
    "reporting:section_preview": lambda o: _drafts(o),
    "reporting:approve": lambda o: _drafts(o),
    "reporting:reopen": lambda o: Report.objects.filter(office=o),
    "reporting:issue": lambda o: Report.objects.filter(office=o),
    "reporting:render": lambda o: _drafts(o),
    "reporting:job": lambda o: RenderJob.objects.filter(report__office=o),
    "reporting:download": lambda o: RenderJob.objects.filter(report__office=o),
    "sheets:job": lambda o: Job.objects.filter(office=o, kind=Job.Kind.SHEET_IMPORT),
    "sheets:import_create": lambda o: Job.objects.filter(office=o, kind=Job.Kind.SHEET_IMPORT),
    "sheets:download": lambda o: Job.objects.filter(office=o, kind=Job.Kind.HXL_EXPORT),
    "casework:files": lambda o: Event.objects.filter(office=o),
    "casework:file_add": lambda o: Event.objects.filter(office=o),
    "casework:file_download": lambda o: Attachment.objects.filter(event__office=o),
    "casework:file_delete": lambda o: Attachment.objects.filter(event__office=o),
    "casework:export_download": lambda o: CaseExport.objects.filter(office=o),
}
# A case's pages: a 404 for every user of this test (none is in a case team), so a few
# tries show that; the case team's own inputs: casework/tests/test_pages.py.
CASE_PAGES = {n for n in OBJECTS if n.startswith("casework:")}
# Reached by POST only, or costly (a render runs WeasyPrint inline in tests): a few tries.
FEW = {"reporting:render", "reporting:approve", "reporting:reopen", "activities:delete",
       "accounts:unlock",
       "programmes:target_delete", "programmes:actual_delete", "ui:switch_office",
       "partners:member_delete", "partners:action_reopen", "sheets:import_create",
       "sheets:export_start"}


def _indicators(office: Office) -> Any:
    return Indicator.objects.filter(output__outcome__programme__office=office)


def _drafts(office: Office) -> Any:
    return Report.objects.filter(office=office, status="draft")


def _url_names(patterns: Any = None, namespace: str = "") -> Iterator[tuple[str, URLPattern]]:
    for p in get_resolver().url_patterns if patterns is None else patterns:
        if isinstance(p, URLResolver):
            if p.namespace not in EXEMPT_NAMESPACES:
                ns = f"{namespace}{p.namespace}:" if p.namespace else namespace
                yield from _url_names(p.url_patterns, ns)
        elif isinstance(p, URLPattern) and p.name and p.name not in EXEMPT_NAMES:
            yield f"{namespace}{p.name}", p


def _kwarg_names(pattern: URLPattern) -> list[str]:
    return list(pattern.pattern.converters)


URLS = dict(_url_names())

# Values people (and scripts) type: superscript and other non-ASCII digits, ids past the
# 64-bit range, impossible and far dates, NUL bytes, right-to-left overrides, markup, JSON
# nested past any parser's depth, and the like.
DEEP_JSON = "[" * 5000 + "]" * 5000
ODD = [
    "", " ", "0", "-1", "1", "²", "12²", "١٢", "𝟙", "Ⅻ", "1.5", "1e9", "NaN", "inf", "0x1f",
    "9223372036854775807", "9223372036854775808", "99999999999999999999", "-9223372036854775809",
    "2004-13-45", "2004-02-30", "2004-04-23", "0001-01-01", "9999-12-31", "10000-01-01",
    "2004-13-45.1", "2004-01-01.99999999999999999999", "2004-01-01.²", ".", "2004-Q5", "2004-Q1",
    "month:2004-13", "quarter:2004-Q4", "mandate:2003-06-01", "year:99999", "all", "range:",
    "\x00", "a\x00b", "\u202eevil\u202c", "\u200f", "<script>alert(1)</script>", "'", '"', "%",
    "\\", "{}", "[]", '{"measure": "activities"}', '{"measure": "activities", "filters": '
    '{"programme": {"a": 1}}}', '{"measure": "activities", "by": [["sex"]]}', DEEP_JSON,
    '{"filters": ' * 2000 + "{}" + "}" * 2000, "x" * 300, "dialogue", "training", "party",
    "f", "m", "csv", "xlsx", "quarters", "indicators", "en", "zh", "ar", "xx", "pdf", "docx",
    "html", "government", "draft", "activities", "participants",
]
WORST = ["²", "99999999999999999999", "\x00", "0001-01-01", "9999-12-31", DEEP_JSON,
         "\u202eevil\u202c", "-1", "2004-13-45"]
PARAMS = ["action", "actor", "after", "as_of", "category", "date_from", "date_to", "format",
          "kind", "lang", "map", "model", "next", "office", "page", "period", "programme", "q",
          "table", "text", "type", "region", "partner", "sex", "participant_category"]

text = st.text(st.characters(blacklist_categories=("Cs",)), max_size=20)
odd_value = st.one_of(
    st.sampled_from(ODD), text, st.integers(min_value=-2**70, max_value=2**70).map(str),
    st.dates(min_value=dt.date(1, 1, 1)).map(dt.date.isoformat),
)
query_strings = st.lists(
    st.tuples(st.one_of(st.sampled_from(PARAMS), text), odd_value), max_size=6
).map(urlencode)

SETTINGS = {"deadline": None, "derandomize": True, "database": None,
            "suppress_health_check": [HealthCheck.function_scoped_fixture,
                                      HealthCheck.too_slow, HealthCheck.data_too_large]}


@pytest.fixture(scope="module")
def demo(django_db_setup, django_db_blocker):
    """The demo office, loaded once for the module and rolled back after it; each test
    runs in a savepoint inside, so what one test writes the next does not see."""
    with django_db_blocker.unblock(), transaction.atomic():
        office = load_demo().office
        _a_case(office)
        report = _drafts(office).order_by("pk").first()
        RenderJob.objects.create(report=report, office=office, language="en", format="html",
                                 state=RenderJob.State.DONE, output=b"<p>Done</p>")
        Job.objects.create(office=office, kind=Job.Kind.IATI_EXPORT, state=Job.State.DONE,
                           output=b"<iati-activities/>", output_name="untop-iati.xml")
        Job.objects.create(office=office, kind=Job.Kind.IATI_IMPORT, dry_run=True,
                           state=Job.State.DONE, input_name="f.xml")
        officer = User.objects.get(username="programme")
        Job.objects.create(office=office, kind=Job.Kind.SHEET_IMPORT, dry_run=True,
                           state=Job.State.FAILED, requested_by=officer,
                           report={"problems": [], "problem_count": 1})
        Job.objects.create(office=office, kind=Job.Kind.HXL_EXPORT, state=Job.State.DONE,
                           output=b"#org\n", output_name="3w.csv", requested_by=officer)
        _case_files(office)
        yield office
        transaction.set_rollback(True)


def _case_files(office: Office) -> None:
    """A case with an attachment and an export, if the demo has none (nobody the fuzzing
    signs in as may open them: their pages answer 404)."""
    if Attachment.objects.filter(event__office=office).exists():
        return
    team = CaseTeam.objects.get_or_create(office=office, name="Fuzzing")[0]
    event = Event.objects.filter(office=office).first() or casework.event_save(
        actor=SYSTEM, event=Event(office=office, team=team, title="Invented case"))
    CaseTeamMember.objects.get_or_create(team=event.team,
                                         user=User.objects.get(username="humanrights"))
    Attachment.objects.create(event=event, name="a.pdf", kind="pdf", size=1,
                              stored_as="f" * 40, key_id="k1")
    now = timezone.now()
    CaseExport.objects.create(office=office, requested_by=User.objects.get(username="humanrights"),
                              event_ids=[event.pk], purpose="Fuzzing.", stored_as="e" * 40,
                              created_at=now, expires_at=now + dt.timedelta(hours=1))


def _client(username: str) -> Client:
    client = Client()  # raise_request_exception=True: a view's exception fails the test
    client.force_login(User.objects.get(username=username))
    return client


@pytest.fixture
def head(demo, db) -> Client:
    return _client("head")


@pytest.fixture
def writer(demo, db) -> Callable[[str], tuple[Client, Any]]:
    """For a page: a client of the first demo user who may open it, and its response. No
    role may do everything (the head of office does not record activities)."""

    def find(url: str) -> tuple[Client, Any]:
        for username in ("head", "programme", "monitoring"):
            client = _client(username)
            response = client.get(url)
            _read(response)  # a stream left open would hold its database cursor
            if response.status_code == 200:
                return client, response
        return client, response

    return find


def _kwargs(name: str, office: Office) -> dict[str, Any]:
    pattern = URLS[name]
    names = _kwarg_names(pattern)
    if not names:
        return {}
    obj = OBJECTS[name](office).order_by("pk").first()
    assert obj is not None, f"the demo office has no record for {name}"
    kwargs = {"pk": obj.pk}
    if "item" in names:  # a case's record: the case, then the record
        kwargs = {"pk": _case_of(obj), "item": obj.pk}
    if "file" in names:  # a case's attachment: the case, then the file
        kwargs = {"pk": obj.event_id, "file": obj.pk}
    if "section_pk" in names:
        kwargs["section_pk"] = obj.sections.order_by("pk").first().pk
    return kwargs


def _case_of(obj: Any) -> int:
    if isinstance(obj, Person):
        return obj.acts_suffered.order_by("pk").first().event_id
    if isinstance(obj, Involvement):
        return obj.act.event_id
    return obj.event_id


def _a_case(office: Office) -> None:
    """One case with a record of every kind, unless the demo already has cases."""
    from peacebuild.accounts.permissions import SYSTEM
    from peacebuild.casework import services

    if Event.objects.filter(office=office).exists():
        return
    team = services.team_save(actor=SYSTEM, team=CaseTeam(office=office, name="Fuzz team"))
    officer = User.objects.get(username="humanrights")
    services.team_member_save(actor=SYSTEM, member=CaseTeamMember(team=team, user=officer,
                                                                  can_write=True))
    person = services.person_save(actor=SYSTEM, person=Person(office=office, team=team,
                                                              name="Invented person"))
    event = services.event_save(actor=SYSTEM, event=Event(office=office, team=team,
                                                          title="Invented case"))
    act = services.act_save(actor=SYSTEM, act=Act(event=event, violation="other",
                                                  victim=person))
    services.involvement_save(actor=SYSTEM, involvement=Involvement(act=act,
                                                                    perpetrator=person))
    services.information_save(actor=SYSTEM, information=Information(
        event=event, source=person, received_on=dt.date(2004, 4, 1), content="Invented."))
    services.intervention_save(actor=SYSTEM, intervention=Intervention(
        event=event, made_on=dt.date(2004, 4, 2), channel="letter", request="Invented.",
        authority=Organisation.objects.filter(office=office).order_by("pk").first()))
    services.follow_up_save(actor=SYSTEM, follow_up=FollowUp(
        event=event, due_on=dt.date(2004, 4, 9), assignee=officer, task="Invented."))


def _read(response: Any) -> bytes:
    # Consuming a streamed export runs its generator: an error half-way raises here.
    return b"".join(response.streaming_content) if response.streaming else response.content


def test_every_object_url_has_objects():
    missing = {n for n, p in URLS.items() if _kwarg_names(p)} - set(OBJECTS)
    assert not missing, f"Say in OBJECTS which records fill these URLs: {sorted(missing)}"


@pytest.mark.parametrize("name", sorted(URLS))
def test_no_query_string_gives_a_server_error(name, demo, writer):
    url = reverse(name, kwargs=_kwargs(name, demo))
    client, _page = writer(url)

    def get(query: str) -> None:
        response = client.get(f"{url}?{query}")
        _read(response)
        assert response.status_code < 500, (url, query)

    for value in WORST:  # each of the worst values in every parameter at once
        get(urlencode(dict.fromkeys(PARAMS, value)))

    @settings(max_examples=5 if name in FEW or name in CASE_PAGES else 20, **SETTINGS)
    @given(query=query_strings)
    def check(query: str) -> None:
        get(query)

    check()


# Ids in URLs: the office's own, another office's, and ids no database column holds.
ODD_IDS = ["0", "9223372036854775807", "9223372036854775808", "99999999999999999999",
           "1" * 40]


@pytest.mark.parametrize("name", sorted(OBJECTS))
def test_an_id_naming_no_record_of_the_office_is_a_404(name, demo, head):
    pattern = URLS[name]
    other = Office.objects.exclude(pk=demo.pk).order_by("pk").first()
    good = _kwargs(name, demo)
    for raw in ODD_IDS:
        for key in _kwarg_names(pattern):
            path = reverse(name, kwargs=good).split("/")
            # Replace the id in its place in the path, keeping the others.
            path = [raw if part == str(good[key]) else part for part in path]
            for method in ("get", "post"):
                response = getattr(head, method)("/".join(path))
                # Past the 64-bit range no page exists; a POST-only page may say so first.
                allowed = {404} if int(raw) >= 2**63 else {404, 405}
                assert response.status_code in allowed, ("/".join(path), method)
    theirs = OBJECTS[name](other).first() if other else None
    if theirs is not None and "section_pk" not in good:
        response = head.get(reverse(name, kwargs={"pk": theirs.pk}))
        assert response.status_code == 404


# Forms: every field of every form that a page shows, posted back to the page.


def _forms_of(response: Any) -> list[forms.BaseForm]:
    seen: dict[int, forms.BaseForm] = {}
    contexts = response.context or []
    for context in [contexts] if hasattr(contexts, "flatten") else contexts:
        for value in context.flatten().values():
            if isinstance(value, forms.BaseForm) and value.fields:
                seen[id(value)] = value
    return list(seen.values())


def _posts_to_itself(html: str) -> bool:
    """Whether the page has a form that posts back to it (search forms send GET; some
    buttons post to other pages, which have their own entry)."""
    return any("action=" not in tag or 'action=""' in tag
               for tag in re.findall(r"<form\b[^>]*>", html) if 'method="post"' in tag)


def _plausible(field: forms.Field, bound: forms.BoundField) -> Any:
    """A value the field would accept, so that odd values reach the services' checks too."""
    initial = bound.value()
    if initial not in (None, "", []):
        if isinstance(initial, dt.date):
            return initial.isoformat()
        if isinstance(initial, list | tuple):
            return [str(v) for v in initial]
        if isinstance(field, forms.JSONField):
            return field.prepare_value(initial)
        return str(initial)
    if isinstance(field, forms.ChoiceField):
        choices = [c for c, _label in _flat(field.choices) if str(c) != ""]
        return str(choices[0]) if choices else ""
    if isinstance(field, forms.DateField):
        return "2004-04-23"
    if isinstance(field, forms.IntegerField | forms.DecimalField):
        return "1"
    if isinstance(field, forms.BooleanField):
        return "on"
    if isinstance(field, forms.URLField):
        return "https://example.org/"
    if isinstance(field, forms.JSONField):
        return ""
    return "Fuzz"


def _flat(choices: Any) -> Iterator[tuple[Any, Any]]:
    for value, label in choices:
        if isinstance(label, list | tuple):
            yield from _flat(label)
        else:
            yield getattr(value, "value", value), label


def _counts() -> dict[str, int]:
    return {m._meta.label: m.objects.count() for m in apps.get_models()
            if not m._meta.label.startswith(("sessions.", "contenttypes.", "admin."))}


FORM_URLS = sorted(n for n in URLS if not n.startswith("ui:switch"))


@pytest.mark.parametrize("name", FORM_URLS)
def test_no_form_value_gives_a_server_error_or_half_a_write(name, demo, writer):
    url = reverse(name, kwargs=_kwargs(name, demo))
    client, page = writer(url)
    if page.status_code != 200 or page.streaming or not _posts_to_itself(page.content.decode()):
        pytest.skip("no form on this page posts to it")
    baseline: dict[str, Any] = {}
    for form in _forms_of(page):
        for field_name, field in form.fields.items():
            bound = form[field_name]
            baseline[bound.html_name] = _plausible(field, bound)
    names = sorted(baseline)
    record = OBJECTS[name](demo).order_by("pk").first() if name in OBJECTS else None

    def post(changes: dict[str, Any]) -> None:
        data = {**baseline, **changes}
        before, audit = _counts(), AuditEntry.objects.count()
        exists = record is not None and type(record).objects.filter(pk=record.pk).exists()
        if exists:
            record.refresh_from_db()  # as an earlier example may have saved it
        stored = model_to_dict(record) if exists else None
        response = client.post(url, data)
        _read(response)
        assert response.status_code < 500, (url, changes)
        if response.status_code == 302:  # saved: whatever changed is in the audit log
            if _counts() != before:
                assert AuditEntry.objects.count() > audit, (url, changes)
            return
        assert _counts() == before, (url, changes)  # refused: nothing written
        html = response.content.decode()
        for form in _forms_of(response):  # and the page says why
            for message in (m for errors in form.errors.values() for m in errors):
                assert escape(message) in html, (url, changes, message)
        assert AuditEntry.objects.count() == audit, (url, changes)
        if exists:
            record.refresh_from_db()
            assert model_to_dict(record) == stored, (url, changes)

    # Each of the worst values in every field at once (each field is parsed on its own, so
    # a field that breaks on one shows), then a few fields at a time, the rest plausible,
    # so that odd values reach the services' checks too.
    for value in WORST:
        post(dict.fromkeys(names, value))

    @settings(max_examples=15, **SETTINGS)
    @given(changes=st.dictionaries(st.sampled_from(names), odd_value, max_size=4))
    def check(changes: dict[str, Any]) -> None:
        post(changes)

    check()


POST_ONLY = sorted(n for n in URLS if n in FEW)


@pytest.mark.parametrize("name", POST_ONLY)
def test_no_post_to_an_action_gives_a_server_error(name, demo, writer):
    """Buttons that post to a page of their own (approve, delete, render, switch office)."""
    url = reverse(name, kwargs=_kwargs(name, demo))
    client, _page = writer(reverse("ui:home"))

    @settings(max_examples=5, **SETTINGS)
    @given(data=st.dictionaries(st.sampled_from(PARAMS + ["language", "annex"]), odd_value,
                                max_size=4))
    def check(data: dict[str, str]) -> None:
        before = _counts()
        response = client.post(url, data)
        _read(response)
        assert response.status_code < 500, (url, data)
        if response.status_code >= 400:
            assert _counts() == before, (url, data)

    check()

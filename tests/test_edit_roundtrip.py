"""Every edit form keeps what it does not change, and never overwrites someone else's save.

For every edit page of the URL conf (a new one fails `test_every_edit_form_is_covered` until
it is written down in EDIT_FORMS): a fully populated record — every field set, child rows
and many-to-many set — is opened in its edit form, the form is submitted exactly as a
browser would send it, and the record with all its child rows must be identical afterwards,
with no audit entry written. Then two people open the same record; the first saves a change;
the second is refused, told what differs, and keeps what they typed until they save again.
"""

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import models
from django.urls import get_resolver, reverse

from peacebuild.accounts.models import AuditEntry
from peacebuild.accounts.permissions import SYSTEM
from peacebuild.activities.models import Activity, Centre
from peacebuild.activities.services import Cell, activity_create
from peacebuild.mandates.models import Document, MandatePeriod
from peacebuild.partners.models import (
    ActionPoint,
    Group,
    GroupMeeting,
    GroupMember,
    Organisation,
)
from peacebuild.programmes import services as results
from peacebuild.programmes.models import (
    Assessment,
    Benchmark,
    Indicator,
    Outcome,
    Output,
    Target,
)
from peacebuild.reporting import services as reporting
from peacebuild.reporting.models import Section
from peacebuild.ui.formpages import EDIT_VERSION
from tests.formdata import submitted
from tests.test_permission_matrix import _names

LINES = "First line of the note.\nSecond line, after a break.\n\nA new paragraph."


@dataclass
class World:
    office: Any
    programme: Any
    activity_type: Any
    places: dict
    users: dict


def _document(w: World) -> Document:
    return Document.objects.create(
        office=w.office, symbol="S/2004/331", title="Letter of the Secretary-General",
        kind=Document.Kind.LETTER, dated_on=dt.date(2004, 4, 23),
        issued_on=dt.date(2004, 4, 26), original_language="en", languages=["en", "ru", "zh"],
        url="https://undocs.org/S/2004/331", source_note="Official document system",
        file=SimpleUploadedFile("letter.pdf", b"%PDF-1.4 letter"),
    )


def _partner(w: World, name: str = "Youth Forum") -> Organisation:
    return Organisation.objects.create(
        office=w.office, name=name, acronym="YF", kind="ngo", country="TJ",
        website="https://youth.example.org", notes=LINES, source_note="Partner list",
    )


def _centre(w: World) -> Centre:
    return Centre.objects.create(
        office=w.office, name="Khujand education centre", kind=Centre.Kind.EDUCATION,
        place=w.places["TJ-SU"], partner=_partner(w, "Centre partner"), programme=w.programme,
        opened_on=dt.date(2003, 1, 1), closed_on=dt.date(2005, 12, 31), description=LINES,
        names={"ru": "Худжандский учебный центр", "zh": "苦盏教育中心"},
        descriptions={"fr": "Centre d'éducation\nà Khoudjand"},
    )


def activity(w: World) -> tuple[Activity, dict]:
    record = activity_create(
        actor=SYSTEM, office=w.office, programme=w.programme, type=w.activity_type,
        title="Roundtable on local elections", description=LINES,
        starts_on=dt.date(2005, 4, 2), ends_on=dt.date(2005, 4, 3),
        place=w.places["TJ-SU"], centre=_centre(w), participants_total=13,
        outputs="Recommendations drafted\nand agreed", follow_up="Sent to parliament",
        source_document=_document(w), source_note="Mission report",
        partners=[_partner(w), _partner(w, "Ministry of Justice")],
        attendance={Cell("party", "f", "18-29"): 4, Cell("party", "f", "30-59"): 6,
                    Cell("youth", "m"): 2, Cell("teacher", "u", "60+"): 1},
    )
    return record, {"pk": record.pk}


def centre(w: World) -> tuple[Centre, dict]:
    record = _centre(w)
    return record, {"pk": record.pk}


def document(w: World) -> tuple[Document, dict]:
    record = _document(w)
    return record, {"pk": record.pk}


def period(w: World) -> tuple[MandatePeriod, dict]:
    record = MandatePeriod.objects.create(
        office=w.office, starts_on=dt.date(2004, 6, 1), ends_on=dt.date(2005, 6, 1),
        decision=MandatePeriod.Decision.APPROVED, proposed_on=dt.date(2004, 4, 23),
        decided_on=dt.date(2004, 5, 10), document=_document(w),
        decided_by="Exchange of letters", source_note="S/2004/331",
    )
    return record, {"pk": record.pk}


def organisation(w: World) -> tuple[Organisation, dict]:
    record = _partner(w)
    return record, {"pk": record.pk}


def outcome(w: World) -> tuple[Outcome, dict]:
    record = Outcome.objects.create(programme=w.programme, code="1", title="Dialogue sustained",
                                    titles={"ar": "استمرار الحوار", "es": "Diálogo sostenido"},
                                    order=3, source_note="Programme document")
    Output.objects.create(outcome=record, code="1.1", title="Clubs held", order=1,
                          titles={"tg": "Клубҳо баргузор шуданд"})
    return record, {"pk": record.pk}


def output(w: World) -> tuple[Output, dict]:
    parent, _ = outcome(w)
    return parent.outputs.get(), {"pk": parent.outputs.get().pk}


def indicator(w: World) -> tuple[Indicator, dict]:
    parent, _ = output(w)
    record = results.indicator_save(actor=SYSTEM, indicator=Indicator(
        output=parent, code="1.1.1", title="Club meetings held", unit="meetings",
        titles={"zh": "举行的俱乐部会议", "ru": "Проведённые заседания клубов"},
        units={"ru": "заседания"},
        kind=Indicator.Kind.COUNT, direction=Indicator.Direction.DECREASE,
        baseline_value=Decimal("12.00"), baseline_on=dt.date(2003, 6, 1),
        baseline_source="Office records", order=2,
        rule={"measure": "activities", "filters": {"programme": w.programme.code}},
    ))
    Target.objects.create(indicator=record, period_kind="year", period_key="2005",
                          value=Decimal("40.00"), text="Forty meetings")
    return record, {"pk": record.pk}


def benchmark(w: World) -> tuple[Benchmark, dict]:
    record = Benchmark.objects.create(
        office=w.office, programme=w.programme, title="2005 elections free and non-violent",
        titles={"fr": "Élections de 2005 libres et non violentes"},
        description=LINES, descriptions={"ru": "Первая строка."}, due_on=dt.date(2005, 2, 27),
    )
    Assessment.objects.create(benchmark=record, assessed_on=dt.date(2005, 3, 1),
                              status=Assessment.Status.AT_RISK, evidence_note=LINES,
                              assessed_by_name="Head of office")
    return record, {"pk": record.pk}


def _report(w: World) -> Any:
    report = reporting.report_create(
        actor=w.users["head"], office=w.office, kind="letter",
        period_start=dt.date(2004, 1, 1), period_end=dt.date(2004, 12, 31), language="en",
        dated_on=dt.date(2005, 1, 20), signatory="Vladimir Sotirov",
        signatory_names={"ru": "Владимир Сотиров"},
    )
    section = report.sections.first()
    Section.objects.filter(pk=section.pk).update(
        heading={"en": "Opening", "ru": "Введение"},
        texts={"en": LINES, "ru": "Первая строка.\n\nВторой абзац.", "zh": "第一段。"},
        edited={"en": "2005-01-10T09:00:00+00:00", "ru": "2005-01-11T09:00:00+00:00"},
    )
    return report


def report(w: World) -> tuple[Any, dict]:
    record = _report(w)
    return record, {"pk": record.pk}


def section(w: World) -> tuple[Section, dict]:
    record = _report(w).sections.first()
    return record, {"pk": record.report_id, "section_pk": record.pk}


def _group(w: World) -> Group:
    record = Group.objects.create(
        office=w.office, name="Human-rights thematic group", code="human-rights-group",
        names={"zh": "人权专题小组", "ar": "الفريق المواضيعي المعني بحقوق الإنسان"},
        purpose=LINES, purposes={"ru": "Координация"}, convener=_partner(w, "UN country team"),
        terms_of_reference=_document(w), source_note="S/2004/331",
    )
    GroupMember.objects.create(group=record, organisation=_partner(w, "OHCHR"),
                               attendee="Human-rights adviser")
    return record


def group(w: World) -> tuple[Group, dict]:
    record = _group(w)
    return record, {"pk": record.pk}


def member(w: World) -> tuple[GroupMember, dict]:
    record = _group(w).memberships.get()
    return record, {"pk": record.pk}


def _meeting(w: World) -> GroupMeeting:
    parent = _group(w)
    record = GroupMeeting.objects.create(
        group=parent, held_on=dt.date(2004, 4, 14), venue="OSCE Centre, Dushanbe",
        summary=LINES, agenda=LINES, decisions=LINES, minutes_language="ru",
        minutes={"ru": "Первая строка.\n\nВторой абзац.", "en": LINES},
        source_note="Minutes",
    )
    record.attended.set([parent.memberships.get().organisation, _partner(w, "OSCE")])
    ActionPoint.objects.create(meeting=record, text="Send the note.",
                               owner_user=w.users["programme"], due_on=dt.date(2004, 4, 30))
    return record


def meeting(w: World) -> tuple[GroupMeeting, dict]:
    record = _meeting(w)
    return record, {"pk": record.pk}


def action(w: World) -> tuple[ActionPoint, dict]:
    parent = _meeting(w)
    record = ActionPoint.objects.create(
        meeting=parent, text=LINES, owner=parent.attended.first(),
        owner_user=w.users["human_rights"], due_on=dt.date(2004, 4, 30), status="done",
        closed_on=dt.date(2004, 4, 28), evidence=LINES, evidence_document=Document.objects.create(
            office=w.office, title="Note to the mission", kind=Document.Kind.OTHER),
        source_note="Minutes of 14 April 2004",
    )
    return record, {"pk": record.pk}


def _case(w: World, name: str) -> tuple[models.Model, dict]:
    from peacebuild.casework.tests.casedata import build

    cases = build(w.office, w.users, w.places)
    record = cases[name]
    if name == "event":
        return record, {"pk": record.pk}
    return record, {"pk": cases["event"].pk, "item": record.pk}


def case_event(w: World) -> tuple[models.Model, dict]:
    return _case(w, "event")


def case_person(w: World) -> tuple[models.Model, dict]:
    return _case(w, "victim")


def case_act(w: World) -> tuple[models.Model, dict]:
    return _case(w, "act")


def case_involvement(w: World) -> tuple[models.Model, dict]:
    return _case(w, "involvement")


def case_information(w: World) -> tuple[models.Model, dict]:
    return _case(w, "information")


def case_intervention(w: World) -> tuple[models.Model, dict]:
    return _case(w, "intervention")


def case_follow_up(w: World) -> tuple[models.Model, dict]:
    return _case(w, "follow_up")


# URL name → (the role that edits it, a fully populated record, a field and a new value
# for the person who saves first)
EDIT_FORMS: dict[str, tuple[str, Callable[[World], tuple[models.Model, dict]], str, str]] = {
    "activities:edit": ("programme", activity, "title", "A changed title"),
    "activities:centre_edit": ("programme", centre, "name", "Renamed centre"),
    "mandates:document_edit": ("head", document, "title", "A changed title"),
    "mandates:period_edit": ("head", period, "decided_by", "Council decision"),
    "partners:edit": ("programme", organisation, "name", "Renamed forum"),
    "partners:group_edit": ("programme", group, "name", "Renamed group"),
    "partners:member_edit": ("programme", member, "attendee", "Deputy adviser"),
    "partners:meeting_edit": ("programme", meeting, "venue", "UNTOP, Dushanbe"),
    "partners:action_edit": ("programme", action, "text", "A changed action"),
    "programmes:outcome_edit": ("monitoring", outcome, "title", "A changed title"),
    "programmes:output_edit": ("monitoring", output, "title", "A changed title"),
    "programmes:indicator_edit": ("monitoring", indicator, "title", "A changed title"),
    "programmes:benchmark_edit": ("monitoring", benchmark, "title", "A changed title"),
    "reporting:edit": ("head", report, "signatory", "Another signatory"),
    "reporting:section_edit": ("head", section, "text", "A rewritten section."),
    "casework:event_edit": ("human_rights", case_event, "title", "A changed title"),
    "casework:person_edit": ("human_rights", case_person, "name", "Renamed person"),
    "casework:act_edit": ("human_rights", case_act, "place", "Somewhere else"),
    "casework:involvement_edit": ("human_rights", case_involvement, "notes", "Other notes"),
    "casework:information_edit": ("human_rights", case_information, "content", "Said again"),
    "casework:intervention_edit": ("human_rights", case_intervention, "request", "Other"),
    "casework:follow_up_edit": ("human_rights", case_follow_up, "task", "Another task"),
}


def _is_edit_page(name: str) -> bool:
    return name.rsplit(":", 1)[-1].endswith("edit")


def test_every_edit_form_is_covered():
    edit_pages = {n for n in _names(get_resolver().url_patterns) if _is_edit_page(n)}
    assert edit_pages == set(EDIT_FORMS), (
        f"edit pages without a round-trip case: {sorted(edit_pages - set(EDIT_FORMS))}; "
        f"cases without a page: {sorted(set(EDIT_FORMS) - edit_pages)}")


def _row(obj: models.Model) -> dict[str, Any]:
    return {f.attname: getattr(obj, f.attname) for f in obj._meta.concrete_fields}


def state(obj: models.Model) -> dict[str, Any]:
    """The stored row (every column, updated_at included), its many-to-many and the rows of
    every table that points at it."""
    obj = type(obj)._default_manager.get(pk=obj.pk)
    out = _row(obj)
    for field in obj._meta.many_to_many:
        out[field.name] = sorted(getattr(obj, field.name).values_list("pk", flat=True))
    for rel in obj._meta.related_objects:
        if rel.one_to_many or rel.one_to_one:
            rows = rel.related_model._default_manager.filter(**{rel.field.name: obj})
            out[f"<{rel.related_model._meta.label}>"] = sorted(
                (_row(r) for r in rows), key=lambda r: r["id"])
    return out


@pytest.fixture
def world(office, programme, activity_type, places, users, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    return World(office, programme, activity_type, places, users)


def _open(client, name: str, kwargs: dict) -> tuple[str, str]:
    url = reverse(name, kwargs=kwargs)
    response = client.get(url)
    assert response.status_code == 200, (name, response.status_code)
    return url, response.content.decode()


def _saved(response) -> None:
    form = response.context["form"] if response.context and "form" in response.context \
        else None
    assert response.status_code == 302, form.errors if form is not None else response


@pytest.mark.parametrize("name", sorted(EDIT_FORMS))
def test_an_unchanged_edit_keeps_the_record_exactly(name, world, client_for):
    role, make, _field, _value = EDIT_FORMS[name]
    record, kwargs = make(world)
    before, audits = state(record), AuditEntry.objects.count()
    client = client_for(role)
    url, html = _open(client, name, kwargs)
    _saved(client.post(url, submitted(html)))
    assert state(record) == before
    assert AuditEntry.objects.count() == audits


@pytest.mark.parametrize("name", sorted(EDIT_FORMS))
def test_a_stale_edit_is_refused_and_keeps_what_was_typed(name, world, client_for):
    role, make, field, value = EDIT_FORMS[name]
    record, kwargs = make(world)
    first, second = client_for(role), client_for(role)
    url, html_first = _open(first, name, kwargs)
    _url, html_second = _open(second, name, kwargs)

    _saved(first.post(url, submitted(html_first, **{field: value})))
    after_first, audits = state(record), AuditEntry.objects.count()
    assert value in str(after_first)

    mine = "The second person's version"
    response = second.post(url, submitted(html_second, **{field: mine}))
    assert response.status_code == 200
    page = response.content.decode()
    assert "Someone else changed this record while you were editing it" in page
    assert state(record) == after_first and AuditEntry.objects.count() == audits
    # What they typed is kept; the diff shows theirs and the saved value side by side.
    assert [(d.yours, d.saved, d.theirs) for d in response.context["conflict"]
            if d.yours == mine] == [(mine, value, True)]
    assert mine in submitted(page)[field][0]
    # Saving again is their explicit say: now their version is saved.
    _saved(second.post(url, submitted(page)))
    stored = state(record)
    assert mine in str(stored.get(field, stored))


def test_a_client_without_a_version_is_not_checked(world, client_for):
    """Scripts and older pages that send no version save as before (nothing to compare)."""
    record, kwargs = organisation(world)
    client = client_for("programme")
    url, html = _open(client, "partners:edit", kwargs)
    data = submitted(html, name="Renamed")
    del data[EDIT_VERSION]
    Organisation.objects.filter(pk=record.pk).update(notes="Changed elsewhere")
    _saved(client.post(url, data))
    assert Organisation.objects.get(pk=record.pk).name == "Renamed"


def test_translators_of_other_languages_do_not_conflict(world, client_for):
    """A section's version is its text in the language being edited."""
    record, kwargs = section(world)
    english, russian = client_for("head"), client_for("head")
    url, html_en = _open(english, "reporting:section_edit", kwargs)
    url_ru = f"{url}?lang=ru"
    html_ru = russian.get(url_ru).content.decode()
    _saved(english.post(url, submitted(html_en, text="New English text.")))
    _saved(russian.post(url_ru, submitted(html_ru, text="Новый русский текст.")))
    texts = Section.objects.get(pk=record.pk).texts
    assert (texts["en"], texts["ru"]) == ("New English text.", "Новый русский текст.")

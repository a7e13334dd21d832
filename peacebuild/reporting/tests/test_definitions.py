"""The report's named figures are the office's own data (FigureDefinition), not codes in the
product: another office counts with its own codes, and an office that has defined none is
told so in the section editor."""

import datetime as dt

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from peacebuild.accounts.permissions import SYSTEM
from peacebuild.programmes.models import Programme
from peacebuild.reporting import services
from peacebuild.reporting.catalogue import Cache, Period
from peacebuild.reporting.content import build_content, period_of
from peacebuild.reporting.models import FigureDefinition, Report


def test_a_figure_counts_what_the_office_defined(office, make_activity, training_type):
    make_activity(starts_on=dt.date(2003, 10, 9))  # two discussion-club meetings
    make_activity(starts_on=dt.date(2003, 10, 16))
    make_activity(starts_on=dt.date(2003, 10, 10), type=training_type)
    period = Period(office, dt.date(2003, 6, 1), dt.date(2004, 5, 31), dt.date(2004, 4, 23))
    assert Cache(period).get("club_meetings").value == 2
    FigureDefinition.objects.filter(office=office, name="club_meetings").update(
        activity_type=training_type)  # the office binds the name to its own type
    assert Cache(period).get("club_meetings").value == 1
    FigureDefinition.objects.create(office=office, name="trainings", description="Trainings",
                                    measure="activities", activity_type=training_type)
    assert Cache(period).get("trainings").value == 1


def test_another_offices_definitions_are_not_this_ones(office, other_office):
    period = Period(other_office, dt.date(2003, 6, 1), dt.date(2004, 5, 31),
                    dt.date(2004, 4, 23))
    assert FigureDefinition.objects.filter(office=office).exists()
    cache = Cache(period)
    assert set(cache.definitions) == {"established_on", "period_start", "period_end",
                                      "current_period_start", "current_period_end",
                                      "proposed_start", "proposed_end",
                                      "successful_interventions"}  # the casework's own


def test_an_office_without_definitions_is_told_in_the_section_editor(office, client_for):
    FigureDefinition.objects.filter(office=office).delete()
    report = services.report_create(actor=SYSTEM, office=office, kind=Report.Kind.LETTER,
                                    period_start=dt.date(2003, 6, 1),
                                    period_end=dt.date(2004, 5, 31))
    section = report.sections.get(key="opening")
    url = reverse("reporting:section_edit", args=[report.pk, section.pk])
    head = client_for("head")
    assert head.post(url, {"text": "{club_meetings} meetings.", "lang": "en"}).status_code == 302
    body = head.get(url, {"lang": "en"}).content.decode()
    # The picker says why it offers only the mandate's dates, and the preview says why
    # {club_meetings} cannot be stated: both point to where figures are defined.
    assert "This office has not defined its figures yet: only the mandate" in body
    assert "There is no figure called “club_meetings”: this office has not defined" in body
    assert body.count("Figure definitions") >= 2


def test_the_demo_binding_is_data_not_code():
    from pathlib import Path

    product = Path(__file__).resolve().parents[1]
    for module in ("catalogue.py", "content.py", "narrative.py", "queries.py"):
        source = (product / module).read_text(encoding="utf-8")
        for code in ("discussion-club", "poll workers", "democratic-institutions",
                     "election-support"):
            assert code not in source, (module, code)


@pytest.mark.parametrize(("fields", "field"), [
    ({"measure": "attendance"}, "participant_category"),
    ({"measure": "activities", "participant_category": "teacher"}, "participant_category"),
    ({"measure": "activities", "centre_kind": "education"}, "centre_kind"),
    ({"measure": "activities", "name": "Club Meetings"}, "name"),
])
def test_a_definition_that_cannot_be_meant_is_refused(office, fields, field):
    definition = FigureDefinition(office=office, **{"name": "x", "description": "X", **fields})
    with pytest.raises(ValidationError) as error:
        definition.full_clean()
    assert field in error.value.message_dict


def test_a_definition_may_not_count_another_offices_programme(office, other_office):
    theirs = Programme.objects.create(office=other_office, code="p", name="P")
    definition = FigureDefinition(office=office, name="x", description="X",
                                  measure="activities", programme=theirs)
    with pytest.raises(ValidationError) as error:
        definition.full_clean()
    assert "programme" in error.value.message_dict


def test_an_offices_own_programmes_get_sections_of_their_own(office, programme):
    # "dialogue" is a programme the standard texts know; "mediation" is this office's own.
    Programme.objects.create(office=office, code="mediation", name="Mediation")
    report = services.report_create(actor=SYSTEM, office=office, kind=Report.Kind.PROGRESS,
                                    period_start=dt.date(2003, 6, 1),
                                    period_end=dt.date(2004, 5, 31))
    sections = list(report.sections.order_by("position").values_list("key", "programme__name"))
    assert sections == [("opening", None), ("dialogue", "Dialogue"),
                        ("mediation", "Mediation"), ("closing", None)]
    content = build_content(report, list(report.sections.all()), "en", Cache(period_of(report)))
    # In English, the programmes' own names (the record's word comes first).
    assert [s["heading"] for s in content["sections"]][1:3] == ["Dialogue", "Mediation"]
    # In a language they have no name in: the standard heading for a programme the texts
    # know, the English name for the office's own.
    content = build_content(report, list(report.sections.all()), "fr", Cache(period_of(report)))
    assert [s["heading"] for s in content["sections"]][1:3] == [
        "Dialogue et réconciliation nationale", "Mediation"]

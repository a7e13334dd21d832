"""The letter's human-rights sentence is bound to the intervention records of its period:
"on a number of politically sensitive incidents" while the count of interventions whose
request was met is too small to publish, the count itself once it may be shown — in every
report language, linked to the aggregates page and never to a case."""

import datetime as dt

import pytest

from peacebuild.accounts.permissions import SYSTEM
from peacebuild.activities.models import Centre
from peacebuild.casework import services as cases
from peacebuild.casework.models import CaseTeam, Event, Intervention
from peacebuild.lib import unformat
from peacebuild.lib.unformat import LANGUAGES
from peacebuild.partners.models import Organisation
from peacebuild.programmes.models import Programme
from peacebuild.reporting import services
from peacebuild.reporting.catalogue import Cache, Value
from peacebuild.reporting.content import period_of
from peacebuild.reporting.models import Report
from peacebuild.reporting.narrative import phrase, resolve
from peacebuild.reporting.render import content_for
from peacebuild.reporting.texts import strings

PAGE = "/results/human-rights/?date_from=2003-06-01&date_to=2004-05-31"


@pytest.fixture
def interventions(office, places, programme):
    """`interventions(met)`: that many interventions whose request was met in the letter's
    period (plus five refused, so that the count need not be withheld to protect a small
    neighbour, and one met outside the period), and the documentation centre the
    paragraph also names."""
    Programme.objects.create(office=office, code="human-rights", name="Human rights")
    Centre.objects.create(office=office, name="Documentation centre", kind="documentation",
                          place=places["TJ-DU"], opened_on=dt.date(2002, 1, 1))
    team = CaseTeam.objects.create(office=office, name="Team")
    ministry = Organisation.objects.create(office=office, name="Ministry", kind="government")

    def make(met: int) -> None:
        event = cases.event_save(actor=SYSTEM, event=Event(
            office=office, team=team, title="A case", started_on=dt.date(2003, 7, 1),
            region=places["TJ-SU"]))
        for day, outcome in ([(dt.date(2003, 8, 1 + i), "resolved") for i in range(met)]
                             + [(dt.date(2003, 9, 1 + i), "refused") for i in range(5)]
                             + [(dt.date(2004, 7, 1), "resolved")]):
            cases.intervention_save(actor=SYSTEM, intervention=Intervention(
                event=event, made_on=day, authority=ministry, channel="letter",
                request="Release", outcome=outcome))
    return make


def letter(office) -> Report:
    return services.report_create(actor=SYSTEM, office=office, kind=Report.Kind.LETTER,
                                  period_start=dt.date(2003, 6, 1),
                                  period_end=dt.date(2004, 5, 31), dated_on=dt.date(2004, 4, 23))


def sentence_segments(report: Report, lang: str) -> list[dict]:
    content = content_for(report, lang)
    return [s for section in content["sections"] for p in section["paragraphs"] for s in p
            if s.get("figure") == "successful_interventions"]


@pytest.mark.django_db
def test_a_count_that_may_be_shown_is_stated_in_every_language(office, interventions):
    interventions(7)
    report = letter(office)
    for lang in LANGUAGES:
        [segment] = sentence_segments(report, lang)
        assert unformat.format_number(7, lang) in segment["text"], lang
        assert segment["text"] != strings(lang)["phrase.interventions.some"], lang
        assert segment["value"] == "7" and segment["url"] == PAGE, lang
        annex = next(f for f in content_for(report, lang)["figures"]
                     if f["name"] == "successful_interventions")
        assert annex["url"] == PAGE and "/cases/" not in annex["url"]
    [en] = sentence_segments(report, "en")
    assert en["text"] == "on 7 politically sensitive incidents"
    [ru] = sentence_segments(report, "ru")
    assert ru["text"] == "по 7 политически чувствительным делам"


@pytest.mark.django_db
def test_a_small_count_is_never_stated_only_a_number_of(office, interventions):
    interventions(3)
    report = letter(office)
    for lang in LANGUAGES:
        [segment] = sentence_segments(report, lang)
        assert segment["text"] == strings(lang)["phrase.interventions.some"], lang
        assert segment["value"] == "<5" and segment["url"] == PAGE, lang
        content = content_for(report, lang)
        annex = next(f for f in content["figures"] if f["name"] == "successful_interventions")
        assert annex["value"] == annex["text"] == "<5"
    [en] = sentence_segments(report, "en")
    assert en["text"] == "on a number of politically sensitive incidents"


@pytest.mark.django_db
def test_with_no_intervention_met_the_paragraph_goes_without_the_sentence(office,
                                                                          interventions):
    interventions(0)  # five refused in the period, one met after it
    section = letter(office).sections.get(key="human-rights")
    for lang in LANGUAGES:
        text = section.texts[lang]
        assert strings(lang)["rights.monitoring.unbound"] in text, lang
        assert "{successful_interventions}" not in text, lang
    assert "intervened" not in section.texts["en"]
    assert "monitor human rights developments" in section.texts["en"]


@pytest.mark.django_db
def test_the_figure_follows_the_records_after_the_draft(office, interventions):
    interventions(4)
    report = letter(office)
    [before] = sentence_segments(report, "en")
    assert before["text"] == "on a number of politically sensitive incidents"
    interventions(2)  # two more met: six may be stated
    [after] = sentence_segments(report, "en")
    assert after["text"] == "on 6 politically sensitive incidents"
    cache = Cache(period_of(report))
    [[segment]] = resolve("{successful_interventions|words}", "en", cache)
    assert "without a modifier" in segment.error


def test_the_noun_takes_the_plural_form_of_the_number_in_each_language():
    def say(n, lang):
        return phrase(Value(n, "", phrase="interventions"), lang)
    assert say(21, "ru") == "по 21 политически чувствительному делу"
    assert say(25, "ru") == "по 25 политически чувствительным делам"
    assert say(7, "ar").startswith("في") and "قضايا" in say(7, "ar")
    assert "قضية" in say(11, "ar")
    assert say(12, "zh") == "在12起政治上敏感的事件上"
    for lang in LANGUAGES:  # every report language has both wordings
        assert "{n}" in strings(lang)["phrase.interventions.other"], lang
        assert strings(lang)["phrase.interventions.some"], lang
        assert strings(lang)["rights.monitoring.unbound"], lang

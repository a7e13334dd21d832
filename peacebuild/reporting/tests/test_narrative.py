"""Placeholders: computed from the engine, linked to the records, and an error (never a
blank or a zero) when unknown or not computable; narrative is text in every format."""

import datetime as dt

import pytest
from django.urls import reverse
from docx import Document as Docx

from peacebuild.accounts.permissions import SYSTEM
from peacebuild.reporting import services
from peacebuild.reporting.catalogue import Cache, Period
from peacebuild.reporting.narrative import placeholders, resolve
from peacebuild.reporting.render import content_for, render_docx, render_html
from peacebuild.reporting.texts import LAYOUT, strings

pytestmark = pytest.mark.django_db

PERIOD = (dt.date(2003, 6, 1), dt.date(2004, 5, 31))


@pytest.fixture
def cache(office):
    return Cache(Period(office, *PERIOD, as_of=dt.date(2004, 4, 23)))


@pytest.fixture
def clubs(make_activity, places):
    make_activity(starts_on=dt.date(2003, 10, 9), participants_total=640, place=places["TJ-SU"])
    make_activity(starts_on=dt.date(2003, 10, 23), participants_total=678, place=places["TJ-KT"])


def texts(paragraphs):
    return ["".join(s.text for s in p) for p in paragraphs]


def test_figures_are_computed_and_linked(office, clubs, cache):
    [para] = resolve("Held {club_meetings} meetings, more than {club_participants|floor:100} "
                     "took part, in {club_meetings|month}.", "en", cache)
    assert "".join(s.text for s in para) == ("Held 2 meetings, more than 1,300 took part, in "
                                             "October 2003.")
    figure = next(s for s in para if s.figure == "club_participants")
    assert figure.value == "1318" and not figure.error
    assert figure.url.startswith(reverse("activities:list"))
    assert "date_from=2003-06-01" in figure.url


@pytest.mark.parametrize(("text", "message"), [
    ("{no_such_figure}", "There is no figure"),
    ("{club_meetings}", "would state zero"),  # no records: not a silent 0
    ("{proposed_end}", "No extension"),
    ("{club meetings}", "is not a figure"),
    ("{established_on|bold}", "not a way of writing"),
])
def test_errors_not_blanks(office, activity_type, cache, text, message):
    [[segment]] = resolve(text, "en", cache)
    assert segment.error and message in segment.error
    assert segment.text == text  # the placeholder is shown as written, with its error


def test_several_months_is_an_error(office, activity_type, make_activity, cache):
    make_activity(starts_on=dt.date(2003, 10, 9), participants_total=10)
    make_activity(starts_on=dt.date(2003, 11, 9), participants_total=10)
    [[segment]] = resolve("{club_meetings|month}", "en", cache)
    assert "several months" in segment.error


def test_script_is_text_everywhere(report):
    section = report.sections.get(key="opening")
    services.section_update(actor=SYSTEM, section=section, language="en",
                            text='<script>alert("x")</script> & <b>bold</b>')
    content = content_for(report, "en")
    html = render_html(content)
    assert "<script>alert" not in html and "&lt;script&gt;alert" in html
    assert "&lt;b&gt;bold&lt;/b&gt;" in html
    docx_text = "\n".join(p.text for p in Docx(__import__("io").BytesIO(
        render_docx(content))).paragraphs)
    assert '<script>alert("x")</script> & <b>bold</b>' in docx_text


def test_every_language_uses_the_same_figures():
    keys = {p.key for sections in LAYOUT.values() for _k, paras in sections for p in paras}
    for lang in ("ar", "zh", "fr", "ru", "es", "tg"):
        for key in keys:
            assert sorted(placeholders(strings(lang)[key])) == \
                sorted(placeholders(strings("en")[key])), (lang, key)

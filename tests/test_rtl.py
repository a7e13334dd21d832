"""Right to left without a browser: the pictures mirror for Arabic and keep numbers left to
right, names inside sentences are isolated, and coordinates never take a locale's comma."""

import datetime as dt
import re

import pytest
from django.utils import translation

from peacebuild.lib import svg
from peacebuild.lib.bidi import isolate
from peacebuild.mandates.models import MandatePeriod
from peacebuild.mandates.queries import mandate_state
from peacebuild.mandates.timeline import timeline_svg

QUARTERS = [svg.Bar("2003-Q3", 4, href="/a?q=3"), svg.Bar("2003-Q4", 8, href="/a?q=4")]


def text_x(picture: str, content: str) -> float:
    match = re.search(r'<text x="([\d.]+)"[^>]*>' + re.escape(content) + "<", picture)
    assert match, content
    return float(match.group(1))


def test_bar_chart_runs_from_the_right_in_arabic():
    ltr = svg.bar_chart(QUARTERS, title="Activities by quarter")
    rtl = svg.bar_chart(QUARTERS, title="Activities by quarter", rtl=True)
    assert text_x(ltr, "2003-Q3") < text_x(ltr, "2003-Q4")
    assert text_x(rtl, "2003-Q3") > text_x(rtl, "2003-Q4")  # time runs right to left
    assert 'direction="rtl"' in rtl and 'direction="ltr"' in ltr  # never the page's
    # Quarters keep their own left-to-right order inside the mirrored picture.
    assert re.search(r'direction="ltr"[^>]*>2003-Q3<', rtl)
    # Bars are links: the picture is a group of links, not an image that hides them.
    assert 'role="group"' in rtl
    assert 'role="img"' in svg.bar_chart([svg.Bar("2003-Q3", 4)], title="t")


def test_horizontal_bars_put_their_labels_on_the_right_in_arabic():
    bars = [svg.Bar("women", 574), svg.Bar("men", 1191)]
    rtl = svg.hbar_chart(bars, title="Participants by sex", rtl=True)
    label, bar = text_x(rtl, "women"), re.search(r'<rect x="([\d.]+)"', rtl)
    assert label > float(bar.group(1))
    # The number ends at the bar's far (left) end, written left to right.
    assert re.search(r'direction="ltr" text-anchor="end" fill="[^"]+">574<', rtl)


def test_progress_bar_fills_from_the_right_in_arabic():
    rtl = svg.progress_bar(value=25, target=100, title="t", width=200, rtl=True)
    fill = re.findall(r'<rect x="([\d.]+)" y="4" width="([\d.]+)"', rtl)[-1]
    assert float(fill[0]) + float(fill[1]) == pytest.approx(199, abs=0.2)


@pytest.mark.django_db
def test_timeline_first_year_on_the_right_in_arabic_and_coordinates_without_commas(office):
    MandatePeriod.objects.create(office=office, starts_on=dt.date(2000, 6, 1),
                                 ends_on=dt.date(2001, 6, 1),
                                 decision=MandatePeriod.Decision.APPROVED)
    state = mandate_state(office, dt.date(2000, 12, 1))
    with translation.override("ar"):
        rtl = timeline_svg(state)
    with translation.override("ru"):
        ru = timeline_svg(state)  # Russian writes 890,5: SVG must not
    assert text_x(rtl, "2000") > text_x(rtl, "2001")
    assert text_x(ru, "2000") < text_x(ru, "2001")
    assert not re.search(r'="\d+,\d', rtl + ru)


def test_isolate_confines_a_name_to_itself():
    assert isolate("مركز") == "\u2068مركز\u2069"
    # An override left open by the user is closed inside the isolate.
    assert isolate("a\u202eb") == "\u2068a\u202eb\u202c\u2069"

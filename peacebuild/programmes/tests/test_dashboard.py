"""The dashboards: every number links to records whose figure is the same number, every
figure table downloads as CSV and XLSX with the same numbers, user text is escaped, bad
filters are reported, and forms show the services' refusals."""

import csv
import html
import io
import re
from urllib.parse import parse_qs, urlsplit

import pytest
from django.urls import reverse
from openpyxl import load_workbook

from peacebuild.activities.queries import ActivityFilter
from peacebuild.figures import engine as figures
from peacebuild.places import maps
from peacebuild.programmes import charts, queries
from peacebuild.programmes.models import Indicator, Target

from .conftest import CLUBS

SEED_YEAR = "mandate:2003-06-01"


@pytest.fixture
def dashboard(client_for, records, clubs_indicator, make_indicator):
    make_indicator({"measure": "attendance", "filters": {"programme": "dialogue"},
                    "by": ["sex"]}, title="People in clubs")
    return client_for("viewer").get(reverse("programmes:dashboard"), {"period": SEED_YEAR})


def links_with_numbers(page: str) -> list[tuple[str, int]]:
    """(records link, number shown) for every text link and every SVG bar or region."""
    out = []
    for href, text in re.findall(r'<a href="(/activities/[^"]*)"[^>]*>([\d,]+)</a>', page):
        out.append((html.unescape(href), int(text.replace(",", ""))))
    # In SVG the number is the last token of the tooltip ("2003-Q4: 2", "Sughd Region: 5").
    for href, label in re.findall(r'<a href="(/activities/[^"]*)" class="(?:bar|region)" '
                                  r'aria-label="([^"]*)"', page):
        out.append((html.unescape(href), int(label.rsplit(" ", 1)[-1].replace(",", ""))))
    return out


def test_dashboard_shows_the_figures_and_links_every_number(dashboard, client_for, office):
    page = dashboard.content.decode()
    assert dashboard.context["dflt"].period.key == "2003-06-01"
    links = links_with_numbers(page)
    assert len(links) > 20
    client = client_for("viewer")
    activity_totals, participant_totals = set(), set()
    for href, shown in links:
        flt = ActivityFilter.from_query({k: v[0] for k, v in parse_qs(urlsplit(href).query)
                                         .items()})
        listing = client.get(href)
        assert listing.status_code == 200, href
        count, people = listing.context["count"].value, listing.context["participants"].value
        # The list's own figures: the number shown is one of them, or (for a bar of the
        # attendance breakdown) the engine's attendance figure for the same records.
        assert (count, people) == (figures.activity_count(office, flt).value,
                                   figures.participants(office, flt).value)
        if shown in (count, people):
            (activity_totals if shown == count else participant_totals).add(href)
            continue
        by_sex = figures.compute(office, figures.FigureQuery("attendance", flt, by=("sex",)))
        by_cat = figures.compute(office, figures.FigureQuery("attendance", flt,
                                                             by=("category",)))
        assert shown in {f.value for f in by_sex.rows + by_cat.rows}, (href, shown)
    assert activity_totals and participant_totals


def test_headline_and_indicator_numbers(dashboard):
    ctx = dashboard.context
    assert [f.value for f in ctx["headline"]] == [4, 195, 1]
    clubs = next(iv for iv in ctx["indicators"] if iv.indicator.rule == CLUBS)
    assert clubs.value == 3 and clubs.target_value == 4 and clubs.status == "below"
    page = dashboard.content.decode()
    assert 'data-figure="indicator-' + clubs.indicator.code + '">3<' in page
    assert "women: 60" in page and "men: 120" in page


def test_map_has_every_region_linked(dashboard, office):
    page = dashboard.content.decode()
    for code in ("TJ-SU", "TJ-KT", "TJ-DU", "TJ-GB", "TJ-RA"):
        assert f'data-region="{code}"' in page
    assert maps.ATTRIBUTION in html.unescape(page)
    assert page.count('class="region"') == 5


def test_map_toggles_to_participants(client_for, records):
    response = client_for("viewer").get(reverse("programmes:dashboard"),
                                        {"period": SEED_YEAR, "map": "participants"})
    assert "Sughd Region: 130" in response.content.decode()  # 100 + 30 reported


@pytest.mark.parametrize("table", ["quarters", "sex", "category", "regions", "indicators"])
def test_downloads_parse_back_with_the_same_numbers(client_for, records, clubs_indicator,
                                                    office, table):
    query = {"table": table, "period": SEED_YEAR}
    client = client_for("viewer")
    dflt, _problems = queries.parse_dashboard_filter(office, query)
    values = queries.indicator_values(office, dflt.period)
    expected = charts.tables(office, dflt.activity_filter, values)[table]
    as_text = [[("" if v is None else str(v)) for v in row] for row in expected.rows]

    response = client.get(reverse("programmes:download"), query | {"format": "csv"})
    assert response["Content-Type"].startswith("text/csv")
    rows = list(csv.reader(io.StringIO(response.content.decode("utf-8-sig"))))
    assert rows[0] == [str(h) for h in expected.headers]
    assert rows[1:] == as_text

    response = client.get(reverse("programmes:download"), query | {"format": "xlsx"})
    sheet = load_workbook(io.BytesIO(response.content)).active
    got = [["" if v is None else str(int(v) if isinstance(v, float) and v.is_integer() else v)
            for v in row] for row in sheet.iter_rows(min_row=2, values_only=True)]
    assert got == as_text


def test_download_numbers_match_the_dashboard(client_for, records, office, mandate):
    response = client_for("viewer").get(reverse("programmes:download"),
                                        {"table": "quarters", "format": "csv",
                                         "period": SEED_YEAR})
    rows = list(csv.reader(io.StringIO(response.content.decode("utf-8-sig"))))[1:]
    assert sum(int(r[1]) for r in rows) == 4
    assert sum(int(r[2]) for r in rows) == 195
    assert [r[0] for r in rows] == ["2003-Q2", "2003-Q3", "2003-Q4", "2004-Q1", "2004-Q2"]


def test_bad_download_requests(client_for, records):
    client = client_for("viewer")
    url = reverse("programmes:download")
    assert client.get(url, {"table": "nope"}).status_code == 400
    assert client.get(url, {"table": "sex", "format": "pdf"}).status_code == 400
    assert client.get(url, {"table": "sex", "period": "quarter:2003-Q9"}).status_code == 400


def test_user_text_is_escaped(client_for, records, make_indicator, mandate, benchmark):
    indicator = make_indicator(title="<script>alert('x')</script>")
    Target.objects.create(indicator=indicator, period_kind="mandate", period_key="2003-06-01",
                          value=3)
    benchmark.title = "<script>b</script>"
    benchmark.save()
    client = client_for("viewer")
    for url in (reverse("programmes:dashboard"), reverse("programmes:framework"),
                reverse("programmes:indicator", args=[indicator.pk])):
        page = client.get(url, {"period": SEED_YEAR}).content.decode()
        assert "<script>alert" not in page and "<script>b" not in page
        assert "&lt;script&gt;" in page


def test_svg_helpers_escape_text():
    from peacebuild.lib import svg

    picture = svg.bar_chart([svg.Bar('<b>"Q1"</b>', 3, href="/a?x=1&y=2")], title="<t>")
    assert "<b>" not in picture and "&lt;b&gt;" in picture and "x=1&amp;y=2" in picture
    region = maps.region_map_svg([maps.RegionValue("TJ-SU", "<i>", 1, href="/r")], country="TJ",
                                 title="m")
    assert "<i>" not in region


def test_htmx_filter_swaps_the_body_only(client_for, records):
    response = client_for("viewer").get(reverse("programmes:dashboard"), {"period": "all"},
                                        HTTP_HX_REQUEST="true", HTTP_HX_TARGET="dashboard-body")
    page = response.content.decode()
    assert page.startswith('<div id="dashboard-body"') and "<html" not in page


def test_bad_filters_are_reported_not_fatal(client_for, records):
    response = client_for("viewer").get(reverse("programmes:dashboard"),
                                        {"period": "quarter:2003-Q9", "programme": "999"})
    assert response.status_code == 200
    page = html.unescape(response.content.decode())
    assert "does not name a quarter" in page
    assert "There is no programme “999”" in page
    response = client_for("viewer").get(reverse("programmes:dashboard"),
                                        {"date_from": "2004-01-01", "date_to": "2003-01-01"})
    assert "before its start" in html.unescape(response.content.decode())


def test_date_range_filter(client_for, records):
    response = client_for("viewer").get(reverse("programmes:dashboard"),
                                        {"date_from": "2003-10-01", "date_to": "2003-10-31"})
    assert [f.value for f in response.context["headline"]][:2] == [2, 115]


def test_programme_dashboard(client_for, records, programme, other_programme):
    response = client_for("viewer").get(reverse("programmes:programme", args=[other_programme.pk]),
                                        {"period": SEED_YEAR})
    assert response.context["headline"][0].value == 1
    assert "Rule of law" in response.content.decode()


def test_empty_states_speak(client_for, office):
    page = client_for("monitoring").get(reverse("programmes:dashboard")).content.decode()
    assert "No indicators yet" in page and "No benchmarks yet" in page
    assert reverse("programmes:framework") in page
    page = client_for("viewer").get(reverse("programmes:dashboard")).content.decode()
    assert "An M&E officer adds them" in html.unescape(page)


def test_framework_edit_links_only_for_me_officers(client_for, clubs_indicator):
    edit = reverse("programmes:output_edit", args=[clubs_indicator.output_id])
    assert edit in client_for("monitoring").get(reverse("programmes:framework")).content.decode()
    assert edit not in client_for("viewer").get(reverse("programmes:framework")).content.decode()


# ---------------------------------------------------------------------------------------
# Forms show the services' refusals; nothing is saved


def test_indicator_form_shows_rule_errors(client_for, output, activity_type):
    url = reverse("programmes:indicator_create", args=[output.pk])
    data = {"code": "1.1.5", "title": "Meetings", "kind": "count", "direction": "increase",
            "order": "0"}
    client = client_for("monitoring")
    response = client.post(url, data | {"rule": '{"measure": "activities", '
                                                 '"filters": {"type": "no-such-type"}}'})
    assert response.status_code == 200
    assert "no activity type with the code “no-such-type”" in html.unescape(
        response.content.decode())
    response = client.post(url, data | {"rule": '{"measure": "activities", "filters": '
                                                 '{"type": "discussion-club", '
                                                 '"category": "training"}}'})
    assert "contradict each other" in response.content.decode()
    assert "Nothing was saved" in response.content.decode()
    assert not Indicator.objects.exists()
    response = client.post(url, data | {"rule": json_rule()})
    assert response.status_code == 302
    assert Indicator.objects.get().rule == CLUBS


def json_rule() -> str:
    import json

    return json.dumps(CLUBS)


def test_target_form_refuses_period_outside_mandate(client_for, clubs_indicator):
    response = client_for("monitoring").post(
        reverse("programmes:target_create", args=[clubs_indicator.pk]),
        {"period_kind": "year", "period_key": "1999", "value": "3"})
    assert "outside the office&#x27;s mandate" in response.content.decode() or \
        "outside the office's mandate" in html.unescape(response.content.decode())
    assert clubs_indicator.targets.count() == 1


def test_target_form_refuses_percentage_above_100(client_for, make_indicator, mandate):
    indicator = make_indicator(kind=Indicator.Kind.PERCENTAGE)
    response = client_for("monitoring").post(
        reverse("programmes:target_create", args=[indicator.pk]),
        {"period_kind": "year", "period_key": "2004", "value": "140"})
    assert "A percentage cannot be above 100." in response.content.decode()
    assert not indicator.targets.exists()

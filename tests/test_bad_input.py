"""The input that once gave server errors: each is now a clear 400, a form error or a problem
shown on the page (the fuzz test in test_fuzz.py looks for the rest)."""

import datetime as dt

import pytest
from django.urls import Resolver404, resolve, reverse

from peacebuild.accounts.middleware import SESSION_KEY
from peacebuild.activities.models import Activity, Centre
from peacebuild.lib.ids import parse_id
from peacebuild.programmes.models import Benchmark, Indicator, Outcome, Output

LIST = reverse("activities:list")
EXPORTS = [reverse("activities:export"), reverse("activities:export_attendance")]
TOO_BIG = "99999999999999999999"


@pytest.mark.parametrize("raw", ["²", "12²", "١٢", TOO_BIG, "9223372036854775808", "0", "-1"])
def test_ids_that_name_no_record(raw):
    assert parse_id(raw) is None


def test_ids_in_range():
    assert parse_id(" 12 ") == 12
    assert parse_id("9223372036854775807") == 2**63 - 1


@pytest.mark.parametrize("name", ["programme", "type", "region", "partner"])
@pytest.mark.parametrize("raw", ["²", TOO_BIG])
def test_odd_ids_in_the_activity_filters_are_shown_as_problems(client_for, name, raw):
    response = client_for("viewer").get(LIST, {name: raw})
    assert response.status_code == 200
    assert f"“{raw}” is not a valid choice." in response.content.decode()
    for url in EXPORTS:
        response = client_for("viewer").get(url, {name: raw})
        assert response.status_code == 400, url


def test_unknown_kind_of_activity_and_type(client_for):
    response = client_for("viewer").get(LIST, {"category": "nonsense"})
    assert response.status_code == 200
    assert "“nonsense” is not a valid choice." in response.content.decode()
    response = client_for("viewer").get(LIST, {"type": "987654"})
    assert "Activity type 987654 does not exist." in response.content.decode()
    for url in EXPORTS:
        assert client_for("viewer").get(url, {"category": "nonsense"}).status_code == 400
        assert client_for("viewer").get(url, {"type": "987654"}).status_code == 400


@pytest.mark.parametrize("after", ["2004-13-45.1", "2004-02-30.1", "2004-01-01.²",
                                   f"2004-01-01.{TOO_BIG}"])
def test_a_broken_page_cursor_starts_from_page_one(client_for, after):
    response = client_for("viewer").get(LIST, {"after": after})
    assert response.status_code == 200
    assert "This page link is broken; start from page one." in response.content.decode()


def test_ids_too_large_for_the_database_are_404_before_the_view(client_for):
    client = client_for("viewer")
    for url in [f"/activities/{TOO_BIG}/", f"/activities/{2**63}/edit/",
                f"/results/programme/{TOO_BIG}/", f"/reports/1/sections/{TOO_BIG}/"]:
        assert client.get(url).status_code == 404, url
        with pytest.raises(Resolver404):  # no URL matches: the view never runs
            resolve(url)
    assert resolve(f"/activities/{2**63 - 1}/").kwargs == {"pk": 2**63 - 1}


@pytest.mark.parametrize("raw", ["²", TOO_BIG])
def test_results_dashboard_and_download_with_odd_programme(client_for, raw):
    response = client_for("viewer").get(reverse("programmes:dashboard"), {"programme": raw})
    assert response.status_code == 200
    assert f"There is no programme “{raw}” in this office" in response.content.decode()
    response = client_for("viewer").get(reverse("programmes:download"),
                                        {"programme": raw, "table": "quarters"})
    assert response.status_code == 400


@pytest.mark.parametrize("query", [{"date_to": "1990-01-01"}, {"date_from": "2900-01-01"},
                                   {"date_from": "2005-01-01", "date_to": "2004-01-01"}])
def test_results_period_ending_before_it_starts(client_for, query):
    response = client_for("viewer").get(reverse("programmes:dashboard"), query)
    assert response.status_code == 200
    assert "The end of the period is before its start." in response.content.decode()
    response = client_for("viewer").get(reverse("programmes:download"),
                                        {**query, "table": "quarters"})
    assert response.status_code == 400


@pytest.mark.parametrize("raw", ["²", TOO_BIG])
def test_office_switcher_ignores_odd_ids(client_for, raw):
    client = client_for("head")
    response = client.post(reverse("ui:switch_office"), {"office": raw})
    assert response.status_code == 302
    assert SESSION_KEY not in client.session


@pytest.fixture
def output(programme) -> Output:
    outcome = Outcome.objects.create(programme=programme, code="1", title="Dialogue")
    return Output.objects.create(outcome=outcome, code="1.1", title="Clubs")


@pytest.mark.parametrize("rule", [
    "[" * 5000 + "]" * 5000,
    '{"filters": ' * 900 + "{}" + "}" * 900,
    '{"measure": "activities", "filters": {"programme": {"code": "dialogue"}}}',
])
def test_a_deeply_nested_rule_is_a_form_error(client_for, output, rule):
    url = reverse("programmes:indicator_create", args=[output.pk])
    response = client_for("monitoring").post(url, {
        "code": "1.1.1", "title": "Meetings", "unit": "", "kind": "count",
        "direction": "increase", "rule": rule, "order": "0"})
    assert response.status_code == 200
    html = response.content.decode()
    assert "Nothing was saved" in html
    assert ("nests values more deeply than a rule can" in html
            or "by a code written in quotes" in html)
    assert not Indicator.objects.exists()


def test_far_dates_are_refused_on_centres_baselines_benchmarks_and_assessments(
        client_for, office, output, programme, places):
    head, monitoring = client_for("head"), client_for("monitoring")
    far = "far outside the life of TST"
    response = head.post(reverse("activities:centre_create"), {
        "name": "Centre", "kind": "education", "place": places["TJ-SU"].pk,
        "opened_on": "1900-01-01"})
    assert far in response.content.decode()
    assert not Centre.objects.exists()
    response = monitoring.post(reverse("programmes:indicator_create", args=[output.pk]), {
        "code": "1.1.1", "title": "Meetings", "kind": "count", "direction": "increase",
        "baseline_value": "1", "baseline_on": "2900-01-01", "order": "0"})
    assert far in response.content.decode()
    assert not Indicator.objects.exists()
    response = monitoring.post(reverse("programmes:benchmark_create"), {
        "title": "Elections held", "due_on": "0001-01-01"})
    assert far in response.content.decode()
    assert not Benchmark.objects.exists()
    benchmark = Benchmark.objects.create(office=office, title="Elections held")
    response = head.post(reverse("programmes:assessment_create", args=[benchmark.pk]), {
        "assessed_on": "9999-12-31", "status": "met", "evidence_note": "Seen."})
    assert far in response.content.decode()
    assert not benchmark.assessments.exists()
    # A date inside the office's life still saves.
    head.post(reverse("activities:centre_create"), {
        "name": "Centre", "kind": "education", "place": places["TJ-SU"].pk,
        "opened_on": "2002-01-01"})
    assert Centre.objects.filter(opened_on=dt.date(2002, 1, 1)).exists()


def test_a_constraint_speaks_a_sentence(client_for, places):
    response = client_for("head").post(reverse("activities:centre_create"), {
        "name": "Centre", "kind": "education", "place": places["TJ-SU"].pk,
        "opened_on": "2003-01-01",
        "closed_on": "2002-01-01"})
    html = response.content.decode()
    assert "A centre cannot close before it opens." in html
    assert "Constraint" not in html and "centre_closes_after_it_opens" not in html
    assert not Activity.objects.exists() and not Centre.objects.exists()


@pytest.mark.parametrize("url", [LIST, reverse("partners:list"), reverse("accounts:audit"),
                                 *EXPORTS])
def test_a_nul_byte_in_a_query_string_is_a_400(client_for, url):
    response = client_for("head").get(url, {"q": "a\x00b", "actor": "\x00"})
    assert response.status_code == 400
    assert "Null characters are not allowed." in response.content.decode()

"""The results pages cost the same number of queries however many records, indicators,
targets and benchmarks the office has (a computed indicator costs its one figure)."""

import datetime as dt
import itertools
from decimal import Decimal

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from peacebuild.accounts.models import User
from peacebuild.accounts.permissions import SYSTEM
from peacebuild.activities.models import Centre
from peacebuild.partners.models import Organisation
from peacebuild.programmes import services
from peacebuild.programmes.models import Actual, Assessment, Benchmark, Indicator, Target

# The pages this file keeps to a constant number of queries (tests/test_query_counts.py
# checks that every list page is in one such set).
PAGES = {"programmes:dashboard", "programmes:programme", "programmes:framework",
         "programmes:indicator", "programmes:human_rights"}

SEED_YEAR = {"period": "mandate:2003-06-01"}
REGIONS = ("TJ-SU", "TJ-KT", "TJ-DU")


@pytest.fixture
def grow(make_activity, places, office, output, mandate, programme, partner_org):
    """grow(n): n more activities with attendance, centres, entered indicators with targets
    and actuals, and benchmarks with assessments."""
    serial = itertools.count()

    def make(n: int) -> None:
        head = User.objects.get(username="head")
        for _ in range(n):
            i = next(serial)
            make_activity(title=f"Club {i}", starts_on=dt.date(2003, 10, 1 + i % 28),
                          place=places[REGIONS[i % 3]], participants_total=5,
                          partners=[partner_org],
                          attendance={("party", "f"): 2, ("youth", "m"): 3})
            Centre.objects.create(office=office, name=f"Centre {i}", kind=Centre.Kind.RESOURCE,
                                  place=places[REGIONS[i % 3]], opened_on=dt.date(2003, 1, 1))
            indicator = services.indicator_save(actor=SYSTEM, indicator=Indicator(
                output=output, code=f"1.1.{100 + i}", title=f"Entered {i}",
                kind=Indicator.Kind.PERCENTAGE))
            for key in ("2003-06-01", "2004-06-01"):
                services.target_save(actor=SYSTEM, target=Target(
                    indicator=indicator, period_kind="mandate", period_key=key,
                    value=Decimal(30)))
                services.actual_save(actor=SYSTEM, actual=Actual(
                    indicator=indicator, period_kind="mandate", period_key=key,
                    value=Decimal(25), evidence_note="Attendance sheets"))
            benchmark = services.benchmark_save(actor=SYSTEM, benchmark=Benchmark(
                office=office, programme=programme, title=f"Benchmark {i}"))
            Assessment.objects.create(benchmark=benchmark, assessed_on=dt.date(2004, 4, 23),
                                      status="on_track", assessed_by=head)

    return make


@pytest.fixture
def partner_org(office):
    from peacebuild.partners.models import Organisation

    return Organisation.objects.create(office=office, name="Youth Forum", kind="ngo")


@pytest.mark.parametrize("page", ["dashboard", "programme", "framework"])
def test_results_pages_do_not_grow_with_the_records(page, client_for, users, programme,
                                                    grow, assert_queries_constant):
    url = reverse(f"programmes:{page}", args=[programme.pk] if page == "programme" else [])
    assert_queries_constant(client_for("viewer"), url, grow, data=SEED_YEAR)


def test_indicator_page_does_not_grow_with_its_targets_and_actuals(
        client_for, users, make_indicator, mandate, assert_queries_constant):
    indicator = make_indicator(kind=Indicator.Kind.PERCENTAGE, title="Share of women")
    years = iter(range(2003, 2100))

    def grow(n: int) -> None:
        for _ in range(n):
            year = str(next(years))
            Target.objects.create(indicator=indicator, period_kind="year", period_key=year,
                                  value=Decimal(30))
            Actual.objects.create(indicator=indicator, period_kind="year", period_key=year,
                                  value=Decimal(25), evidence_note="Sheets")

    assert_queries_constant(client_for("viewer"),
                            reverse("programmes:indicator", args=[indicator.pk]), grow)


def _queries(client, url, data=None) -> int:
    client.get(url, data)
    with CaptureQueriesContext(connection) as captured:
        assert client.get(url, data).status_code == 200
    return len(captured.captured_queries)


@pytest.mark.parametrize("page", ["dashboard", "framework"])
def test_a_computed_indicator_costs_at_most_its_figure(page, client_for, users, make_indicator,
                                                       mandate, activity_type, places,
                                                       records):
    """A computed indicator costs its figure and the engine's two checks of the figure's
    filter (programme, activity type), however many codes its rule names: the codes are
    looked up once per page. The framework page computes nothing."""
    client = client_for("viewer")
    url = reverse(f"programmes:{page}")
    rule = {"measure": "attendance", "by": ["sex"],
            "filters": {"type": "discussion-club", "programme": "dialogue",
                        "region": "TJ-SU"}}
    make_indicator(rule)
    one = _queries(client, url, SEED_YEAR)
    for _ in range(3):
        make_indicator(rule)
    four = _queries(client, url, SEED_YEAR)
    per_indicator = 3 if page == "dashboard" else 0
    assert four - one <= 3 * per_indicator


def test_indicator_page_costs_each_period_its_figure(client_for, users, mandate,
                                                            make_indicator, records):
    rule = {"measure": "activities",
            "filters": {"type": "discussion-club", "programme": "dialogue", "region": "TJ-SU"}}
    indicator = make_indicator(rule)
    client = client_for("viewer")
    url = reverse("programmes:indicator", args=[indicator.pk])
    services.target_save(actor=SYSTEM, target=Target(
        indicator=indicator, period_kind="year", period_key="2003", value=Decimal(2)))
    one = _queries(client, url)
    for kind, key in [("year", "2004"), ("year", "2005"), ("mandate", "2003-06-01")]:
        services.target_save(actor=SYSTEM, target=Target(
            indicator=indicator, period_kind=kind, period_key=key, value=Decimal(2)))
    assert _queries(client, url) - one <= 3 * 3


@pytest.fixture
def grow_cases(office, places):
    """grow_cases(n): n more cases, each with a victim, an act and an intervention."""
    from peacebuild.casework import services as cases
    from peacebuild.casework.models import Act, CaseTeam, Event, Intervention, Person

    team = CaseTeam.objects.create(office=office, name="Team")
    authority = Organisation.objects.create(office=office, name="Ministry", kind="government")
    serial = itertools.count()

    def make(n: int) -> None:
        for _ in range(n):
            i = next(serial)
            victim = cases.person_save(actor=SYSTEM, person=Person(
                office=office, team=team, name=f"Victim {i} (invented)"))
            event = cases.event_save(actor=SYSTEM, event=Event(
                office=office, team=team, title=f"Case {i} (invented)",
                started_on=dt.date(2003, 10, 1 + i % 28), region=places[REGIONS[i % 3]]))
            cases.act_save(actor=SYSTEM, act=Act(event=event, violation="detention",
                                                 victim=victim))
            cases.intervention_save(actor=SYSTEM, intervention=Intervention(
                event=event, made_on=dt.date(2003, 11, 1), authority=authority,
                channel="letter", request="Release.", outcome="resolved"))

    return make


def test_human_rights_figures_do_not_grow_with_the_cases(client_for, grow_cases,
                                                         assert_queries_constant):
    assert_queries_constant(client_for("viewer"), reverse("programmes:human_rights"),
                            grow_cases, data=SEED_YEAR)

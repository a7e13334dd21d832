"""Figures of the casework: the engine's counts equal direct counts of the records, every
answer is disclosure-controlled (small cells "<5", no withheld cell recoverable), the
figures link to the aggregates page and never to a case, and bad questions are refused."""

import datetime as dt
import itertools

import pytest

from peacebuild.accounts.permissions import SYSTEM
from peacebuild.activities.queries import ActivityFilter
from peacebuild.casework import services
from peacebuild.casework.models import Act, CaseTeam, Event, Intervention, Person
from peacebuild.figures.casework import CASE_DIMENSIONS
from peacebuild.figures.disclosure import TOTAL, audit
from peacebuild.figures.engine import FigureError, FigureQuery, compute
from peacebuild.partners.models import Organisation

YEAR = ActivityFilter(date_from=dt.date(2003, 1, 1), date_to=dt.date(2004, 12, 31))


@pytest.fixture
def records(office, places):
    """Events in two regions and two years: many detentions in Sughd in 2003 (cells of 5
    and more), a few of everything else."""
    team = CaseTeam.objects.create(office=office, name="Team")
    ministry = Organisation.objects.create(office=office, name="Ministry", kind="government")
    plan = [  # region, start, violations, victims, interventions (outcome, channel, made on)
        *[("TJ-SU", dt.date(2003, 3, 1 + i), ["detention"], 1,
           [("resolved", "letter", dt.date(2003, 4, 1 + i))]) for i in range(6)],
        ("TJ-SU", dt.date(2004, 2, 1), ["detention", "torture"], 2,
         [("refused", "meeting", dt.date(2004, 2, 9))]),
        ("TJ-KT", dt.date(2003, 7, 1), ["expression"], 1,
         [("pending", "call", dt.date(2003, 7, 3)), ("partial", "note", dt.date(2004, 1, 5))]),
        ("TJ-KT", dt.date(2004, 5, 5), ["assembly", "assembly"], 3, []),
        ("TJ-KT", None, ["other"], 1, []),  # no date: only in the figures without periods
    ]
    for n, (region, start, violations, victims, interventions) in enumerate(plan):
        event = services.event_save(actor=SYSTEM, event=Event(
            office=office, team=team, title=f"Event {n}", started_on=start,
            region=places[region]))
        people = [services.person_save(actor=SYSTEM, person=Person(
            office=office, team=team, name=f"Person {n}.{i}")) for i in range(victims)]
        for i, violation in enumerate(violations):
            for person in people[i::len(violations)] if len(violations) > 1 else people:
                services.act_save(actor=SYSTEM, act=Act(event=event, violation=violation,
                                                        victim=person))
        for outcome, channel, made_on in interventions:
            services.intervention_save(actor=SYSTEM, intervention=Intervention(
                event=event, made_on=made_on, authority=ministry, channel=channel,
                request="Request", outcome=outcome))
    return office


def direct(office, measure, by, flt):
    """The same counts straight from the records, written independently of the engine."""
    out = {}

    def add(key):
        out[key] = out.get(key, 0) + 1

    def year(day):
        return str(day.year)

    def inside(day):
        return day is not None and flt.date_from <= day <= flt.date_to

    if measure == "case_interventions":
        for i in Intervention.objects.filter(event__office=office).select_related("event"):
            if inside(i.made_on):
                values = {"outcome": i.outcome, "channel": i.channel,
                          "region": i.event.region_id, "year": year(i.made_on)}
                add(tuple(values[d] for d in by))
    elif measure == "case_events":
        for e in Event.objects.filter(office=office):
            if inside(e.started_on):
                values = {"status": e.status, "region": e.region_id, "year": year(e.started_on)}
                add(tuple(values[d] for d in by))
    elif measure == "case_acts":
        for a in Act.objects.filter(event__office=office).select_related("event"):
            if inside(a.event.started_on):
                values = {"violation": a.violation, "region": a.event.region_id,
                          "year": year(a.event.started_on)}
                add(tuple(values[d] for d in by))
    else:
        pairs = {(a.event_id, a.victim_id, a.event.region_id, a.event.started_on)
                 for a in Act.objects.filter(event__office=office).select_related("event")}
        for _e, _v, region, start in pairs:
            if inside(start):
                values = {"region": region, "year": year(start)}
                add(tuple(values[d] for d in by))
    return out


def shapes():
    for measure, dims in CASE_DIMENSIONS.items():
        dims = [d for d in dims if d not in ("month", "quarter")]
        yield measure, ()
        for d in dims:
            yield measure, (d,)
        for a, b in itertools.combinations(dims, 2):
            yield measure, (a, b)


@pytest.mark.django_db
def test_every_case_figure_equals_a_direct_count_and_none_can_be_recovered(records):
    for measure, by in shapes():
        result = compute(records, FigureQuery(measure, YEAR, by=by))
        assert result.source == "raw:casework"
        p = result.protected
        expected = direct(records, measure, by, YEAR)
        inner = {k: v for k, v in p.values.items() if TOTAL not in k}
        as_text = {tuple(str(x) for x in k): v for k, v in expected.items()}
        assert {k: v for k, v in inner.items() if v} == as_text, (measure, by)
        assert p.values[(TOTAL,) * len(by)] == sum(expected.values()), (measure, by)
        assert not audit(p), (measure, by)
        for key, value in p.values.items():
            if 0 < value < 5:
                assert key in p.primary, (measure, by, key)
            if key not in p.withheld:
                assert p.shown(key) == value
        for row in result.rows:  # what leaves the engine: a withheld cell has no number
            assert (row.value is None) == row.suppressed
            if row.suppressed:
                assert "/cases/" not in row.records_url


@pytest.mark.django_db
def test_small_numbers_are_withheld_and_large_ones_shown(records):
    result = compute(records, FigureQuery("case_interventions", YEAR, by=("outcome",)))
    assert result.value_of(outcome="resolved") == 6  # six letters, each met
    assert result.total.value == 9
    small = [r for r in result.rows if r.breakdown["outcome"] in ("refused", "pending",
                                                                  "partial")]
    assert len(small) == 3 and all(r.suppressed and r.value is None for r in small)
    # An outcome nobody met is a zero for all to see: it says no more than its absence.
    assert result.value_of(outcome="no_response") == 0
    # A single small figure is withheld too: one act in July 2003.
    alone = compute(records, FigureQuery("case_acts", ActivityFilter(
        date_from=dt.date(2003, 7, 1), date_to=dt.date(2003, 7, 31))))
    assert alone.total.suppressed and alone.total.value is None


@pytest.mark.django_db
def test_an_event_counts_in_the_period_it_began_and_undated_events_only_without_one(records):
    by_year = compute(records, FigureQuery("case_events", YEAR, by=("year",)))
    assert by_year.protected.values[("2003",)] == 7
    assert by_year.protected.values[("2004",)] == 2
    everything = compute(records, FigureQuery("case_events"))
    assert everything.protected.values[()] == 10


@pytest.mark.django_db
def test_a_case_figure_links_to_the_aggregates_page_for_its_period(records):
    result = compute(records, FigureQuery("case_interventions", YEAR, by=("year",)))
    row = next(r for r in result.rows if r.breakdown["year"] == "2004")
    assert row.records_url == "/results/human-rights/?date_from=2004-01-01&date_to=2004-12-31"
    assert result.total.records_url.startswith("/results/human-rights/")


@pytest.mark.django_db
@pytest.mark.parametrize(("query", "message"), [
    (FigureQuery("case_events", by=("violation",)), "cannot be broken down by “violation”"),
    (FigureQuery("case_victims", by=("violation",)), "cannot be broken down"),
    (FigureQuery("case_acts", by=("year", "month")), "only one of month"),
    (FigureQuery("case_acts", by=("violation", "region", "year")), "at most two"),
    (FigureQuery("case_acts", ActivityFilter(programme=1)), "period and region only"),
    (FigureQuery("case_acts", ActivityFilter(date_from=dt.date(2004, 1, 2),
                                             date_to=dt.date(2004, 1, 1))), "before its start"),
])
def test_bad_case_figures_are_refused(office, query, message):
    with pytest.raises(FigureError, match=message):
        compute(office, query)

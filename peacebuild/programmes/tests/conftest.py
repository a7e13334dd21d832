"""Fixtures for the results framework: mandate years, records to count, and a factory for
indicators saved through the service."""

import datetime as dt
from decimal import Decimal
from typing import Any

import pytest

from peacebuild.accounts.permissions import SYSTEM
from peacebuild.activities.models import Activity, Centre, Participant
from peacebuild.activities.services import Cell, activity_create
from peacebuild.mandates.models import MandatePeriod
from peacebuild.programmes import services
from peacebuild.programmes.models import Benchmark, Indicator, Outcome, Output, Target


@pytest.fixture
def mandate(office) -> list[MandatePeriod]:
    return [MandatePeriod.objects.create(office=office, starts_on=dt.date(y, 6, 1),
                                         ends_on=dt.date(y + 1, 6, 1),
                                         decision=MandatePeriod.Decision.APPROVED)
            for y in (2003, 2004)]


@pytest.fixture
def make_activity(office, programme, activity_type):
    def make(**fields: Any) -> Activity:
        values: dict[str, Any] = {"programme": programme, "type": activity_type,
                                  "title": "Discussion club", "starts_on": dt.date(2003, 10, 9)}
        values.update(fields)
        values.setdefault("ends_on", values["starts_on"])
        cells = values.pop("attendance", None)
        attendance = {Cell(c, s): n for (c, s), n in cells.items()} if cells else None
        return activity_create(actor=SYSTEM, office=office, attendance=attendance, **values)

    return make


@pytest.fixture
def records(make_activity, places, training_type, other_programme, office):
    """Four discussion clubs and a training course over two mandate years, in three regions;
    two registered people, one of whom came twice; an education centre and a resource
    centre."""
    clubs = [
        make_activity(starts_on=dt.date(2003, 10, 9), place=places["TJ-SU"],
                      participants_total=100,
                      attendance={("party", "f"): 40, ("party", "m"): 60}),
        make_activity(starts_on=dt.date(2003, 11, 13), place=places["TJ-KT"],
                      participants_total=50,
                      attendance={("civil_society", "f"): 20, ("party", "m"): 30}),
        make_activity(starts_on=dt.date(2004, 2, 19), place=places["TJ-SU"],
                      participants_total=30,
                      attendance={("party", "m"): 30}),
        make_activity(starts_on=dt.date(2004, 7, 1), place=places["TJ-DU"],
                      participants_total=20,
                      attendance={("youth", "f"): 20}),
    ]
    make_activity(type=training_type, programme=other_programme,
                  starts_on=dt.date(2003, 10, 20), place=places["TJ-DU"],
                  participants_total=15, attendance={("law_enforcement", "m"): 15})
    ana = Participant.objects.create(office=office, full_name="Ana", category="party")
    bek = Participant.objects.create(office=office, full_name="Bek", category="party")
    ana.activities.set(clubs[:3])
    bek.activities.set(clubs[:1])
    Centre.objects.create(office=office, name="Education centre", kind=Centre.Kind.EDUCATION,
                          place=places["TJ-KT"], opened_on=dt.date(2003, 9, 1))
    Centre.objects.create(office=office, name="Resource centre", kind=Centre.Kind.RESOURCE,
                          place=places["TJ-DU"], opened_on=dt.date(2004, 8, 1))
    return clubs


@pytest.fixture
def output(programme) -> Output:
    outcome = services.outcome_save(actor=SYSTEM, outcome=Outcome(
        programme=programme, code="1", title="Dialogue sustained"))
    return services.output_save(actor=SYSTEM, output=Output(outcome=outcome, code="1.1",
                                                          title="Clubs held"))


@pytest.fixture
def make_indicator(output):
    counter = iter(range(1, 1000))

    def make(rule: dict | None = None, kind: str = Indicator.Kind.COUNT,
             **fields: Any) -> Indicator:
        fields.setdefault("code", f"1.1.{next(counter)}")
        fields.setdefault("title", "Meetings held")
        return services.indicator_save(actor=SYSTEM, indicator=Indicator(
            output=output, kind=kind, rule=rule or {}, **fields))

    return make


CLUBS = {"measure": "activities", "filters": {"type": "discussion-club", "programme": "dialogue"}}


@pytest.fixture
def clubs_indicator(make_indicator, mandate, activity_type):
    indicator = make_indicator(CLUBS)
    services.target_save(actor=SYSTEM, target=Target(indicator=indicator, period_kind="mandate",
                                                   period_key="2003-06-01", value=Decimal(4)))
    return indicator


@pytest.fixture
def benchmark(office) -> Benchmark:
    return services.benchmark_save(actor=SYSTEM, benchmark=Benchmark(
        office=office, title="Free and non-violent elections in 2005"))

"""The UNTOP results framework for the demo (`data/results.json`): outcomes, outputs and
indicators drawn from the seed letter S/2004/331, their actuals computed from the demo's
records by rules, targets the demo invents (and marks as invented), and the 2005 elections
benchmark with two invented assessments.

The letter's figures for the year June 2003 – May 2004 come out of the rules:
11 discussion-club meetings; more than 1,300 participants; 90 trained in conflict
prevention; about 200 school teachers trained in human rights; four education centres and a
resource centre; recommendations on two laws submitted to parliament.
"""

import datetime as dt
from decimal import Decimal
from typing import Any

from peacebuild.accounts.permissions import SYSTEM
from peacebuild.mandates.models import Document, Office
from peacebuild.programmes import services
from peacebuild.programmes.models import (
    Actual,
    Assessment,
    Benchmark,
    Indicator,
    Outcome,
    Output,
    Programme,
    Target,
)

from .files import read

SEED_MANDATE_YEAR = "2003-06-01"  # June 2003 – May 2004, the year S/2004/331 reports on


def _source(spec: dict[str, Any], docs: dict[str, Document]) -> dict[str, Any]:
    return {"source_kind": spec["kind"],
            "source_document": docs[spec["doc"]] if spec.get("doc") else None,
            "source_note": spec["note"]}


def load_results(office: Office) -> None:
    """Add the results framework and the benchmark to the demo office (actor: the system)."""
    data = read("results.json")
    docs = {"letter": Document.objects.get(symbol="S/2004/331")}
    programmes = {p.code: p for p in Programme.objects.filter(office=office)}
    from_letter = _source(data["from_letter"], docs)
    invented = _source(data["invented_target"], docs)
    year, baseline_on = data["mandate_year"], dt.date.fromisoformat(data["baseline_on"])
    for n, row in enumerate(data["outcomes"], start=1):
        outcome = services.outcome_save(actor=SYSTEM, outcome=Outcome(
            programme=programmes[row["programme"]], code=str(n), title=row["outcome"], order=n,
            titles=row["outcome_names"], **from_letter))
        output = services.output_save(actor=SYSTEM, output=Output(
            outcome=outcome, code=f"{n}.1", title=row["output"], titles=row["output_names"],
            order=1, **from_letter))
        for order, ind in enumerate(row["indicators"]):
            indicator = services.indicator_save(actor=SYSTEM, indicator=Indicator(
                output=output, code=ind["code"], title=ind["title"], titles=ind["titles"],
                unit=ind["unit"], units=ind["units"], kind=ind["kind"], rule=ind["rule"],
                baseline_value=Decimal(ind["baseline"]), baseline_on=baseline_on,
                baseline_source="Invented by the demo (the year before S/2004/331)",
                order=order, **from_letter))
            services.target_save(actor=SYSTEM, target=Target(
                indicator=indicator, period_kind="mandate", period_key=year,
                value=Decimal(ind["target"]), **invented))
    _entered_indicator(data, programmes, docs)
    _benchmark(office, data["benchmark"], programmes, docs)


def _entered_indicator(data: dict[str, Any], programmes: dict[str, Programme],
                       docs: dict[str, Document]) -> None:
    """An indicator whose actual is entered with evidence rather than computed."""
    row = data["entered_indicator"]
    src = _source(row["source"], docs)
    year = data["mandate_year"]
    outcome = services.outcome_save(actor=SYSTEM, outcome=Outcome(
        programme=programmes[row["programme"]], code=row["outcome_code"],
        title=row["outcome"], titles=row["outcome_names"], order=int(row["outcome_code"]),
        **src))
    output = services.output_save(actor=SYSTEM, output=Output(
        outcome=outcome, code=f"{row['outcome_code']}.1", title=row["output"],
        titles=row["output_names"], order=1, **src))
    ind = row["indicator"]
    indicator = services.indicator_save(actor=SYSTEM, indicator=Indicator(
        output=output, code=ind["code"], title=ind["title"], titles=ind["titles"],
        kind=ind["kind"], baseline_value=Decimal(ind["baseline"]),
        baseline_on=dt.date.fromisoformat(data["baseline_on"]),
        baseline_source=ind["baseline_source"], **src))
    services.target_save(actor=SYSTEM, target=Target(
        indicator=indicator, period_kind="mandate", period_key=year,
        value=Decimal(ind["target"]), **_source(data["invented_target"], docs)))
    actual = row["actual"]
    services.actual_save(actor=SYSTEM, actual=Actual(
        indicator=indicator, period_kind="mandate", period_key=year,
        value=Decimal(actual["value"]), evidence_document=docs[actual["evidence_document"]],
        evidence_note=actual["evidence_note"], **src))


def _benchmark(office: Office, row: dict[str, Any], programmes: dict[str, Programme],
               docs: dict[str, Document]) -> None:
    benchmark = services.benchmark_save(actor=SYSTEM, benchmark=Benchmark(
        office=office, programme=programmes[row["programme"]], title=row["title"],
        titles=row["titles"], description=row["description"],
        descriptions=row["descriptions"], due_on=dt.date.fromisoformat(row["due_on"]),
        **_source(row["source"], docs)))
    for assessment in row["assessments"]:
        evidence = assessment["evidence_document"]
        services.assessment_add(actor=SYSTEM, assessment=Assessment(
            benchmark=benchmark, assessed_on=dt.date.fromisoformat(assessment["assessed_on"]),
            status=assessment["status"], evidence_note=assessment["evidence_note"],
            evidence_document=docs[evidence] if evidence else None,
            assessed_by_name=row["assessed_by_name"],
            **_source(row["assessment_source"], docs)))

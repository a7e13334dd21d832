"""The UNTOP results framework for the demo: outcomes, outputs and indicators drawn from the
seed letter S/2004/331, their actuals computed from the demo's records by rules, targets the
demo invents (and marks as invented), and the 2005 elections benchmark with two invented
assessments.

The letter's figures for the year June 2003 – May 2004 come out of the rules:
11 discussion-club meetings; more than 1,300 participants; 90 trained in conflict
prevention; about 200 school teachers trained in human rights; four education centres and a
resource centre; recommendations on two laws submitted to parliament.
"""

import datetime as dt
from decimal import Decimal
from typing import Any

from peacebuild.mandates.models import Document, Office, SourceKind
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

SEED_MANDATE_YEAR = "2003-06-01"  # June 2003 – May 2004, the year S/2004/331 reports on
INVENTED_TARGET = "Target invented by the demo for plausibility"

# programme code → (outcome, output, [(code, title, unit, kind, rule, baseline, target)])
FRAMEWORK: list[tuple[str, str, str, list[tuple[str, str, str, str, dict, int, int]]]] = [
    ("dialogue", "Political dialogue and national reconciliation sustained",
     "Political discussion clubs held across the country", [
         ("1.1.1", "Political discussion club meetings held", "meetings",
          Indicator.Kind.COUNT,
          {"measure": "activities",
           "filters": {"type": "discussion-club", "programme": "dialogue"}}, 2, 10),
         ("1.1.2", "Participants in political discussion club meetings", "participants",
          Indicator.Kind.COUNT,
          {"measure": "participants",
           "filters": {"type": "discussion-club", "programme": "dialogue"}}, 150, 1200),
         ("1.1.3", "Recommendations on laws submitted to parliament", "laws",
          Indicator.Kind.COUNT,
          {"measure": "activities",
           "filters": {"type": "recommendations", "programme": "dialogue"}}, 0, 2),
     ]),
    ("democratic-institutions", "Capacity for conflict prevention strengthened",
     "Officials, party staff and community leaders trained", [
         ("2.1.1", "People trained in conflict prevention and resolution", "people",
          Indicator.Kind.COUNT,
          {"measure": "attendance",
           "filters": {"type": "training", "programme": "democratic-institutions"},
           "by": ["sex"]}, 0, 80),
     ]),
    ("human-rights", "Human-rights education reaches schools",
     "School teachers trained in human rights", [
         ("3.1.1", "School teachers trained in human rights", "teachers",
          Indicator.Kind.COUNT,
          {"measure": "attendance",
           "filters": {"type": "training", "programme": "human-rights"},
           "by": ["sex"]}, 0, 200),
     ]),
    ("youth", "Young people in former conflict areas reached",
     "Conflict-prevention and human-rights education centres operating", [
         ("4.1.1", "Education centres operating at the end of the period", "centres",
          Indicator.Kind.COUNT, {"measure": "centres_open", "centre_kind": "education"}, 0, 4),
         ("4.1.2", "Resource centres operating at the end of the period", "centres",
          Indicator.Kind.COUNT, {"measure": "centres_open", "centre_kind": "resource"}, 0, 1),
     ]),
]


def load_results(office: Office) -> None:
    """Add the results framework and the benchmark to the demo office (actor: the system)."""
    letter = Document.objects.get(symbol="S/2004/331")
    programmes = {p.code: p for p in Programme.objects.filter(office=office)}
    from_letter = {"source_kind": SourceKind.DOCUMENT, "source_document": letter,
                   "source_note": "S/2004/331; wording and grouping are the demo's"}
    invented = {"source_kind": SourceKind.INVENTED, "source_document": letter,
                "source_note": INVENTED_TARGET}
    for n, (code, outcome_title, output_title, indicators) in enumerate(FRAMEWORK, start=1):
        outcome = services.outcome_save(actor=None, outcome=Outcome(
            programme=programmes[code], code=str(n), title=outcome_title, order=n,
            **from_letter))
        output = services.output_save(actor=None, output=Output(
            outcome=outcome, code=f"{n}.1", title=output_title, order=1, **from_letter))
        for order, (icode, title, unit, kind, rule, baseline, target) in enumerate(indicators):
            indicator = services.indicator_save(actor=None, indicator=Indicator(
                output=output, code=icode, title=title, unit=unit, kind=kind, rule=rule,
                baseline_value=Decimal(baseline), baseline_on=dt.date(2003, 5, 31),
                baseline_source="Invented by the demo (the year before S/2004/331)",
                order=order, **from_letter))
            services.target_save(actor=None, target=Target(
                indicator=indicator, period_kind="mandate", period_key=SEED_MANDATE_YEAR,
                value=Decimal(target), **invented))
    _entered_indicator(office, programmes["rule-of-law"], letter)
    _benchmark(office, programmes["elections"], letter)


def _entered_indicator(office: Office, programme: Programme, letter: Document) -> None:
    """An indicator whose actual is entered with evidence rather than computed."""
    src: dict[str, Any] = {"source_kind": SourceKind.DOCUMENT, "source_document": letter,
                           "source_note": "S/2004/331"}
    outcome = services.outcome_save(actor=None, outcome=Outcome(
        programme=programme, code="5", title="Law enforcement in line with international norms",
        order=5, **src))
    output = services.output_save(actor=None, output=Output(
        outcome=outcome, code="5.1", title="Advice on the draft militia law", order=1, **src))
    indicator = services.indicator_save(actor=None, indicator=Indicator(
        output=output, code="5.1.1", title="Draft militia law aligned with international norms",
        kind=Indicator.Kind.YES_NO, baseline_value=Decimal(0), baseline_on=dt.date(2003, 5, 31),
        baseline_source="Invented by the demo", **src))
    services.target_save(actor=None, target=Target(
        indicator=indicator, period_kind="mandate", period_key=SEED_MANDATE_YEAR,
        value=Decimal(1), source_kind=SourceKind.INVENTED, source_document=letter,
        source_note=INVENTED_TARGET))
    services.actual_save(actor=None, actual=Actual(
        indicator=indicator, period_kind="mandate", period_key=SEED_MANDATE_YEAR,
        value=Decimal(1), evidence_document=letter,
        evidence_note="The roundtable on the draft “Militia law” drafted provisions in line "
                      "with the relevant international legal norms.", **src))


def _benchmark(office: Office, programme: Programme, letter: Document) -> None:
    benchmark = services.benchmark_save(actor=None, benchmark=Benchmark(
        office=office, programme=programme,
        title="Free and non-violent parliamentary elections in 2005",
        description="An important goal of the office and a marker of the achievement of its "
                    "objectives (S/2004/331).",
        due_on=dt.date(2005, 2, 27), source_kind=SourceKind.DOCUMENT, source_document=letter,
        source_note="S/2004/331"))
    note = "Assessment invented by the demo for plausibility"
    for day, status, evidence in [
        (dt.date(2004, 4, 23), Assessment.Status.ON_TRACK,
         "Party representatives, including the opposition, sat on election commissions for "
         "the June 2003 referendum; an electoral needs-assessment mission came in April 2004."),
        (dt.date(2005, 3, 15), Assessment.Status.AT_RISK,
         "Polling on 27 February 2005 was peaceful; observers reported shortcomings in how "
         "free the vote was."),
    ]:
        services.assessment_add(actor=None, assessment=Assessment(
            benchmark=benchmark, assessed_on=day, status=status, evidence_note=evidence,
            evidence_document=letter if day.year == 2004 else None,
            assessed_by_name="Demo Head of Office", source_kind=SourceKind.INVENTED,
            source_note=note))

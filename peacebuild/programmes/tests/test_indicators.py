"""Indicators computed by rules per kind and period, entered actuals with evidence, and
the bad input that must be refused with nothing saved."""

import datetime as dt
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError

from peacebuild.accounts.permissions import SYSTEM
from peacebuild.programmes import periods, queries, rules, services
from peacebuild.programmes.models import Actual, Indicator, Target

from .conftest import CLUBS


def value(office, indicator, kind, key):
    return queries.indicator_value(office, indicator, periods.resolve(office, kind, key))


@pytest.mark.parametrize(("kind", "key", "expected"), [
    ("month", "2003-10", 1),
    ("month", "2003-12", 0),
    ("quarter", "2003-Q4", 2),
    ("year", "2003", 2),
    ("year", "2004", 2),
    ("mandate", "2003-06-01", 3),
    ("mandate", "2004-06-01", 1),
])
def test_activities_rule_per_period(office, records, make_indicator, mandate, kind, key,
                                    expected):
    indicator = make_indicator(CLUBS)
    iv = value(office, indicator, kind, key)
    assert iv.value == expected
    assert iv.figure is not None and "type=" in iv.href


def test_mandate_year_ends_the_day_before_the_next_begins(office, mandate):
    year = periods.resolve(office, "mandate", "2003-06-01")
    assert (year.first, year.last) == (dt.date(2003, 6, 1), dt.date(2004, 5, 31))
    last = periods.resolve(office, "mandate", "2004-06-01")
    assert last.last == dt.date(2005, 6, 1)  # no later period: its own end day counts


def test_participants_attendance_by_sex_and_distinct_people(office, records, make_indicator,
                                                           mandate):
    reported = make_indicator({"measure": "participants", "filters": {"type": "discussion-club"}})
    assert value(office, reported, "mandate", "2003-06-01").value == 180
    by_sex = make_indicator({"measure": "attendance", "filters": {"programme": "dialogue"},
                             "by": ["sex"]})
    iv = value(office, by_sex, "quarter", "2003-Q4")
    assert iv.value == 150
    assert {label: f.value for label, f in iv.labelled_rows} == {"women": 60, "men": 90}
    distinct = make_indicator({"measure": "distinct_participants",
                               "filters": {"category": "dialogue"}})
    assert value(office, distinct, "mandate", "2003-06-01").value == 2  # Ana thrice, Bek once
    assert value(office, distinct, "month", "2004-02").value == 1


def test_centres_open_at_the_period_end(office, records, make_indicator, mandate):
    education = make_indicator({"measure": "centres_open", "centre_kind": "education"})
    resource = make_indicator({"measure": "centres_open", "centre_kind": "resource"})
    every = make_indicator({"measure": "centres_open"})
    assert value(office, education, "month", "2003-08").value == 0
    assert value(office, education, "month", "2003-09").value == 1
    assert value(office, resource, "mandate", "2003-06-01").value == 0
    assert value(office, resource, "mandate", "2004-06-01").value == 1
    assert value(office, every, "year", "2004").value == 2


def test_computed_actuals_are_not_stored_and_follow_the_records(office, records,
                                                                clubs_indicator,
                                                                make_activity):
    assert value(office, clubs_indicator, "mandate", "2003-06-01").value == 3
    make_activity(starts_on=dt.date(2004, 3, 1))
    assert value(office, clubs_indicator, "mandate", "2003-06-01").value == 4
    assert not Actual.objects.exists()
    iv = value(office, clubs_indicator, "mandate", "2003-06-01")
    assert iv.target_value == 4 and iv.status == "met"


def test_entered_actual_with_evidence(office, make_indicator, mandate):
    indicator = make_indicator(kind=Indicator.Kind.PERCENTAGE, title="Share of women")
    with pytest.raises(ValidationError) as error:
        services.actual_save(actor=SYSTEM, actual=Actual(
            indicator=indicator, period_kind="year", period_key="2004", value=Decimal(30)))
    assert "evidence_note" in error.value.message_dict
    services.actual_save(actor=SYSTEM, actual=Actual(
        indicator=indicator, period_kind="year", period_key="2004", value=Decimal("30.5"),
        evidence_note="Attendance sheets"))
    iv = value(office, indicator, "year", "2004")
    assert iv.value == Decimal("30.5") and iv.entered.evidence_note == "Attendance sheets"
    assert iv.href == ""


def test_qualitative_and_yes_no(office, make_indicator, mandate):
    story = make_indicator(kind=Indicator.Kind.QUALITATIVE, title="Tone of debate")
    services.actual_save(actor=SYSTEM, actual=Actual(
        indicator=story, period_kind="quarter", period_key="2004-Q1", text="Calmer",
        evidence_note="Minutes"))
    assert value(office, story, "quarter", "2004-Q1").text == "Calmer"
    flag = make_indicator(kind=Indicator.Kind.YES_NO, title="Law adopted")
    services.target_save(actor=SYSTEM, target=Target(indicator=flag, period_kind="year",
                                                   period_key="2004", value=Decimal(1)))
    services.actual_save(actor=SYSTEM, actual=Actual(
        indicator=flag, period_kind="year", period_key="2004", value=Decimal(0),
        evidence_note="Not yet"))
    assert value(office, flag, "year", "2004").status == "below"


# ---------------------------------------------------------------------------------------
# Bad input: a clear error, nothing saved


@pytest.mark.parametrize(("rule", "message"), [
    ({"measure": "activities", "filters": {"type": "no-such-type"}},
     "no activity type with the code “no-such-type”"),
    ({"measure": "activities", "filters": {"programme": "no-such-programme"}},
     "no programme with the code “no-such-programme”"),
    ({"measure": "activities", "filters": {"region": "TJ-XX"}}, "no region with the code"),
    ({"measure": "headcount"}, "is not a measure a rule can use"),
    ({"measure": "activities", "colour": "blue"}, "no part called “colour”"),
    ({"measure": "activities", "filters": {"date_from": "2003-01-01"}},
     "cannot filter by “date_from”"),
    ({"measure": "activities", "by": ["sex"]}, "cannot be split by sex"),
    ({"measure": "attendance", "by": ["colour"]}, "cannot be broken down by “colour”"),
    ({"measure": "activities", "filters": {"type": "discussion-club", "category": "training"}},
     "contradict each other"),
    ({"measure": "centres_open", "centre_kind": "castle"}, "no kind of centre called"),
    ({"measure": "distinct_participants", "by": ["sex"]}, "cannot be broken down"),
    (["activities"], "A rule is a set of named values"),
    ({"measure": "activities", "by": [["sex"]]}, "nests values more deeply than a rule can"),
    ({"measure": "activities", "filters": {"type": 12}},
     "names its type by a code written in quotes"),
])
def test_bad_rules_are_refused(office, make_indicator, activity_type, places, rule, message):
    with pytest.raises(ValidationError) as error:
        make_indicator(rule)
    assert message in " ".join(error.value.message_dict["rule"])
    assert not Indicator.objects.exists()


def test_rules_only_for_counts(make_indicator):
    with pytest.raises(ValidationError) as error:
        make_indicator(CLUBS, kind=Indicator.Kind.PERCENTAGE)
    assert "Only count indicators" in str(error.value)
    assert not Indicator.objects.exists()


def test_compiled_rule_names_database_ids(office, activity_type, programme):
    compiled = rules.compile_rule(office, CLUBS)
    assert compiled.filters.type == activity_type.pk
    assert compiled.filters.programme == programme.pk


@pytest.mark.parametrize(("kind", "value", "text", "field"), [
    (Indicator.Kind.PERCENTAGE, Decimal(101), "", "value"),
    (Indicator.Kind.PERCENTAGE, Decimal(-1), "", "value"),
    (Indicator.Kind.COUNT, Decimal(-3), "", "value"),
    (Indicator.Kind.COUNT, Decimal("2.5"), "", "value"),
    (Indicator.Kind.COUNT, None, "", "value"),
    (Indicator.Kind.YES_NO, Decimal(2), "", "value"),
    (Indicator.Kind.QUALITATIVE, None, "  ", "text"),
])
def test_bad_target_values(make_indicator, mandate, kind, value, text, field):
    indicator = make_indicator(kind=kind)
    with pytest.raises(ValidationError) as error:
        services.target_save(actor=SYSTEM, target=Target(
            indicator=indicator, period_kind="year", period_key="2004", value=value, text=text))
    assert field in error.value.message_dict
    assert not Target.objects.exists()


@pytest.mark.parametrize(("kind", "key", "message"), [
    ("year", "1999", "outside the office's mandate"),
    ("month", "2008-01", "outside the office's mandate"),
    ("quarter", "2003-Q5", "does not name a"),
    ("month", "2003-13", "does not name a"),
    ("mandate", "2003-07-01", "No mandate year of this office starts on 2003-07-01"),
    ("decade", "2000s", "Choose a kind of period"),
])
def test_targets_outside_the_mandate_or_badly_named(make_indicator, mandate, kind, key,
                                                    message):
    indicator = make_indicator()
    with pytest.raises(ValidationError) as error:
        services.target_save(actor=SYSTEM, target=Target(
            indicator=indicator, period_kind=kind, period_key=key, value=Decimal(3)))
    assert message in " ".join(error.value.messages)
    assert not Target.objects.exists()


def test_percentage_baseline_above_100_refused(make_indicator):
    with pytest.raises(ValidationError) as error:
        make_indicator(kind=Indicator.Kind.PERCENTAGE, baseline_value=Decimal(120))
    assert "baseline_value" in error.value.message_dict
    assert not Indicator.objects.exists()


def test_actuals_of_a_computed_indicator_cannot_be_entered(clubs_indicator):
    with pytest.raises(ValidationError, match="computed from the records"):
        services.actual_save(actor=SYSTEM, actual=Actual(
            indicator=clubs_indicator, period_kind="year", period_key="2004",
            value=Decimal(5), evidence_note="typed"))
    assert not Actual.objects.exists()


def test_every_write_is_audited(clubs_indicator):
    from peacebuild.accounts.models import AuditEntry

    models = set(AuditEntry.objects.values_list("model", flat=True))
    assert {"programmes.Outcome", "programmes.Output", "programmes.Indicator",
            "programmes.Target"} <= models
    office_id = clubs_indicator.output.outcome.programme.office_id
    assert AuditEntry.objects.filter(model="programmes.Target").get().office_id == office_id

"""The figures engine beyond month-aligned dashboards: the vocabulary read once per page,
windows that cut a month answered from the cubes plus the raw rows of the edge months,
the filters of who took part, and which tables answered each (`FigureResult.source`)."""

import datetime as dt
from dataclasses import replace

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from peacebuild.accounts.permissions import SYSTEM
from peacebuild.activities.models import Activity, ActivityType, AgeGroup
from peacebuild.activities.queries import ActivityFilter
from peacebuild.activities.services import (
    Cell,
    activity_create,
    activity_delete,
    activity_update,
)
from peacebuild.figures import engine
from peacebuild.figures.engine import FigureError, FigureQuery, compute, split_window
from peacebuild.partners.models import Organisation
from peacebuild.programmes.models import Programme
from tests.test_figures_cubes import reference

D = dt.date


@pytest.fixture
def records(office, programme, activity_type, training_type, places):
    days = [D(2003, 5, 31), D(2003, 6, 1), D(2003, 6, 14), D(2003, 6, 15), D(2003, 7, 20),
            D(2003, 8, 31), D(2003, 9, 1), D(2003, 9, 10), D(2003, 9, 11)]
    for n, day in enumerate(days):
        cells = {Cell("party", "f", AgeGroup.UNKNOWN): 2 + n,
                 Cell("teacher", "m" if n % 2 else "f", AgeGroup.YOUTH): 1 + n % 3}
        activity_create(actor=SYSTEM, office=office, programme=programme,
                        type=activity_type if n % 2 else training_type,
                        place=places["TJ-SU"] if n % 3 else None, starts_on=day, ends_on=day,
                        title=f"Activity {n}", attendance=cells)


def raw(office, query):
    return reference(office, query)


# --- per-page work once -------------------------------------------------------------------

def _queries(programme, activity_type, n):
    flt = ActivityFilter(programme=programme.pk, type=activity_type.pk,
                         category=activity_type.category)
    return [FigureQuery("activities", flt) for _ in range(n)]


def test_a_scope_reads_the_vocabulary_once_for_all_its_figures(
        office, programme, activity_type, records):
    figures = _queries(programme, activity_type, 10)
    with CaptureQueriesContext(connection) as alone:
        answers = [compute(office, q).total.value for q in figures]
    with CaptureQueriesContext(connection) as scoped:
        batch = [r.total.value for r in engine.compute_many(office, figures)]
    assert answers == batch and answers[0] > 0
    # Alone: per figure the programme, the type, the types of its kind and the figure
    # itself; in a scope the programmes and the types once, then the figures.
    assert len(alone) == 4 * 10
    assert len(scoped) == 2 + 10


def test_a_scope_forgets_a_programme_or_type_created_inside_it(office, programme):
    with engine.figures_scope():
        assert compute(office, FigureQuery("activities")).total.value == 0
        later = Programme.objects.create(office=office, code="later", name="Later")
        kind = ActivityType.objects.create(code="new-kind", name="New", category="media")
        flt = ActivityFilter(programme=later.pk, type=kind.pk)
        assert compute(office, FigureQuery("activities", flt)).total.value == 0
        with pytest.raises(FigureError, match="not a programme of this office"):
            compute(office, FigureQuery("activities", ActivityFilter(programme=later.pk + 99)))


def test_a_programme_of_another_office_is_refused_in_a_scope_too(
        office, other_office, programme):
    foreign = Programme.objects.create(office=other_office, code="far", name="Far")
    with engine.figures_scope(), pytest.raises(FigureError):
        compute(office, FigureQuery("activities", ActivityFilter(programme=foreign.pk)))


def test_a_programme_dashboard_reads_the_vocabulary_once_per_request(
        client_for, office, programme, records, monkeypatch):
    url = reverse("programmes:programme", args=[programme.pk])
    client = client_for("viewer")
    assert client.get(url).status_code == 200

    def count() -> list[str]:
        with CaptureQueriesContext(connection) as captured:
            assert client.get(url).status_code == 200
        return [q["sql"] for q in captured.captured_queries]

    def programme_checks(sql: list[str]) -> int:
        return sum('FROM "programmes_programme"' in q and "LIMIT 1" in q and
                   'AS "a"' in q for q in sql)

    scoped = count()
    monkeypatch.setattr(engine, "scope_open", lambda: None)
    unscoped = count()
    assert programme_checks(unscoped) >= 5  # one per figure of the programme
    assert programme_checks(scoped) == 0
    assert len(scoped) <= len(unscoped) - programme_checks(unscoped) + 2


# --- windows that cut a month ---------------------------------------------------------

def test_split_window_gives_whole_months_and_edges():
    assert split_window(D(2003, 6, 15), D(2004, 4, 23)) == (
        (D(2003, 7, 1), D(2004, 3, 31)), [(D(2003, 6, 15), D(2003, 6, 30)),
                                          (D(2004, 4, 1), D(2004, 4, 23))])
    assert split_window(D(2003, 6, 15), D(2003, 6, 20)) == (None, [(D(2003, 6, 15),
                                                                     D(2003, 6, 20))])
    assert split_window(D(2003, 6, 15), D(2003, 7, 3)) == (
        None, [(D(2003, 6, 15), D(2003, 6, 30)), (D(2003, 7, 1), D(2003, 7, 3))])
    assert split_window(None, D(2003, 7, 3)) == ((None, D(2003, 6, 30)),
                                                 [(D(2003, 7, 1), D(2003, 7, 3))])
    assert split_window(D(2003, 7, 3), None) == ((D(2003, 8, 1), None),
                                                 [(D(2003, 7, 3), D(2003, 7, 31))])
    assert split_window(D(2003, 7, 1), D(2003, 7, 31)) == ((D(2003, 7, 1), D(2003, 7, 31)), [])


@pytest.mark.parametrize(("measure", "by"), [
    ("activities", ()), ("participants", ("month",)), ("attendance", ("sex",)),
    ("attendance", ("category", "quarter")), ("activities", ("region", "type")),
])
@pytest.mark.parametrize(("first", "last"), [
    (D(2003, 6, 15), D(2003, 9, 10)), (None, D(2003, 9, 10)), (D(2003, 6, 15), None),
    (D(2003, 6, 2), D(2003, 6, 14)), (D(2003, 6, 15), D(2003, 7, 20)),
])
def test_a_window_that_cuts_months_equals_the_raw_rows(
        office, records, measure, by, first, last):
    q = FigureQuery(measure, ActivityFilter(date_from=first, date_to=last), by)
    result = compute(office, q)
    grouped = {tuple(r.breakdown[d] for d in by): r.value for r in result.rows} if by \
        else {(): result.total.value}
    assert grouped == {k: v for k, v in raw(office, q).items() if v} or grouped == {(): 0}
    assert result.total.value > 0
    months, _edges = split_window(first, last)
    day = {"sex": "dayagelitecube", "category": "daycategorylitecube"}
    want = "cube:figures_" + (day[by[0]] if measure == "attendance" else "dayactivitycube")
    if months is not None:  # the whole months from a month cube, the edges by day
        whole, edges = result.source.split("+")
        assert whole.startswith("cube:") and "day" not in whole and edges == want
    else:
        assert result.source == want  # a few days only: the day-level table alone


def test_the_records_behind_a_cut_window_are_its_number(office, records, client_for):
    flt = ActivityFilter(date_from=D(2003, 6, 15), date_to=D(2003, 9, 10))
    result = compute(office, FigureQuery("activities", flt))
    assert result.total.value == 5  # 15 June, 20 July, 31 August, 1 and 10 September
    page = client_for("viewer").get(result.total.records_url)
    assert page.status_code == 200
    assert page.content.decode().count("Activity ") >= 5


def test_a_cut_window_reads_one_cube_and_both_edges_in_one_query(office, records):
    flt = ActivityFilter(date_from=D(2003, 6, 15), date_to=D(2003, 9, 10))
    with engine.figures_scope():
        compute(office, FigureQuery("activities"))  # the vocabulary, read once
        for measure, by in (("activities", ("month",)), ("attendance", ("sex",))):
            with CaptureQueriesContext(connection) as captured:
                result = compute(office, FigureQuery(measure, flt, by))
            assert "+cube:figures_day" in result.source
            assert len(captured) == 2  # the whole months from the cube, both edges by day
            assert not any("activities_a" in q["sql"] for q in captured.captured_queries)
            assert result.rows == compute(office, FigureQuery(measure, flt, by)).rows


@pytest.mark.parametrize("who", [{"sex": "f"}, {"participant_category": "teacher"},
                                 {"sex": "m", "participant_category": "teacher"}])
@pytest.mark.parametrize("measure", ["activities", "participants", "attendance"])
def test_who_took_part_in_a_cut_window_is_read_from_the_day_tables(
        office, records, who, measure):
    flt = ActivityFilter(date_from=D(2003, 6, 2), date_to=D(2003, 9, 10), **who)
    q = FigureQuery(measure, flt, ("month",))
    result = compute(office, q)
    day = "figures_dayactivitycube"
    if measure == "attendance":
        day = "figures_daycategorylitecube" if "participant_category" in who else \
            "figures_dayagelitecube"
    assert result.source.split("+")[-1] == f"cube:{day}"
    assert {tuple(r.breakdown[d] for d in q.by): r.value for r in result.rows} == raw(office, q)
    assert result.total.value > 0


def test_a_partners_cut_window_takes_the_edges_from_the_partner_day_table(
        office, programme, activity_type, places):
    partner = Organisation.objects.create(office=office, name="Partner", kind="ngo")
    other = Organisation.objects.create(office=office, name="Other", kind="ngo")
    for day, partners in ((D(2003, 6, 14), [partner]), (D(2003, 6, 20), [partner]),
                          (D(2003, 6, 21), [other]), (D(2003, 7, 5), [partner, other]),
                          (D(2003, 9, 10), [partner]), (D(2003, 9, 11), [partner])):
        activity_create(actor=SYSTEM, office=office, programme=programme, type=activity_type,
                        starts_on=day, ends_on=day, title="With partner",
                        participants_total=3, partners=partners)
    flt = ActivityFilter(partner=partner.pk, date_from=D(2003, 6, 15),
                         date_to=D(2003, 9, 10))
    result = compute(office, FigureQuery("activities", flt))
    assert result.source == "cube:figures_partnercube+cube:figures_daypartnercube"
    assert result.total.value == 3  # 20 June, 5 July, 10 September
    people = compute(office, FigureQuery("participants", flt, ("month",)))
    assert people.source == "cube:figures_partnercube+cube:figures_daypartnercube"
    assert {r.breakdown["month"]: r.value for r in people.rows} == {
        "2003-06": 3, "2003-07": 3, "2003-09": 3}
    inside = compute(office, FigureQuery("activities", replace(flt, date_to=D(2003, 6, 30))))
    assert (inside.source, inside.total.value) == ("cube:figures_daypartnercube", 1)
    # an edit that moves the activity of 10 September out of the window and gives the
    # one of 21 June the partner moves both in the figure
    moved = Activity.objects.get(office=office, starts_on=D(2003, 9, 10))
    activity_update(actor=SYSTEM, activity=moved, starts_on=D(2003, 9, 12),
                    ends_on=D(2003, 9, 12))
    joined = Activity.objects.get(office=office, starts_on=D(2003, 6, 21))
    activity_update(actor=SYSTEM, activity=joined, partners=[partner, other])
    assert compute(office, FigureQuery("activities", flt)).total.value == 3
    activity_delete(actor=SYSTEM, activity=Activity.objects.get(pk=joined.pk))
    assert compute(office, FigureQuery("activities", flt)).total.value == 2
    # a partner's attendance: the whole months from the partner attendance table, the
    # cut edges from the raw rows
    assert compute(office, FigureQuery("attendance", flt)).source == \
        "cube:figures_partnercellcube+raw:edges"


def test_a_partners_activities_attended_by_women_come_from_the_partner_day_table(
        office, programme, activity_type, places):
    """No month table holds a partner with who took part: the partner day table answers
    the whole window, and follows edits of the attendance and of the partners."""
    partner = Organisation.objects.create(office=office, name="Partner", kind="ngo")
    women = {Cell("teacher", "f", AgeGroup.ADULT): 4}
    men = {Cell("teacher", "m", AgeGroup.ADULT): 5}
    made = {}
    for day, cells in ((D(2003, 6, 14), women), (D(2003, 7, 2), men),
                       (D(2003, 9, 10), women | men), (D(2004, 1, 5), women)):
        made[day] = activity_create(
            actor=SYSTEM, office=office, programme=programme, type=activity_type,
            place=places["TJ-SU"], starts_on=day, ends_on=day, title="With partner",
            attendance=cells, partners=[partner])

    def figure(measure="activities", by=(), **filters):
        q = FigureQuery(measure, ActivityFilter(partner=partner.pk, **filters), by)
        result = compute(office, q)
        assert result.source == "cube:figures_daypartnercube", q
        return result

    assert figure(sex="f").total.value == 3
    assert figure(sex="m").total.value == 2
    assert figure(sex="f", participant_category="teacher").total.value == 3
    assert figure(participant_category="youth").total.value == 0
    by_quarter = figure("participants", ("quarter",), sex="f")
    assert {r.breakdown["quarter"]: r.value for r in by_quarter.rows} == {
        "2003-Q2": 4, "2003-Q3": 9, "2004-Q1": 4}
    assert figure(sex="f", date_from=D(2003, 6, 15), date_to=D(2003, 12, 31)).total.value == 1
    assert figure(sex="m", date_from=D(2003, 7, 1), date_to=D(2003, 9, 30)).total.value == 2
    # the men of 10 September stay, its women leave; the activity of 2 July loses the
    # partner; the figures follow
    activity_update(actor=SYSTEM, activity=made[D(2003, 9, 10)], attendance=men,
                    participants_total=5)
    activity_update(actor=SYSTEM, activity=made[D(2003, 7, 2)], partners=[])
    assert figure(sex="f").total.value == 2
    assert figure(sex="m").total.value == 1
    assert compute(office, FigureQuery("activities", ActivityFilter(sex="m"))).total.value == 2


def test_a_partners_attendance_by_type_region_or_age_group_comes_from_the_partner_age_table(
        office, programme, activity_type, training_type, places):
    """The people a partner's activities reached by type, region or age group: the partner
    age table over the whole months (the cut edges from the raw rows), following edits of
    the attendance, the type and the partners."""
    partner = Organisation.objects.create(office=office, name="Partner", kind="ngo")
    youth = {Cell("youth", "f", AgeGroup.YOUTH): 4, Cell("youth", "m", AgeGroup.YOUTH): 3}
    adults = {Cell("teacher", "f", AgeGroup.ADULT): 5}
    made = {}
    for day, cells, kind, place in (
            (D(2003, 6, 14), youth, activity_type, places["TJ-SU"]),
            (D(2003, 7, 2), adults, training_type, places["TJ-KT"]),
            (D(2003, 9, 10), youth | adults, activity_type, None)):
        made[day] = activity_create(
            actor=SYSTEM, office=office, programme=programme, type=kind, place=place,
            starts_on=day, ends_on=day, title="With partner", attendance=cells,
            partners=[partner])
    activity_create(actor=SYSTEM, office=office, programme=programme, type=activity_type,
                    starts_on=D(2003, 6, 20), ends_on=D(2003, 6, 20), title="No partner",
                    attendance=adults)

    def figure(by, source="cube:figures_partneragecube", **filters):
        q = FigureQuery("attendance", ActivityFilter(partner=partner.pk, **filters), by)
        result = compute(office, q)
        assert result.source == source, q
        assert {tuple(r.breakdown[d] for d in by): r.value for r in result.rows} == \
            reference(office, q), q
        return {tuple(r.breakdown.values()): r.value for r in result.rows}

    su, kt = places["TJ-SU"].pk, places["TJ-KT"].pk
    assert figure(("type",)) == {(activity_type.pk,): 19, (training_type.pk,): 5}
    assert figure(("region",)) == {(su,): 7, (kt,): 5, (0,): 12}
    assert figure(("age_group", "sex")) == {(AgeGroup.YOUTH, "f"): 8,
                                            (AgeGroup.YOUTH, "m"): 6, (AgeGroup.ADULT, "f"): 10}
    assert figure(("age_group",), sex="m") == {(AgeGroup.YOUTH,): 6}
    assert figure(("type",), region=su) == {(activity_type.pk,): 7}
    # a window that cuts months: its whole months from the table, its edges raw
    assert figure(("region",), "cube:figures_partneragecube+raw:edges",
                  date_from=D(2003, 6, 15), date_to=D(2003, 9, 30)) == {(kt,): 5, (0,): 12}
    # by category with a region: no table holds it, the raw rows answer
    figure(("category",), "raw", region=su)
    # the youth of 10 September leave, the activity of 2 July becomes the other type and
    # loses the partner; the figures follow
    activity_update(actor=SYSTEM, activity=made[D(2003, 9, 10)], attendance=adults,
                    participants_total=5)
    activity_update(actor=SYSTEM, activity=made[D(2003, 7, 2)], type=activity_type,
                    partners=[])
    assert figure(("type",)) == {(activity_type.pk,): 12}
    assert figure(("age_group",)) == {(AgeGroup.YOUTH,): 7, (AgeGroup.ADULT,): 5}


def test_moving_an_activity_across_the_edge_of_a_window_moves_it_in_the_figure(
        office, records):
    """The day tables follow an edit of the date inside a month (the month cubes see no
    change), and the deletion of an activity."""
    flt = ActivityFilter(date_from=D(2003, 6, 15), date_to=D(2003, 9, 10))
    before = compute(office, FigureQuery("attendance", flt)).total.value
    moved = Activity.objects.get(office=office, starts_on=D(2003, 6, 14))
    people = sum(moved.attendance.values_list("count", flat=True))
    activity_update(actor=SYSTEM, activity=moved, starts_on=D(2003, 6, 16),
                    ends_on=D(2003, 6, 16))
    assert compute(office, FigureQuery("attendance", flt)).total.value == before + people
    activity_delete(actor=SYSTEM, activity=Activity.objects.get(pk=moved.pk))
    assert compute(office, FigureQuery("attendance", flt)).total.value == before
    assert compute(office, FigureQuery("activities", flt)).total.value == \
        reference_count(office, flt)


@pytest.mark.parametrize(("measure", "by", "extra", "table"), [
    ("attendance", ("sex",), {}, "DayAgeLiteCube"),
    ("attendance", ("age_group", "sex"), {"programme": True}, "DayAgeLiteCube"),
    ("attendance", ("category",), {}, "DayCategoryLiteCube"),
    ("attendance", ("sex",), {"participant_category": "teacher"}, "DayCategoryLiteCube"),
    ("attendance", ("category", "age_group"), {}, "DayCellCube"),
    ("attendance", ("sex",), {"region": True}, "DayCellCube"),
    ("attendance", (), {"category": "training"}, "DayCellCube"),
    ("participants", ("region",), {"sex": "f"}, "DayActivityCube"),
    ("activities", (), {"partner": True}, "DayPartnerCube"),
    ("participants", ("month",), {"partner": True, "region": True}, "DayPartnerCube"),
    ("activities", (), {"partner": True, "sex": "f"}, "DayPartnerCube"),
    ("attendance", ("sex",), {"partner": True}, None),
    ("activities", (), {"q": "club"}, None),
])
def test_the_smallest_day_table_answers_the_edges(measure, by, extra, table):
    from peacebuild.figures.cubes import day_cube_for

    extra = {k: (1 if v is True else v) for k, v in extra.items()}
    cube = day_cube_for(measure=measure, by=by, filters=ActivityFilter(
        date_from=D(2003, 6, 15), **extra))
    assert (cube.model.__name__ if cube else None) == table


def reference_count(office, flt):
    return raw(office, FigureQuery("activities", flt)).get((), 0)


@pytest.mark.parametrize("window", [(None, None), (D(2003, 6, 15), D(2003, 9, 10))])
def test_age_groups_of_one_participant_category_come_from_the_cell_cube(
        office, programme, records, window):
    flt = ActivityFilter(participant_category="teacher", programme=programme.pk,
                         date_from=window[0], date_to=window[1])
    q = FigureQuery("attendance", flt, ("age_group", "sex"))
    result = compute(office, q)
    assert result.source.startswith("cube:figures_celllitecube")
    assert {tuple(r.breakdown[d] for d in q.by): r.value for r in result.rows} == raw(office, q)
    assert result.total.value > 0

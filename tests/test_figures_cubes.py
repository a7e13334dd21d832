"""Property: after any sequence of inserts, updates and deletes of activities and their
attendance, every figure the summary tables give equals the same figure aggregated from
the raw rows, and the tables equal a rebuild from scratch. Runs on SQLite and PostgreSQL
(whichever DATABASE_URL names)."""

import datetime as dt
import importlib
from dataclasses import replace
from types import SimpleNamespace

from django.apps import apps
from django.db import connection
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from hypothesis.extra.django import TestCase

from peacebuild.accounts.permissions import SYSTEM
from peacebuild.activities.models import Activity, ActivityType, AgeGroup, Attendance, Sex
from peacebuild.activities.queries import ActivityFilter, filter_activities, shared_text_lookups
from peacebuild.activities.services import Cell, activity_create, activity_delete, activity_update
from peacebuild.figures import engine
from peacebuild.figures.cubes import CUBES, cube_for, cubes_rebuild, whole_window_cube
from peacebuild.figures.engine import FigureQuery
from peacebuild.lib.periodkeys import TIME_DIMENSIONS, time_key
from peacebuild.mandates.models import Office
from peacebuild.partners.models import Organisation
from peacebuild.places.models import Place
from peacebuild.places.services import places_load_tajikistan
from peacebuild.programmes.models import Programme

START = dt.date(2003, 1, 1)
CATEGORIES = ["party", "teacher", "youth"]
EDGE_DAYS = [(dt.date(2003, m, d) - START).days for m, d in (
    (2, 13), (2, 14), (3, 4), (3, 5), (3, 20), (3, 21), (3, 31), (4, 1), (5, 30), (5, 31),
    (6, 1), (6, 14), (6, 15), (7, 2), (7, 3), (8, 1), (8, 17), (8, 18), (11, 1), (11, 3),
    (11, 4), (12, 31))]
cells = st.dictionaries(
    st.tuples(st.sampled_from(CATEGORIES), st.sampled_from(Sex.values),
              st.sampled_from([AgeGroup.UNKNOWN, AgeGroup.YOUTH])),
    st.integers(1, 40), max_size=4,
)
fields = st.fixed_dictionaries({
    "programme": st.integers(0, 1),
    "type": st.integers(0, 2),
    "place": st.integers(0, 3),  # 0 = no place
    # days after START: spans months, quarters and years, often on the edge of a window
    "start": st.one_of(st.integers(0, 500), st.sampled_from(EDGE_DAYS)),
    "days": st.integers(0, 40),
    "cells": cells,
    "total": st.one_of(st.none(), st.integers(0, 300)),
    "partners": st.lists(st.integers(0, 2), max_size=2),
    # the free text: Latin and Cyrillic (Russian, Tajik), in either case, and FTS syntax
    "title": st.sampled_from(["Property activity", "Тренинг для молодёжи", "ҶАМЪОМАДИ занон",
                              'Club "NEAR" (OR) -x*']),
    "description": st.sampled_from(["", "Dialogue in Isfara", "тренинг в Хорроге"]),
})
operations = st.tuples(
    # enough activities that every window has some at its edges, then any changes
    st.lists(st.tuples(st.just("create"), st.integers(0, 0), fields), min_size=4, max_size=12),
    st.lists(st.one_of(
        st.tuples(st.just("create"), st.integers(0, 0), fields),
        st.tuples(st.just("update"), st.integers(0, 20), fields),
        st.tuples(st.just("delete"), st.integers(0, 20), st.none()),
    ), max_size=8),
).map(lambda pair: pair[0] + pair[1])

QUERIES = [
    ("activities", ActivityFilter(), ()),
    ("participants", ActivityFilter(), ("quarter",)),
    ("participants", ActivityFilter(), ("region", "year")),
    ("activities", ActivityFilter(), ("programme", "type", "month")),
    ("attendance", ActivityFilter(), ("sex",)),
    ("attendance", ActivityFilter(), ("category", "sex")),
    ("attendance", ActivityFilter(), ("age_group", "quarter")),
    ("attendance", ActivityFilter(), ("region", "category")),
    ("attendance", ActivityFilter(date_from=dt.date(2003, 4, 1), date_to=dt.date(2003, 12, 31)),
     ("programme", "sex")),
    ("participants", ActivityFilter(category="training"), ("year",)),
    ("attendance", ActivityFilter(sex="f"), ("category", "quarter")),
    ("attendance", ActivityFilter(participant_category="party", sex="m"), ("programme",)),
]


# Every figure shape: measures × filters × breakdowns × windows (whole months, windows
# that cut months at one or both ends, a few days inside one month) × who took part.
WINDOWS = [(None, None), (dt.date(2003, 4, 1), dt.date(2003, 12, 31)),
           (dt.date(2003, 2, 14), dt.date(2003, 11, 3)),
           (dt.date(2003, 3, 5), dt.date(2003, 3, 20)),
           (None, dt.date(2003, 8, 17)), (dt.date(2003, 5, 31), None),
           (dt.date(2003, 6, 15), dt.date(2003, 7, 2))]
WHO = [{}, {"sex": "f"}, {"participant_category": "party"},
       {"sex": "m", "participant_category": "youth"}]
BREAKDOWNS = [(), ("quarter",), ("region", "month"), ("programme", "type"), ("year",),
              ("sex",), ("category", "sex"), ("age_group", "year"), ("region", "category"),
              ("category", "age_group", "sex")]
shapes = st.tuples(
    st.sampled_from(["activities", "participants", "attendance"]),
    st.sampled_from(BREAKDOWNS),
    st.sampled_from(WINDOWS),
    st.sampled_from(WHO),
    st.sampled_from([{}, {"programme": 0}, {"category": "training"}, {"type": 1},
                     {"region": 1}, {"partner": 0}, {"partner": 2}, {"q": "activity"},
                     {"q": "ТРЕНИНГ"}, {"q": "ҷамъ"}, {"q": "тр"}, {"q": '"near" (or'},
                     {"q": "isfara"}, {"q": "Ы"}]),
)


def _partner_cells(by, who) -> str:
    """The partner attendance table that holds a partner's attendance by `by` with `who`:
    PartnerCellCube (programme × time × category × sex), else PartnerAgeCube (programme ×
    type × region × time × age group × sex); "" when neither does."""
    cells = set(by) | {"category" if w == "participant_category" else w for w in who}
    if cells <= {"programme", "month", "quarter", "year", "category", "sex"}:
        return "figures_partnercellcube"
    if cells <= {"programme", "type", "region", "month", "quarter", "year", "age_group",
                 "sex"}:
        return "figures_partneragecube"
    return ""


def _raw_only(measure, by, window, who, other) -> bool:
    """The shapes that the raw rows answer on their own: free text, a partner's attendance
    that no partner attendance table holds (`_partner_cells`) or in a window with no
    whole month, and, when the window holds whole months, age groups of one
    participant category with a filter finer than the programme (the one month cube
    that holds both, CellLiteCube, is kept by programme and month only). Every other
    window that cuts a month is answered by a day-level table at its edges (a partner's
    activities and participants by `DayPartnerCube`, which also answers the whole window of
    a partner with who took part)."""
    no_whole_month = window in (WINDOWS[3], WINDOWS[6])
    return bool(
        "q" in other
        or ("partner" in other and measure == "attendance"
            and (no_whole_month or not _partner_cells(by, who)))
        or (measure == "attendance" and not no_whole_month
            and {"category", "age_group"} <= set(by) | {"category" for w in who
                                                         if w == "participant_category"}
            and bool({"type", "category", "region"} & set(other))))


def _day_table(measure, window, other) -> str:
    """The name (or its start) of the day-level table that must answer the edges of a
    window that cuts a month ("" when it cuts none, or the raw rows answer its edges)."""
    if window[0] and window[0].day != 1 or window[1] and window[1].day not in (28, 29, 30, 31):
        if "partner" in other:  # a partner's attendance: no day table, the raw edges
            return "figures_daypartnercube" if measure != "attendance" else ""
        if "q" not in other:
            return "figures_day"
    return ""


def reference(office, query) -> dict[tuple, int]:
    """The figure counted in Python from the raw rows, by the plainest route (the
    activity filter, then each activity's attendance rows), sharing no code with the
    engine's own paths: what every answer of the engine must equal."""
    # The free text is matched here in Python (a substring, in any case), not by the
    # text index the engine's filter uses.
    q = query.filters.q.lower()
    activities = {a["pk"]: a for a in filter_activities(
        office, replace(query.filters, q="")).values(
        "pk", "programme_id", "type_id", "region_id", "starts_on", "participants_total",
        "title", "description")
        if q in a["title"].lower() or q in a["description"].lower()}
    out: dict[tuple, int] = {}

    def key(a: dict, cell: dict | None) -> tuple:
        parts = []
        for d in query.by:
            if d in TIME_DIMENSIONS:
                parts.append(time_key(d, a["starts_on"]))
            elif d in ("programme", "type", "region"):
                parts.append(a[f"{d}_id"] or 0)
            else:
                parts.append(cell[d])
        return tuple(parts)

    if query.measure in ("activities", "participants"):
        for a in activities.values():
            n = 1 if query.measure == "activities" else a["participants_total"] or 0
            out[key(a, None)] = out.get(key(a, None), 0) + n
    else:
        f = query.filters
        for cell in Attendance.objects.filter(activity__in=list(activities)).values(
                "activity_id", "category", "sex", "age_group", "count"):
            if (f.sex and cell["sex"] != f.sex) or (
                    f.participant_category and cell["category"] != f.participant_category):
                continue
            k = key(activities[cell["activity_id"]], cell)
            out[k] = out.get(k, 0) + cell["count"]
    return {k: v for k, v in out.items() if v}


class CubesMatchRawRows(TestCase):
    @classmethod
    def setUpTestData(cls) -> None:
        places_load_tajikistan()
        cls.office = Office.objects.create(code="prop", name="Property office",
                                           established_on=dt.date(2002, 1, 1))
        cls.programmes = [Programme.objects.create(office=cls.office, code=c, name=c)
                          for c in ("a", "b")]
        cls.types = [ActivityType.objects.get_or_create(
                         code=c, defaults={"name": c, "category": k})[0]
                     for c, k in (("club", "dialogue"), ("course", "training"),
                                  ("workshop", "training"))]
        regions = Place.objects.filter(code__in=["TJ-SU", "TJ-KT"])
        district = Place.objects.filter(level=Place.Level.DISTRICT, parent__code="TJ-GB").first()
        cls.places = [None, *regions, district]
        cls.partners = [Organisation.objects.create(office=cls.office, name=f"Partner {n}",
                                                    kind=Organisation.Kind.choices[0][0])
                        for n in range(3)]

    def _fields(self, f: dict) -> dict:
        starts = START + dt.timedelta(days=f["start"])
        attendance = {Cell(c, s, a): n for (c, s, a), n in f["cells"].items()}
        total = sum(attendance.values()) if attendance else f["total"]
        return {"programme": self.programmes[f["programme"]], "type": self.types[f["type"]],
                "place": self.places[f["place"]], "starts_on": starts,
                "ends_on": starts + dt.timedelta(days=f["days"]), "participants_total": total,
                "title": f["title"], "description": f["description"],
                "attendance": attendance,
                "partners": [self.partners[n] for n in f["partners"]]}

    def _cube_rows(self) -> dict[str, list[tuple]]:
        return {c.model.__name__: sorted(
            tuple(r) for r in c.model.objects.filter(office=self.office.pk)
            .values_list(*[f.name for f in c.model._meta.fields if f.name != "id"]))
            for c in CUBES}

    def _filter(self, window, who, other) -> ActivityFilter:
        other = dict(other)
        if "programme" in other:
            other["programme"] = self.programmes[other["programme"]].pk
        if "type" in other:
            other["type"] = self.types[other["type"]].pk
        if "region" in other:
            other["region"] = self.places[other["region"]].pk
        if "partner" in other:
            other["partner"] = self.partners[other["partner"]].pk
        return ActivityFilter(date_from=window[0], date_to=window[1], **who, **other)

    @settings(max_examples=40, deadline=None,
              suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large])
    @given(operations, st.lists(shapes, min_size=12, max_size=12))
    def test_summary_figures_equal_raw_figures(self, ops, drawn) -> None:
        for op, index, f in ops:
            existing = list(Activity.objects.filter(office=self.office).order_by("id"))
            if op == "create":
                activity_create(actor=SYSTEM, office=self.office, **self._fields(f))
            elif existing and op == "update":
                activity_update(actor=SYSTEM, activity=existing[index % len(existing)],
                                **self._fields(f))
            elif existing and op == "delete":
                activity_delete(actor=SYSTEM, activity=existing[index % len(existing)])

        incremental = self._cube_rows()
        cubes_rebuild(self.office.pk)
        self.assertEqual(incremental, self._cube_rows())

        for measure, flt, by in QUERIES:
            query = FigureQuery(measure, flt, by)
            cube = cube_for(measure=measure, filters=flt, by=by)
            self.assertIsNotNone(cube, query)
            from_cube = engine._from_cube(self.office, query, cube)
            from_raw = engine._from_raw(self.office, query)
            self.assertEqual(from_cube, from_raw, query)

        every_window = [(m, by, w, {}, {}) for w in (WINDOWS[2], WINDOWS[4], WINDOWS[5])
                        for m, by in (("activities", ()), ("participants", ("month",)),
                                      ("attendance", ("sex",)))]
        # a partner in every window that cuts a month (one or both ends, none whole), for
        # its activities and participants (the partner tables), with who took part (the
        # partner day table over the whole window, whole months or not) and, from the raw
        # rows, its attendance
        partner_windows = [(m, by, w, {}, {"partner": p}) for w in WINDOWS[2:]
                           for p in (0, 2)
                           for m, by in (("activities", ()), ("participants", ("month",)))]
        partner_windows += [(m, by, w, who, {"partner": p})
                            for w in (WINDOWS[0], WINDOWS[1], WINDOWS[2], WINDOWS[6])
                            for p in (0, 2)
                            for m, by, who in (("activities", (), {"sex": "f"}),
                                               ("participants", (), WHO[3]),
                                               ("attendance", ("sex",), {}),
                                               ("attendance", ("category", "quarter"),
                                                {"sex": "m"}),
                                               ("attendance", ("region",), WHO[2]),
                                               ("attendance", ("age_group", "sex"), {}),
                                               ("attendance", ("type", "month"),
                                                {"sex": "f"}))]
        for measure, by, window, who, other in every_window + partner_windows + drawn:
            if measure != "attendance" and set(by) & {"sex", "category", "age_group"}:
                continue
            query = FigureQuery(measure, self._filter(window, who, other), by)
            result = engine.compute(self.office, query)
            got = ({tuple(r.breakdown[d] for d in by): r.value for r in result.rows} if by
                   else {(): result.total.value})
            want = reference(self.office, query)
            self.assertEqual({k: v for k, v in got.items() if v}, want, (query, result.source))
            self.assertEqual({k: v for k, v in engine._from_raw(self.office, query).items()
                              if v}, want, query)
            if "q" in other:
                self.assertEqual(result.source, "raw:text-index" if len(other["q"]) >= 3
                                 else "raw", query)
                # as a list page asks it: the text looked up once, and the activities and
                # participants of its matches counted from them
                with shared_text_lookups():
                    shared = engine.compute(self.office, query)
                self.assertEqual((shared.total, shared.rows), (result.total, result.rows),
                                 (query, shared.source))
                from_matches = measure != "attendance" and not who
                self.assertEqual(shared.source, "raw:text-matches" if from_matches
                                 else result.source, query)
            self.assertEqual(result.source.startswith("cube:"),
                             not _raw_only(measure, by, window, who, other),
                             (query, result.source))
            day = _day_table(measure, window, other)
            if day and not _raw_only(measure, by, window, who, other):
                self.assertTrue(result.source.split("+")[-1].startswith(f"cube:{day}"),
                                (query, result.source))
            if "partner" in other and measure == "attendance" and not _raw_only(
                    measure, by, window, who, other):
                cut = _day_table("activities", window, other)
                self.assertEqual(result.source, f"cube:{_partner_cells(by, who)}" +
                                 ("+raw:edges" if cut else ""), query)
            elif "partner" in other and who and not _raw_only(measure, by, window, who,
                                                              other):
                self.assertEqual(result.source, "cube:figures_daypartnercube", query)
            elif "partner" in other and day and not _raw_only(measure, by, window, who,
                                                              other):
                whole = window not in (WINDOWS[3], WINDOWS[6])
                self.assertEqual(result.source, "cube:figures_partnercube+"
                                 "cube:figures_daypartnercube" if whole else
                                 "cube:figures_daypartnercube", query)


def test_text_filters_a_partners_attendance_and_cut_months_are_answered_from_raw_rows(
        ) -> None:
    assert cube_for(measure="attendance", filters=ActivityFilter(partner=1), by=()
                    ).model.__name__ == "PartnerCellCube"
    assert cube_for(measure="attendance", filters=ActivityFilter(partner=1, sex="f"),
                    by=("category",)).model.__name__ == "PartnerCellCube"
    # by type, region or age group: the partner age table; by category with a region:
    # no table holds it
    assert cube_for(measure="attendance", filters=ActivityFilter(partner=1, region=3),
                    by=("age_group",)).model.__name__ == "PartnerAgeCube"
    assert cube_for(measure="attendance", filters=ActivityFilter(partner=1, region=3),
                    by=("category",)) is None
    # no month table holds a partner with who took part: the partner day table answers
    # the whole window (the property test above checks its numbers and its source)
    assert cube_for(measure="activities", filters=ActivityFilter(partner=1, sex="f"),
                    by=()) is None
    assert whole_window_cube(measure="activities",
                                 filters=ActivityFilter(partner=1, sex="f"))
    assert not whole_window_cube(measure="attendance",
                                     filters=ActivityFilter(partner=1, sex="f"))
    assert not whole_window_cube(measure="activities", filters=ActivityFilter(partner=1))
    assert cube_for(measure="activities", filters=ActivityFilter(q="club"), by=()) is None
    assert cube_for(measure="attendance", by=(),
                    filters=ActivityFilter(date_from=dt.date(2003, 1, 15))) is None


def test_the_smallest_covering_cube_is_chosen() -> None:
    def name(measure, by, **f):
        return cube_for(measure=measure, filters=ActivityFilter(**f), by=by).model.__name__

    assert name("attendance", ("sex",), programme=1) == "AgeLiteCube"
    assert name("attendance", ("category",), date_from=dt.date(2003, 1, 1)) == "CategoryLiteCube"
    assert name("attendance", ("category",), region=3) == "CategoryCube"
    assert name("attendance", ("age_group",), type=2) == "AgeCube"
    assert name("participants", ("quarter",)) == "ActivityCube"
    assert name("activities", ("quarter",), sex="f") == "AttendeeCube"
    assert name("participants", ("region",), participant_category="teacher") == "AttendeeCube"
    assert name("activities", ("type",), partner=4) == "PartnerCube"
    assert name("attendance", ("age_group", "sex"), participant_category="teacher",
                programme=1) == "CellLiteCube"
    assert name("attendance", ("category", "age_group")) == "CellLiteCube"
    assert cube_for(measure="attendance", by=("age_group",),
                    filters=ActivityFilter(participant_category="teacher", region=3)) is None


def test_deleting_an_office_by_any_door_takes_its_summary_rows_with_it(
        office, other_office, programme, activity_type) -> None:
    """The admin deletes an office without the services: its cube rows must go too, and
    another office's stay."""
    other = Programme.objects.create(office=other_office, code="other", name="Other")
    cell = {Cell("party", "f", AgeGroup.UNKNOWN): 4}
    for where, prog in ((office, programme), (other_office, other)):
        partner = Organisation.objects.create(office=where, name="Partner", kind="ngo")
        activity_create(actor=SYSTEM, office=where, programme=prog, type=activity_type,
                        starts_on=START, ends_on=START, title="Club", participants_total=4,
                        attendance=cell, partners=[partner])
    office.delete()
    for cube in CUBES:
        offices = set(cube.model.objects.values_list("office", flat=True))
        assert offices == {other_office.pk}, cube.model.__name__


def _all_cube_rows() -> dict[str, list[tuple]]:
    return {c.model.__name__: sorted(
        tuple(r) for r in c.model.objects.values_list(
            *[f.attname for f in c.model._meta.fields if f.name != "id"]))
        for c in CUBES}


def test_the_migration_that_fills_the_moved_tables_gives_what_the_services_kept(
        office, other_office, programme, activity_type, training_type, places) -> None:
    other = Programme.objects.create(office=other_office, code="other", name="Other")
    for n, (where, prog, kind, place, with_total) in enumerate([
        (office, programme, activity_type, places["TJ-SU"], False),
        (office, programme, training_type, None, True),
        (office, programme, activity_type, places["TJ-SU"], True),
        (other_office, other, training_type, places["TJ-KT"], True),
    ]):
        starts = START + dt.timedelta(days=40 * n)
        cells = {Cell("party", "f", AgeGroup.UNKNOWN): 3 + n, Cell("youth", "m", AgeGroup.YOUTH): n}
        activity_create(actor=SYSTEM, office=where, programme=prog, type=kind, place=place,
                        starts_on=starts, ends_on=starts, title="Club",
                        participants_total=sum(cells.values()) if with_total else None,
                        attendance={c: v for c, v in cells.items() if v})
    org = Organisation.objects.create(office=office, name="Partner", kind="ngo")
    Activity.objects.filter(office=office).first().partners.add(org)
    cubes_rebuild()
    kept = _all_cube_rows()
    assert all(kept.values())
    for cube in CUBES:
        cube.model.objects.all().delete()
    editor = SimpleNamespace(connection=connection)
    importlib.import_module(
        "peacebuild.figures.migrations.0002_rebuild_summary_tables_from_activities"
    ).rebuild(apps, editor)
    importlib.import_module(
        "peacebuild.figures.migrations.0003_figures_attendee_partner_cubes").fill(apps, editor)
    importlib.import_module(
        "peacebuild.figures.migrations.0004_figscale_cell_cube").fill(apps, editor)
    importlib.import_module(
        "peacebuild.figures.migrations.0005_edges_day_cubes").fill(apps, editor)
    importlib.import_module(
        # 0008 refills the partner day table that 0007 filled, with who took part
        "peacebuild.figures.migrations.0008_partnerwho_day_partner_bits").fill(apps, editor)
    importlib.import_module(
        "peacebuild.figures.migrations.0009_partnercell_partner_cell_cube").fill(apps, editor)
    importlib.import_module(
        "peacebuild.figures.migrations.0010_partnerage_partner_age_cube").fill(apps, editor)
    assert _all_cube_rows() == kept

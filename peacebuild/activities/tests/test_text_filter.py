"""The list's "title or description contains" filter, answered from the text index
(SQLite FTS5 trigram, PostgreSQL pg_trgm): the same rows as a substring match in any
case, Cyrillic included, whatever the text holds, and kept exact on every write."""

import datetime as dt

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from peacebuild.accounts.permissions import SYSTEM
from peacebuild.activities import queries
from peacebuild.activities.models import ActivityType
from peacebuild.activities.queries import (
    ActivityFilter,
    activities_page,
    filter_activities,
    shared_text_lookups,
)
from peacebuild.activities.services import (
    activities_create_many,
    activity_delete,
    activity_update,
)
from peacebuild.activities.tests.plans import query_plan
from peacebuild.figures.engine import FigureQuery, compute, figures_scope
from peacebuild.programmes.models import Programme

LIST = reverse("activities:list")


def found(client_for, q: str) -> list[str]:
    response = client_for("viewer").get(LIST, {"q": q})
    assert response.status_code == 200
    assert not response.context["problems"]
    rows = [a.title for a in response.context["rows"]]
    # The page's count comes from the figures engine: it must agree with the rows.
    assert response.context["count"].value == len(rows)
    return sorted(rows)


@pytest.fixture
def texts(make_activity):
    return {
        "ru": make_activity(title="Тренинг для молодёжи", description="В Хороге"),
        "tg": make_activity(title="Ҷамъомади занон", starts_on=dt.date(2005, 3, 2)),
        "en": make_activity(title="Women's dialogue", description="Held in ISFARA",
                            starts_on=dt.date(2005, 3, 3)),
        "syntax": make_activity(title='Club "NEAR" (OR) -x* AND', starts_on=dt.date(2005, 3, 4)),
    }


@pytest.mark.parametrize(("q", "want"), [
    ("isfara", ["Women's dialogue"]),             # description, other case
    ("WOMEN'S DIA", ["Women's dialogue"]),        # title, apostrophe and space
    ("тренинг", ["Тренинг для молодёжи"]),        # Russian, other case
    ("ХОРОГЕ", ["Тренинг для молодёжи"]),         # Russian, in the description
    ("ҷАМЪОМАДИ", ["Ҷамъомади занон"]),           # Tajik letters, mixed case
    ("ҷа", ["Ҷамъомади занон"]),                  # two letters: no trigram, same answer
    ("Ы", []),
    ("ё", ["Тренинг для молодёжи"]),
    ('"near"', ['Club "NEAR" (OR) -x* AND']),     # FTS syntax is only text
    ('(or) -x*', ['Club "NEAR" (OR) -x* AND']),
    ("OR", ['Club "NEAR" (OR) -x* AND']),
    ('" OR "', []),
    ("NEAR(", []),
    ("*", ['Club "NEAR" (OR) -x* AND']),
    ('"', ['Club "NEAR" (OR) -x* AND']),
    ("x* AND", ['Club "NEAR" (OR) -x* AND']),
    ("%", []),                                    # LIKE's wildcards are only text too
    ("_", []),
    ("nowhere", []),
])
def test_text_filter_finds_substrings_in_any_case(client_for, texts, q, want):
    assert found(client_for, q) == want


def test_an_edit_and_a_delete_change_what_is_found(client_for, texts):
    activity_update(actor=SYSTEM, activity=texts["ru"], title="Семинар",
                    description="В Душанбе")
    assert found(client_for, "тренинг") == []
    assert found(client_for, "хороге") == []
    assert found(client_for, "СЕМИНАР") == ["Семинар"]
    assert found(client_for, "душанбе") == ["Семинар"]
    activity_delete(actor=SYSTEM, activity=texts["ru"])
    assert found(client_for, "семинар") == []


def test_bulk_loaded_activities_are_found(client_for, office, programme, activity_type):
    activities_create_many(actor=SYSTEM, office=office, items=[
        {"programme": programme, "type": activity_type, "title": f"Загрузка {n}",
         "starts_on": dt.date(2005, 4, n), "ends_on": dt.date(2005, 4, n)}
        for n in range(1, 4)])
    assert found(client_for, "загрузка 2") == ["Загрузка 2"]
    assert len(found(client_for, "ЗАГРУЗКА")) == 3


def test_the_figures_say_the_text_index_answered(office, texts):
    result = compute(office, FigureQuery("activities", ActivityFilter(q="тренинг")))
    assert result.total.value == 1
    assert result.source == "raw:text-index"
    short = compute(office, FigureQuery("activities", ActivityFilter(q="ҷа")))
    assert (short.total.value, short.source) == (1, "raw")


# The list looks its text up once: the page's rows, count and participants share it.

def text_lookups(queries, needle: str) -> int:
    """How many of the captured queries test the text (its literal is in their SQL)."""
    return sum(needle in q["sql"].upper() for q in queries)


def test_the_list_looks_its_text_up_once(client_for, texts, make_activity):
    make_activity(title="Women's dialogue, second round", starts_on=dt.date(2005, 3, 9),
                  attendance={("teacher", "f"): 12})
    with CaptureQueriesContext(connection) as queries:
        assert found(client_for, "women's") == ["Women's dialogue",
                                                "Women's dialogue, second round"]
    assert text_lookups(queries, "WOMEN''S") == 1
    response = client_for("viewer").get(LIST, {"q": "women's", "sex": "f"})
    assert response.context["count"].value == 1
    assert response.context["attendees"].value == 12


def test_over_the_shared_limit_each_query_keeps_the_text(client_for, texts, make_activity,
                                                        monkeypatch):
    make_activity(title="Women's dialogue, second round", starts_on=dt.date(2005, 3, 9))
    monkeypatch.setattr(queries, "SHARED_MATCHES_MAX", 1)
    with CaptureQueriesContext(connection) as captured:
        # two matches, more than are shared: the rows and the figures each ask the text
        assert found(client_for, "women's") == ["Women's dialogue",
                                                "Women's dialogue, second round"]
    assert text_lookups(captured, "WOMEN''S") == 4  # the lookup, rows, count, participants


def test_a_shared_lookup_is_the_office_s_own(office, other_office, activity_type, texts,
                                             make_activity):
    theirs = Programme.objects.create(office=other_office, code="theirs", name="Theirs")
    make_activity(office=other_office, programme=theirs, title="Тренинг в Хороге")
    with shared_text_lookups():
        ours = list(filter_activities(office, ActivityFilter(q="тренинг")))
        other = list(filter_activities(other_office, ActivityFilter(q="тренинг")))
    assert [a.title for a in ours] == ["Тренинг для молодёжи"]
    assert [a.title for a in other] == ["Тренинг в Хороге"]


def test_outside_a_page_a_new_activity_is_found_at_once(office, texts, make_activity):
    flt = ActivityFilter(q="семинар")
    assert compute(office, FigureQuery("activities", flt)).total.value == 0
    make_activity(title="Семинар", starts_on=dt.date(2005, 5, 1))
    assert compute(office, FigureQuery("activities", flt)).total.value == 1


# Within a page's lookup, the text's activities and participants are counted from its
# matches: the same figures as the raw rows give, with no query after the lookup.

def test_a_texts_figures_come_from_its_shared_matches(office, other_programme, places,
                                                     make_activity, partner):
    training = ActivityType.objects.create(code="training-x", name="Training",
                                           category=ActivityType.Category.TRAINING)
    for n in range(12):
        varied = {"programme": other_programme if n % 3 == 0 else None,
                  "type": training if n % 2 else None,
                  "place": places["TJ-KT"] if n % 5 else None,
                  "partners": [partner] if n % 4 == 0 else None,
                  "attendance": {("youth", "f"): 3} if n % 3 == 1 else None}
        total = None if n % 4 == 0 or n % 3 == 1 else n  # with attendance: its sum
        make_activity(title=f"Круглый стол {n}", participants_total=total,
                      starts_on=dt.date(2005, 1 + n, 1 + 2 * n),
                      **{k: v for k, v in varied.items() if v is not None})
    make_activity(title="Семинар", participants_total=40)
    filters = [{}, {"programme": other_programme.pk}, {"type": training.pk},
               {"category": "training"}, {"region": places["TJ-KT"].pk},
               {"date_from": dt.date(2005, 3, 4), "date_to": dt.date(2005, 9, 20)},
               {"category": "dialogue", "date_to": dt.date(2005, 8, 31)}]
    asked = [FigureQuery(measure, ActivityFilter(q="круглый", **f), by)
             for f in filters for measure in ("activities", "participants")
             for by in ((), ("quarter",), ("region", "type"), ("programme", "month"))]
    plain = [compute(office, query) for query in asked]
    with figures_scope(), shared_text_lookups():  # as a request and the list page
        # the lookup, and the office's vocabulary (read once a request)
        compute(office, FigureQuery("activities", ActivityFilter(q="круглый",
                                                                 programme=other_programme.pk)))
        with CaptureQueriesContext(connection) as after_lookup:
            shared = [compute(office, query) for query in asked]
    assert [(r.total, r.rows) for r in shared] == [(r.total, r.rows) for r in plain]
    assert {r.source for r in shared} == {"raw:text-matches"}
    assert not after_lookup.captured_queries
    assert plain[0].total.value == 12 and plain[1 + 4 * 2].total.value  # not all empty
    # a partner or who took part needs other tables: the database answers, from the ids
    with shared_text_lookups():
        for flt in (ActivityFilter(q="круглый", partner=partner.pk),
                    ActivityFilter(q="круглый", sex="f")):
            result = compute(office, FigureQuery("participants", flt))
            assert result.source == "raw:text-index"
            assert result.total == compute(office, FigureQuery("participants", flt)).total


# A page of shared matches is sorted from them, in the list's order, never found by walking
# the date index from the newest day (long when the matches are old).

def all_pages(office, flt: ActivityFilter, size: int) -> list[list[str]]:
    pages, after = [], None
    while True:
        rows, after = activities_page(filter_activities(office, flt), after=after, size=size)
        pages.append([a.title for a in rows])
        if after is None:
            return pages


def test_pages_of_shared_matches_keep_the_list_order(office, make_activity):
    for n in range(8):  # three a day: the cursor's ties on one day are broken by id
        make_activity(title=f"Круглый стол {n}", starts_on=dt.date(2005, 6, 1 + n // 3))
    make_activity(title="Семинар", starts_on=dt.date(2005, 6, 2))
    flt = ActivityFilter(q="круглый")
    with shared_text_lookups():
        shared = all_pages(office, flt, size=3)
    assert shared == all_pages(office, flt, size=3) == [
        ["Круглый стол 7", "Круглый стол 6", "Круглый стол 5"],
        ["Круглый стол 4", "Круглый стол 3", "Круглый стол 2"],
        ["Круглый стол 1", "Круглый стол 0"],
    ]


def test_a_page_of_shared_matches_sorts_them_rather_than_walk_the_date_index(office,
                                                                          make_activity):
    for n in range(30):
        make_activity(title=f"Круглый стол {n}" if n % 5 == 0 else f"Семинар {n}",
                      starts_on=dt.date(2005, 6, 1) + dt.timedelta(days=n))
    flt = ActivityFilter(q="круглый")
    with shared_text_lookups(), CaptureQueriesContext(connection) as captured:
        rows, _cursor = activities_page(filter_activities(office, flt), after=None, size=3)
    assert [a.title for a in rows] == ["Круглый стол 25", "Круглый стол 20", "Круглый стол 15"]
    plan = query_plan(captured.captured_queries[-1]["sql"])
    sorted_step = "Sort" if connection.vendor == "postgresql" else "TEMP B-TREE FOR ORDER BY"
    assert sorted_step in plan and "activity_list_idx" not in plan, plan


# PostgreSQL: a text with a word most titles share asks the trigram index for its other
# words (the common word's trigram lists are as long as the table) and tests the whole
# text on the rows they find.

@pytest.mark.skipif(connection.vendor != "postgresql", reason="pg_trgm's statistics")
def test_a_common_word_is_not_asked_of_the_index(office, make_activity, monkeypatch):
    activities_create_many(actor=SYSTEM, office=office, items=[
        {"programme": office.programmes.get(), "type": ActivityType.objects.get(),
         "title": f"Activity {n}", "description": "Khujand" if n % 20 == 0 else "",
         "starts_on": dt.date(2005, 1, 1) + dt.timedelta(days=n),
         "ends_on": dt.date(2005, 1, 1) + dt.timedelta(days=n)} for n in range(300)])
    make_activity(title="Round table", description="Activity 12 again, 100% done_")
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE activities_activity")
    monkeypatch.setattr(queries, "_text_samples", {})  # this test's statistics, read anew
    assert queries._uncommon_words("activity 12", "default") == [" 12"]
    assert queries._uncommon_words("activity  12 khujand", "default") == [" 12 ", " khujand"]
    assert queries._uncommon_words("activity", "default") == []  # one word: the whole text
    assert queries._uncommon_words("12 round", "default") == []  # no common word
    # a letter that starts the text has no trigram ("7 "): the whole text is asked
    assert queries._uncommon_words("7 activity", "default") == []
    assert queries._uncommon_words("12 activity", "default") == ["12 "]
    for q in ("activity 12", "ACTIVITY 1", "activity 12 again", "activity 2%", "12 again, 100%",
              "100% done_", "activity 7", "activity 299"):
        want = sorted(a.title for a in office.activities.all()
                      if q.lower() in a.title.lower() or q.lower() in a.description.lower())
        with CaptureQueriesContext(connection) as captured:
            got = sorted(filter_activities(office, ActivityFilter(q=q)).values_list(
                "title", flat=True))
        assert got == want, q
        assert want or q == "activity 2%"
    plan = query_plan(captured.captured_queries[-1]["sql"])
    assert "'% 299%'" in plan and "Index Cond: (upper((title)::text) ~~ '%ACTIVITY" not in plan

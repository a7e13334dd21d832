"""The list's "title or description contains" filter, answered from the text index
(SQLite FTS5 trigram, PostgreSQL pg_trgm): the same rows as a substring match in any
case, Cyrillic included, whatever the text holds, and kept exact on every write."""

import datetime as dt

import pytest
from django.urls import reverse

from peacebuild.accounts.permissions import SYSTEM
from peacebuild.activities.queries import ActivityFilter
from peacebuild.activities.services import (
    activities_create_many,
    activity_delete,
    activity_update,
)
from peacebuild.figures.engine import FigureQuery, compute

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


"""The activity list: filters, keyset pagination, the summary figures, empty states."""

import datetime as dt

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from peacebuild.accounts.permissions import SYSTEM
from peacebuild.activities.models import ActivityType
from peacebuild.activities.queries import ActivityFilter, activities_page, filter_activities
from peacebuild.activities.services import activities_create_many
from peacebuild.activities.tests.plans import query_plan
from peacebuild.places.models import Place

LIST = reverse("activities:list")


def titles(response) -> list[str]:
    return [a.title for a in response.context["rows"]]


@pytest.fixture
def varied(make_activity, other_programme, training_type, places, partner):
    """Four activities that differ in one dimension each from the first."""
    base = make_activity(title="Base", place=places["TJ-SU"], starts_on=dt.date(2005, 3, 1))
    return {
        "base": base,
        "programme": make_activity(title="Other programme", programme=other_programme,
                                   place=places["TJ-SU"], starts_on=dt.date(2005, 3, 2)),
        "type": make_activity(title="Training", type=training_type, place=places["TJ-SU"],
                              starts_on=dt.date(2005, 3, 3)),
        "region": make_activity(title="Khatlon", place=places["TJ-KT"],
                                starts_on=dt.date(2005, 3, 4)),
        "partner": make_activity(title="With partner", place=places["TJ-SU"],
                                 partners=[partner], starts_on=dt.date(2005, 3, 5)),
        "date": make_activity(title="Later", place=places["TJ-SU"],
                              starts_on=dt.date(2007, 6, 1)),
        "text": make_activity(title="Women's dialogue in Isfara", place=places["TJ-SU"],
                              starts_on=dt.date(2005, 3, 6)),
    }


def test_unfiltered_lists_all_newest_first(client_for, varied):
    response = client_for("viewer").get(LIST)
    assert response.status_code == 200
    assert titles(response) == ["Later", "Women's dialogue in Isfara", "With partner",
                                "Khatlon", "Training", "Other programme", "Base"]


@pytest.mark.parametrize("param", ["programme", "type", "region", "partner", "date", "text"])
def test_each_filter_narrows(param, client_for, varied, other_programme, training_type,
                             places, partner):
    query = {
        "programme": {"programme": other_programme.pk},
        "type": {"type": training_type.pk},
        "region": {"region": places["TJ-KT"].pk},
        "partner": {"partner": partner.pk},
        "date": {"date_from": "2007-01-01", "date_to": "2007-12-31"},
        "text": {"q": "isfara"},
    }[param]
    response = client_for("viewer").get(LIST, query)
    assert titles(response) == [varied[param].title]
    assert not response.context["problems"]
    # The summary counts the same records and links back to them.
    assert response.context["count"].value == 1
    assert response.context["count"].records_url.startswith(LIST + "?")


def test_region_filter_includes_districts(client_for, make_activity, places):
    district = Place.objects.filter(level=Place.Level.DISTRICT, parent=places["TJ-KT"]).first()
    make_activity(title="In a district", place=district)
    response = client_for("viewer").get(LIST, {"region": places["TJ-KT"].pk})
    assert titles(response) == ["In a district"]


def test_summary_figures_link_to_records(client_for, make_activity, programme):
    make_activity(participants_total=12)
    make_activity(participants_total=30)
    response = client_for("viewer").get(LIST, {"programme": programme.pk})
    html = response.content.decode()
    assert response.context["count"].value == 2
    assert response.context["participants"].value == 42
    assert f'href="{LIST}?programme={programme.pk}"' in html
    assert ">42</a>" in html


@pytest.mark.parametrize("query", [
    {"programme": "abc"}, {"date_from": "yesterday"}, {"date_from": "2005-02-30"},
    {"date_from": "2006-01-01", "date_to": "2005-01-01"}, {"after": "rubbish"},
    {"after": "2005-01-01.x"}, {"region": "-1"},
])
def test_bad_filter_input_says_so(query, client_for, make_activity):
    make_activity(title="Still listed", starts_on=dt.date(2007, 1, 1))
    response = client_for("viewer").get(LIST, query)
    assert response.status_code == 200
    assert response.context["problems"]
    html = response.content.decode()
    assert 'role="alert"' in html
    assert "Still listed" in html


def test_bad_filter_keeps_the_good_ones(client_for, varied, training_type):
    response = client_for("viewer").get(LIST, {"type": training_type.pk, "date_from": "x"})
    assert titles(response) == ["Training"]
    assert len(response.context["problems"]) == 1


def test_keyset_pagination_visits_every_row_once(client_for, make_activity, settings,
                                                 monkeypatch):
    monkeypatch.setattr("peacebuild.activities.views.PAGE_SIZE", 4)
    created = []
    for i in range(11):
        # Many rows share a start date, so the cursor must break ties by id.
        created.append(make_activity(title=f"A{i}", starts_on=dt.date(2005, 1, 1 + i // 4)))
    client = client_for("viewer")
    seen: list[int] = []
    query: dict[str, str] = {}
    pages = 0
    while True:
        response = client.get(LIST, query)
        seen += [a.pk for a in response.context["rows"]]
        pages += 1
        cursor = response.context["next_cursor"]
        if not cursor:
            break
        html = response.content.decode()
        assert "Next page" in html and "after=" in html
        query = {"after": cursor}
    assert pages == 3
    assert len(seen) == len(set(seen)) == 11
    expected = sorted(created, key=lambda a: (a.starts_on, a.pk), reverse=True)
    assert seen == [a.pk for a in expected]


def test_next_page_link_keeps_filters(client_for, make_activity, programme, monkeypatch):
    monkeypatch.setattr("peacebuild.activities.views.PAGE_SIZE", 2)
    for i in range(3):
        make_activity(title=f"A{i}", starts_on=dt.date(2005, 1, 1 + i))
    response = client_for("viewer").get(LIST, {"programme": programme.pk})
    cursor = response.context["next_cursor"]
    html = response.content.decode()
    assert f"?programme={programme.pk}&amp;after={cursor}" in html
    second = client_for("viewer").get(LIST, {"programme": programme.pk, "after": cursor})
    assert titles(second) == ["A0"]
    assert "First page" in second.content.decode()


def test_list_query_count_does_not_grow(client_for, make_activity, places, partner,
                                        django_assert_max_num_queries, centre):
    client = client_for("programme")

    def make(n: int) -> None:
        for i in range(n):
            make_activity(title=f"A{i}", place=places["TJ-SU"], partners=[partner],
                          centre=centre, attendance={("youth", "f"): 2, ("youth", "m"): 1})

    make(5)
    client.get(LIST)  # warm caches (content types, sessions)
    with CaptureQueriesContext(connection) as small:
        client.get(LIST)
    make(55)
    with django_assert_max_num_queries(len(small.captured_queries)):
        response = client.get(LIST)
    assert len(response.context["rows"]) == 50


def test_user_text_is_escaped(client_for, make_activity):
    activity = make_activity(title="<script>alert(1)</script>",
                             description="<b>bold</b>")
    for url in (LIST, reverse("activities:detail", args=[activity.pk])):
        html = client_for("viewer").get(url).content.decode()
        assert "<script>alert(1)</script>" not in html
        assert "&lt;script&gt;alert(1)&lt;/script&gt;" in html
        assert "<b>bold</b>" not in html


def test_empty_office_invites_to_record(client_for):
    html = client_for("programme").get(LIST).content.decode()
    assert "No activities have been recorded in this office yet." in html
    assert reverse("activities:create") in html
    viewer = client_for("viewer").get(LIST).content.decode()
    assert "No activities have been recorded in this office yet." in viewer
    assert reverse("activities:create") not in viewer


def test_filters_matching_nothing_say_so(client_for, make_activity):
    make_activity()
    html = client_for("viewer").get(LIST, {"q": "nothing like this"}).content.decode()
    assert "No activities match these filters." in html
    assert f'href="{LIST}"' in html


def test_filter_selects_hold_only_this_office(client_for, office, other_office, programme):
    from peacebuild.partners.models import Organisation
    from peacebuild.programmes.models import Programme

    Programme.objects.create(office=other_office, code="x", name="Foreign programme")
    Organisation.objects.create(office=other_office, name="Foreign partner", kind="ngo")
    html = client_for("viewer").get(LIST).content.decode()
    assert "Foreign programme" not in html
    assert "Foreign partner" not in html
    assert "Dialogue" in html


# A kind of activity on a page: read in list order from the cursor on every database, and
# on SQLite by walking the list index rather than ranging the type index for each of the
# kind's types and sorting every row of the kind before the cursor.

def test_pages_of_a_kind_walk_the_list_from_the_cursor(office, programme, activity_type,
                                                       training_type):
    media = ActivityType.objects.create(code="media-course", name="Media course",
                                        category=ActivityType.Category.TRAINING)
    types = [activity_type, training_type, media]
    activities_create_many(actor=SYSTEM, office=office, items=[
        {"programme": programme, "type": types[n % 3], "title": f"Activity {n}",
         "starts_on": dt.date(2005, 1, 1) + dt.timedelta(days=n // 2),
         "ends_on": dt.date(2005, 1, 1) + dt.timedelta(days=n // 2)}
        for n in range(300)])
    flt = ActivityFilter(category=ActivityType.Category.TRAINING)
    want = list(filter_activities(office, flt).order_by("-starts_on", "-id")
                .values_list("title", flat=True))
    assert len(want) == 200
    if connection.vendor == "sqlite":
        with connection.cursor() as cursor:
            cursor.execute("ANALYZE")  # the statistics a planner has for a real office
    pages, after = [], None
    with CaptureQueriesContext(connection) as captured:
        while True:
            rows, after = activities_page(filter_activities(office, flt, for_page=True),
                                          after=after, size=30)
            pages += [a.title for a in rows]
            if after is None:
                break
    assert pages == want
    if connection.vendor == "sqlite":
        plan = query_plan(captured.captured_queries[-1]["sql"])
        assert "activity_list_idx" in plan and "TEMP B-TREE" not in plan, plan

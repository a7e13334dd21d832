"""Filtering activities by who took part (sex, participant category): the list shows the
activities and how many such people attended, the same number the figures engine gives
for a bar of the dashboard that links there."""

import pytest
from django.urls import reverse

from peacebuild.activities.queries import ActivityFilter
from peacebuild.figures import engine as figures

LIST = reverse("activities:list")


@pytest.fixture
def records(make_activity):
    return [
        make_activity(title="Club A", attendance={("party", "f"): 4, ("party", "m"): 6}),
        make_activity(title="Club B", attendance={("teacher", "m"): 9}),
        make_activity(title="Club C", attendance={("teacher", "f"): 3, ("youth", "m"): 2}),
    ]


def test_women_filter_lists_activities_attended_by_women(client_for, records):
    html = client_for("viewer").get(LIST, {"sex": "f"}).content.decode()
    assert "Club A" in html and "Club C" in html and "Club B" not in html
    assert 'data-measure="attendees"><a class="value" href="' in html
    assert ">7</a>" in html  # 4 + 3 women


def test_a_sex_bar_links_to_the_list_that_counts_the_same_people(client_for, office, records):
    women = next(f for f in figures.participants_by(office, "sex") if f.breakdown["sex"] == "f")
    assert women.value == 7
    html = client_for("viewer").get(women.records_url).content.decode()
    assert f">{women.value}</a>" in html


def test_category_and_sex_together(office, records):
    flt = ActivityFilter(participant_category="teacher", sex="f")
    assert figures.activity_count(office, flt).value == 1
    total = figures.compute(office, figures.FigureQuery("attendance", flt)).total
    assert total.value == 3


def test_bad_attendee_filter_is_reported_not_applied(client_for, records):
    html = client_for("viewer").get(LIST, {"sex": "x", "participant_category": "aliens"}
                                    ).content.decode()
    assert "could not be read" in html
    assert "Club A" in html and "Club B" in html

"""Editing an activity keeps what the edit does not change (the attendance by age group
above all) and never silently overwrites someone else's save."""

import datetime as dt
import threading

import pytest
from django.db import connection
from django.urls import reverse

from peacebuild.accounts.audit import EditConflict, version_of
from peacebuild.accounts.models import AuditEntry
from peacebuild.accounts.permissions import SYSTEM
from peacebuild.activities.models import Activity, Attendance
from peacebuild.activities.services import Cell, activity_create, activity_snapshot, activity_update
from tests.formdata import submitted


def cells(activity: Activity) -> dict[tuple[str, str, str], int]:
    return {(a.category, a.sex, a.age_group): a.count
            for a in Attendance.objects.filter(activity=activity)}


@pytest.fixture
def by_age(office, programme, activity_type) -> Activity:
    return activity_create(
        actor=SYSTEM, office=office, programme=programme, type=activity_type,
        title="Party school", description="Two days.", starts_on=dt.date(2005, 3, 1),
        ends_on=dt.date(2005, 3, 2), participants_total=10,
        attendance={Cell("party", "f", "18-29"): 4, Cell("party", "f", "30-59"): 6},
    )


def edit_url(activity: Activity) -> str:
    return reverse("activities:edit", args=[activity.pk])


def test_editing_only_the_title_keeps_the_age_groups(client_for, by_age):
    client = client_for("programme")
    html = client.get(edit_url(by_age)).content.decode()
    response = client.post(edit_url(by_age), submitted(html, title="Party school, spring"))
    assert response.status_code == 302
    by_age.refresh_from_db()
    assert by_age.title == "Party school, spring"
    assert cells(by_age) == {("party", "f", "18-29"): 4, ("party", "f", "30-59"): 6}


def test_the_grid_shows_the_age_rows_of_a_record_that_has_them(client_for, by_age,
                                                             make_activity):
    client = client_for("programme")
    html = client.get(edit_url(by_age)).content.decode()
    assert 'name="att-party-f-18-29" value="4"' in html
    assert 'name="att-party-f-30-59" value="6"' in html
    assert 'name="by_age" data-age-toggle="" id="id_by_age" checked' in html
    assert '<tr class="age-row" data-age-row hidden>' not in html

    plain = make_activity(participants_total=3, attendance={("party", "m"): 3})
    html = client.get(edit_url(plain)).content.decode()
    assert 'name="att-party-m" value="3"' in html
    assert "checked" not in html.split('name="by_age"')[1].split(">")[0]
    # No age rows: the page stays small; its script adds them when asked for.
    assert 'name="att-party-m-18-29"' not in html
    assert 'name="att-__category__-m-18-29"' in html.split("<template data-age-rows>")[1]


def test_age_groups_can_be_entered_and_must_add_up(client_for, make_activity):
    activity = make_activity(participants_total=3, attendance={("party", "m"): 3})
    client = client_for("programme")
    html = client.get(edit_url(activity)).content.decode()
    data = submitted(html, by_age="on", participants_total="5",
                     **{"att-youth-f-0-17": "2"})
    assert client.post(edit_url(activity), data).status_code == 302
    assert cells(activity) == {("party", "m", "unknown"): 3, ("youth", "f", "0-17"): 2}

    data = submitted(client.get(edit_url(activity)).content.decode(),
                     **{"att-youth-f-0-17": "4"})
    response = client.post(edit_url(activity), data)
    assert response.status_code == 200
    assert "The breakdown adds up to 7 but the total says 5." in response.content.decode()
    assert cells(activity) == {("party", "m", "unknown"): 3, ("youth", "f", "0-17"): 2}


def test_an_unchanged_save_touches_nothing(client_for, by_age):
    stamp, audits = Activity.objects.get(pk=by_age.pk).updated_at, AuditEntry.objects.count()
    activity_update(actor=SYSTEM, activity=by_age, title=by_age.title,
                    attendance={Cell("party", "f", "18-29"): 4, Cell("party", "f", "30-59"): 6})
    assert Activity.objects.get(pk=by_age.pk).updated_at == stamp
    assert AuditEntry.objects.count() == audits


def test_the_second_of_two_editors_is_told_and_overwrites_nothing(client_for, by_age):
    a, b = client_for("programme"), client_for("programme")
    form_a = a.get(edit_url(by_age)).content.decode()
    form_b = b.get(edit_url(by_age)).content.decode()
    assert a.post(edit_url(by_age), submitted(form_a, title="A's title")).status_code == 302

    response = b.post(edit_url(by_age), submitted(form_b, description="B's description"))
    assert response.status_code == 200
    page = response.content.decode()
    assert "Someone else changed this record while you were editing it" in page
    # Field by field: B's value, the saved one, and whose change the difference is.
    diff = {d.label: (d.yours, d.saved, d.theirs) for d in response.context["conflict"]}
    assert diff == {"Title": ("Party school", "A's title", True),
                    "Description": ("B's description", "Two days.", False)}
    by_age.refresh_from_db()
    assert (by_age.title, by_age.description) == ("A's title", "Two days.")
    # B's typing is kept in the form, with the version that A saved.
    again = submitted(page)
    assert again["description"] == ["B's description"]
    assert again["edit_version"] == [version_of(activity_snapshot(by_age))]


@pytest.mark.django_db(transaction=True)
@pytest.mark.skipif(connection.vendor != "postgresql",
                    reason="row locks across connections need PostgreSQL")
def test_of_six_parallel_edits_exactly_one_is_saved(office, programme, activity_type):
    activity = activity_create(actor=SYSTEM, office=office, programme=programme,
                               type=activity_type, title="Club", starts_on=dt.date(2005, 3, 1),
                               ends_on=dt.date(2005, 3, 1))
    version = version_of(activity_snapshot(activity))
    start, outcomes = threading.Barrier(6), []

    def edit(n: int) -> None:
        mine = Activity.objects.get(pk=activity.pk)
        start.wait()
        try:
            activity_update(actor=SYSTEM, activity=mine, version=version, title=f"Edit {n}")
            outcomes.append("saved")
        except EditConflict:
            outcomes.append("conflict")
        finally:
            connection.close()

    threads = [threading.Thread(target=edit, args=(n,)) for n in range(6)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(timeout=30)
    assert sorted(outcomes) == ["conflict"] * 5 + ["saved"]
    assert AuditEntry.objects.filter(action="update", object_id=str(activity.pk)).count() == 1

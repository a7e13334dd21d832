"""Recording and editing an activity with its attendance grid."""

import datetime as dt

import pytest
from django.urls import reverse

from peacebuild.activities.models import Activity, Attendance

CREATE = reverse("activities:create")


@pytest.fixture
def post(programme, activity_type, places, partner):
    def make(**changes: str) -> dict[str, str]:
        data = {
            "programme": str(programme.pk), "type": str(activity_type.pk),
            "title": "Roundtable on local elections", "description": "Two days in Khujand.",
            "starts_on": "2005-04-02", "ends_on": "2005-04-03",
            "place": str(places["TJ-SU"].pk), "partners": [str(partner.pk)],
            "participants_total": "10",
            "att-civil_society-f": "4", "att-civil_society-m": "3", "att-youth-u": "3",
            "outputs": "Recommendations drafted", "follow_up": "Sent to parliament",
        }
        data.update(changes)
        return {k: v for k, v in data.items() if v is not None}

    return make


def cells(activity: Activity) -> dict[tuple[str, str], int]:
    return {(a.category, a.sex): a.count for a in Attendance.objects.filter(activity=activity)}


def test_create_saves_activity_and_attendance(client_for, post, partner, places):
    client = client_for("programme")
    response = client.post(CREATE, post())
    activity = Activity.objects.get()
    assert response.status_code == 302
    assert response["Location"] == reverse("activities:detail", args=[activity.pk])
    assert activity.participants_total == 10
    assert activity.region == places["TJ-SU"]
    assert list(activity.partners.all()) == [partner]
    assert activity.follow_up == "Sent to parliament"
    assert cells(activity) == {("civil_society", "f"): 4, ("civil_society", "m"): 3,
                               ("youth", "u"): 3}
    page = client.get(response["Location"])
    assert "was recorded" in page.content.decode()


def test_create_without_total_takes_it_from_the_breakdown(client_for, post):
    client_for("programme").post(CREATE, post(participants_total=""))
    assert Activity.objects.get().participants_total == 10


def test_form_page_has_grid_and_script(client_for):
    html = client_for("programme").get(CREATE).content.decode()
    assert 'name="att-teacher-f"' in html
    assert 'name="att-former_combatant-u"' in html
    assert "activities/attendance.js" in html
    assert "<script>" not in html.split("activities/attendance.js")[0].split("</header>")[1]
    assert 'type="date"' in html


def assert_not_saved(response, field: str, text: str) -> None:
    assert response.status_code == 200
    assert Activity.objects.count() == 0
    assert Attendance.objects.count() == 0
    form = response.context["form"]
    messages = form.attendance_errors if field == "attendance" else form.errors[field]
    assert any(text in str(m) for m in messages), messages
    assert text in response.content.decode().replace("&#x27;", "'")


def test_breakdown_disagreeing_with_total_is_refused(client_for, post):
    response = client_for("programme").post(CREATE, post(participants_total="12"))
    assert_not_saved(response, "attendance",
                     "The breakdown adds up to 10 but the total says 12.")
    # What was typed is kept.
    html = response.content.decode()
    assert 'value="Roundtable on local elections"' in html
    assert 'name="att-civil_society-f" value="4"' in html


def test_negative_count_is_refused(client_for, post):
    response = client_for("programme").post(CREATE, post(**{"att-youth-u": "-3",
                                                            "participants_total": "4"}))
    assert response.status_code == 200
    assert Activity.objects.count() == 0
    assert response.context["form"].errors["att-youth-u"]
    assert "youth, not recorded" in response.content.decode()


def test_date_far_outside_office_life_is_refused(client_for, post):
    response = client_for("programme").post(CREATE, post(starts_on="1980-01-01"))
    assert_not_saved(response, "starts_on", "is far outside the life of TST")


def test_end_before_start_is_refused(client_for, post):
    response = client_for("programme").post(CREATE, post(ends_on="2005-04-01"))
    assert_not_saved(response, "ends_on", "The end date is before the start date.")


def test_implausible_total_is_refused(client_for, post):
    response = client_for("programme").post(CREATE, post(participants_total="1000000"))
    assert response.status_code == 200
    assert response.context["form"].errors["participants_total"]
    assert Activity.objects.count() == 0


def test_programme_of_someone_else_cannot_be_chosen(client_for, post, other_programme):
    response = client_for("programme").post(CREATE, post(programme=str(other_programme.pk)))
    assert response.status_code == 200
    assert response.context["form"].errors["programme"]
    assert Activity.objects.count() == 0


def test_edit_shows_current_values_and_replaces_attendance(client_for, post, make_activity):
    activity = make_activity(participants_total=5,
                             attendance={("teacher", "f"): 2, ("teacher", "m"): 3})
    url = reverse("activities:edit", args=[activity.pk])
    client = client_for("programme")
    html = client.get(url).content.decode()
    assert 'name="att-teacher-m" value="3"' in html
    assert 'value="2005-03-01"' in html

    response = client.post(url, post(title="Renamed", participants_total="7",
                                     **{"att-civil_society-f": "", "att-civil_society-m": "",
                                        "att-youth-u": "", "att-journalist-f": "7"}))
    assert response.status_code == 302
    activity.refresh_from_db()
    assert activity.title == "Renamed"
    assert cells(activity) == {("journalist", "f"): 7}


def test_failed_edit_changes_nothing(client_for, post, make_activity):
    activity = make_activity(participants_total=5, attendance={("teacher", "f"): 5})
    response = client_for("programme").post(reverse("activities:edit", args=[activity.pk]),
                                            post(title="Renamed", participants_total="99"))
    assert response.status_code == 200
    activity.refresh_from_db()
    assert activity.title == "Discussion club"
    assert cells(activity) == {("teacher", "f"): 5}


def test_edit_is_logged_with_what_changed(client_for, post, make_activity):
    from peacebuild.accounts.models import AuditEntry

    activity = make_activity(participants_total=10)
    client_for("programme").post(reverse("activities:edit", args=[activity.pk]),
                                 post(title="Renamed"))
    entry = AuditEntry.objects.filter(action="update", object_id=str(activity.pk)).get()
    assert entry.before["title"] == "Discussion club"
    assert entry.after["title"] == "Renamed"


def test_delete_asks_then_deletes(client_for, make_activity):
    activity = make_activity(attendance={("teacher", "f"): 5})
    url = reverse("activities:delete", args=[activity.pk])
    client = client_for("programme")
    assert "Delete this activity?" in client.get(url).content.decode()
    assert Activity.objects.count() == 1
    response = client.post(url)
    assert response["Location"] == reverse("activities:list")
    assert Activity.objects.count() == 0
    assert Attendance.objects.count() == 0


def test_detail_shows_breakdown_with_totals(client_for, make_activity, partner, places):
    activity = make_activity(
        title="Club", place=places["TJ-SU"], partners=[partner], participants_total=1300,
        starts_on=dt.date(2005, 3, 1), ends_on=dt.date(2005, 3, 2),
        attendance={("teacher", "f"): 1000, ("teacher", "m"): 200, ("youth", "f"): 100},
    )
    response = client_for("viewer").get(reverse("activities:detail", args=[activity.pk]))
    html = response.content.decode()
    table = response.context["attendance"]
    assert table.total == 1300
    assert table.by_sex == {"f": 1100, "m": 200}
    assert table.by_category == {"teacher": 1200, "youth": 100}
    assert "1,300" in html and "1,200" in html and "1,100" in html
    assert "Youth Forum" in html
    assert "entered by staff" in html
    assert "Sughd Region" in html
    # A viewer gets no edit buttons.
    assert reverse("activities:edit", args=[activity.pk]) not in html

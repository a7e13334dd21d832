"""CSV exports of the activity list and of its attendance cells."""

import csv
import datetime as dt
import io

from django.urls import reverse

from peacebuild.lib.spreadsheets import neutralise


def read_csv(response) -> list[dict[str, str]]:
    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/csv")
    body = b"".join(response.streaming_content).decode("utf-8-sig")
    return list(csv.DictReader(io.StringIO(body)))


def test_activity_export_follows_filters(client_for, make_activity, places, training_type,
                                         programme):
    kept = make_activity(title="Club", place=places["TJ-SU"], participants_total=12,
                         starts_on=dt.date(2005, 3, 1))
    make_activity(title="Training", type=training_type, starts_on=dt.date(2005, 3, 2))
    response = client_for("viewer").get(reverse("activities:export"),
                                        {"region": places["TJ-SU"].pk})
    today = kept.office.today().isoformat()  # the office's date, not the server's
    assert response["Content-Disposition"] == (
        f'attachment; filename="tst-activities-{today}.csv"'
    )
    rows = read_csv(response)
    assert rows == [{
        "id": str(kept.pk), "starts_on": "2005-03-01", "ends_on": "2005-03-01",
        "title": "Club", "type": "discussion-club", "category": "dialogue",
        "programme": programme.code, "region": "TJ-SU", "place": "TJ-SU", "centre": "",
        "participants_total": "12", "source": "entered",
    }]


def test_attendance_export_has_one_row_per_cell(client_for, make_activity):
    activity = make_activity(participants_total=5,
                             attendance={("teacher", "f"): 2, ("youth", "m"): 3})
    make_activity(title="No breakdown")
    response = client_for("viewer").get(reverse("activities:export_attendance"))
    assert "attendance" in response["Content-Disposition"]
    rows = read_csv(response)
    assert [(r["activity_id"], r["category"], r["sex"], r["count"]) for r in rows] == [
        (str(activity.pk), "teacher", "f", "2"), (str(activity.pk), "youth", "m", "3"),
    ]


def test_formulas_are_neutralised(client_for, make_activity):
    make_activity(title='=HYPERLINK("http://evil.example","click")')
    make_activity(title="+1 and more", starts_on=dt.date(2005, 3, 2))
    make_activity(title="@SUM(A1)", starts_on=dt.date(2005, 3, 3))
    make_activity(title="-2+3", starts_on=dt.date(2005, 3, 4))
    rows = read_csv(client_for("viewer").get(reverse("activities:export")))
    assert [r["title"] for r in rows] == [
        "'-2+3", "'@SUM(A1)", "'+1 and more", "'=HYPERLINK(\"http://evil.example\",\"click\")",
    ]


def test_neutralise_leaves_numbers_and_plain_text():
    assert neutralise(-3) == -3
    assert neutralise("Youth forum") == "Youth forum"
    assert neutralise("\tcmd") == "'\tcmd"


def test_export_refuses_bad_filters(client_for):
    response = client_for("viewer").get(reverse("activities:export"), {"date_from": "x"})
    assert response.status_code == 400


def test_export_shows_only_the_office(client_for, make_activity):
    make_activity(title="Ours")
    assert read_csv(client_for("outsider").get(reverse("activities:export"))) == []

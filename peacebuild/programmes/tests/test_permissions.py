"""Who may open which results page: the role × page matrix, kept as data.

Everyone in the office reads the dashboards and the framework. M&E officers change the
framework (edit_results); the head of office assesses benchmarks (approve). The outsider is
head of another office: office-level pages show their own office, records of this office
are 404.
"""

import datetime as dt

import pytest
from django.urls import reverse

from peacebuild.accounts.permissions import SYSTEM
from peacebuild.programmes import services
from peacebuild.programmes.models import Actual, Indicator, Output, Target

ROLES = ["head", "programme", "monitoring", "human_rights", "viewer", "outsider", "anonymous"]

EDIT_GET = (403, 403, 200, 403, 403, 404, 302)
EDIT_POST = (403, 403, 302, 403, 403, 404, 302)

MATRIX: dict[tuple[str, str], dict[str, int]] = {
    key: dict(zip(ROLES, statuses, strict=True))
    for key, statuses in {
        #                                   head prog  m&e  hr   view out  anon
        ("dashboard", "GET"):              (200, 200, 200, 200, 200, 200, 302),
        ("programme", "GET"):              (200, 200, 200, 200, 200, 404, 302),
        ("download", "GET"):               (200, 200, 200, 200, 200, 200, 302),
        # The casework's aggregates: counts only, for everyone who sees the office's records.
        ("human_rights", "GET"):           (200, 200, 200, 200, 200, 200, 302),
        ("framework", "GET"):              (200, 200, 200, 200, 200, 200, 302),
        ("indicator", "GET"):              (200, 200, 200, 200, 200, 404, 302),
        ("outcome_create", "GET"):         EDIT_GET,
        ("outcome_create", "POST"):        EDIT_POST,
        ("outcome_edit", "GET"):           EDIT_GET,
        ("outcome_edit", "POST"):          EDIT_POST,
        ("output_create", "GET"):          EDIT_GET,
        ("output_create", "POST"):         EDIT_POST,
        ("output_edit", "GET"):            EDIT_GET,
        ("output_edit", "POST"):           EDIT_POST,
        ("indicator_create", "GET"):       EDIT_GET,
        ("indicator_create", "POST"):      EDIT_POST,
        ("indicator_edit", "GET"):         EDIT_GET,
        ("indicator_edit", "POST"):        EDIT_POST,
        ("target_create", "GET"):          EDIT_GET,
        ("target_create", "POST"):         EDIT_POST,
        ("actual_create", "GET"):          EDIT_GET,
        ("actual_create", "POST"):         EDIT_POST,
        ("target_delete", "POST"):         EDIT_POST,
        ("actual_delete", "POST"):         EDIT_POST,
        ("benchmark_create", "GET"):       (403, 403, 200, 403, 403, 403, 302),
        ("benchmark_create", "POST"):      (403, 403, 302, 403, 403, 403, 302),
        ("benchmark_edit", "GET"):         EDIT_GET,
        ("benchmark_edit", "POST"):        EDIT_POST,
        ("assessment_create", "GET"):      (200, 403, 403, 403, 403, 404, 302),
        ("assessment_create", "POST"):     (302, 403, 403, 403, 403, 404, 302),
    }.items()
}

# url name → the object whose pk is in the URL
OBJECT = {"programme": "programme", "indicator": "entered", "outcome_create": "programme",
          "outcome_edit": "outcome", "output_create": "outcome", "output_edit": "output",
          "indicator_create": "output", "indicator_edit": "entered",
          "target_create": "entered", "actual_create": "entered", "target_delete": "target",
          "actual_delete": "actual", "benchmark_edit": "benchmark",
          "assessment_create": "benchmark"}

POST_DATA = {
    "outcome_create": {"code": "2", "title": "Peace", "order": "0"},
    "outcome_edit": {"code": "1", "title": "Dialogue", "order": "0"},
    "output_create": {"code": "1.2", "title": "Clubs", "order": "0"},
    "output_edit": {"code": "1.1", "title": "Clubs", "order": "0"},
    "indicator_create": {"code": "1.1.9", "title": "Meetings", "kind": "count",
                         "direction": "increase", "order": "0", "rule": ""},
    "indicator_edit": {"code": "1.1.1", "title": "Share", "kind": "percentage",
                       "direction": "increase", "order": "0", "rule": ""},
    "target_create": {"period_kind": "year", "period_key": "2004", "value": "40"},
    "actual_create": {"period_kind": "year", "period_key": "2003", "value": "35",
                      "evidence_note": "Survey"},
    "benchmark_create": {"title": "Elections"},
    "benchmark_edit": {"title": "Elections in 2005"},
    "assessment_create": {"assessed_on": "2004-04-23", "status": "on_track",
                          "evidence_note": "Commissions include the opposition"},
}


@pytest.fixture
def objects(output, make_indicator, mandate, benchmark, programme):
    entered = make_indicator(kind=Indicator.Kind.PERCENTAGE, title="Share of women")
    target = services.target_save(actor=SYSTEM, target=Target(
        indicator=entered, period_kind="year", period_key="2003", value=30))
    actual = services.actual_save(actor=SYSTEM, actual=Actual(
        indicator=entered, period_kind="year", period_key="2004", value=30,
        evidence_note="Attendance sheets"))
    return {"programme": programme, "outcome": output.outcome, "output": output,
            "entered": entered, "target": target, "actual": actual, "benchmark": benchmark}


@pytest.mark.parametrize("role", ROLES)
@pytest.mark.parametrize(("name", "method"), list(MATRIX))
def test_permission_matrix(name, method, role, client_for, objects):
    args = [objects[OBJECT[name]].pk] if name in OBJECT else []
    url = reverse(f"programmes:{name}", args=args)
    client = client_for(role)
    if method == "POST":
        response = client.post(url, POST_DATA.get(name, {}))
    else:
        response = client.get(url, {"table": "quarters"} if name == "download" else None)
    expected = MATRIX[(name, method)][role]
    assert response.status_code == expected, (
        name, method, role, response.context and response.context.get("form")
        and response.context["form"].errors)
    if response.status_code == 403:  # a read-only user is told which role would do
        assert "This needs one of these roles" in response.content.decode()
    if role == "anonymous":
        assert response["Location"].startswith(reverse("login"))


def test_matrix_covers_every_results_url():
    from peacebuild.programmes.urls import urlpatterns

    assert {p.name for p in urlpatterns} == {name for name, _method in MATRIX}


def test_forbidden_writes_change_nothing(client_for, objects):
    before = Output.objects.get().title
    responses = [
        client_for("viewer").post(reverse("programmes:output_edit",
                                          args=[objects["output"].pk]),
                                  POST_DATA["output_edit"] | {"title": "Changed"}),
        client_for("outsider").post(reverse("programmes:target_delete",
                                            args=[objects["target"].pk])),
        client_for("monitoring").post(reverse("programmes:assessment_create",
                                              args=[objects["benchmark"].pk]),
                                      POST_DATA["assessment_create"]),
    ]
    assert [r.status_code for r in responses] == [403, 404, 403]
    assert Output.objects.get().title == before
    assert Target.objects.count() == 1
    assert not objects["benchmark"].assessments.exists()


def test_assessment_records_who_assessed(client_for, objects, users):
    client_for("head").post(reverse("programmes:assessment_create",
                                    args=[objects["benchmark"].pk]),
                            POST_DATA["assessment_create"])
    assessment = objects["benchmark"].assessments.get()
    assert assessment.assessed_by == users["head"]
    assert assessment.assessed_on == dt.date(2004, 4, 23)

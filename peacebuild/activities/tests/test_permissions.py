"""Who may open which activity page: the role × page matrix, kept as data."""

import datetime as dt

import pytest
from django.urls import reverse

from peacebuild.activities.models import Activity, Centre

ROLES = ["head", "programme", "monitoring", "human_rights", "viewer", "outsider", "anonymous"]

# Expected status per role, in the order of ROLES. The outsider is head of another office:
# office-level pages show their own (empty) office, records of this office are 404, and
# office-level writes follow their role there. Only programme officers record activities;
# heads and programme officers keep centres.
MATRIX: dict[tuple[str, str], dict[str, int]] = {
    key: dict(zip(ROLES, statuses, strict=True))
    for key, statuses in {
        #                               head prog  m&e  hr   view out  anon
        ("list", "GET"):               (200, 200, 200, 200, 200, 200, 302),
        ("export", "GET"):             (200, 200, 200, 200, 200, 200, 302),
        ("export_attendance", "GET"):  (200, 200, 200, 200, 200, 200, 302),
        ("create", "GET"):             (403, 200, 403, 403, 403, 403, 302),
        ("create", "POST"):            (403, 302, 403, 403, 403, 403, 302),
        ("detail", "GET"):             (200, 200, 200, 200, 200, 404, 302),
        ("edit", "GET"):               (403, 200, 403, 403, 403, 404, 302),
        ("edit", "POST"):              (403, 302, 403, 403, 403, 404, 302),
        ("delete", "GET"):             (403, 200, 403, 403, 403, 404, 302),
        ("delete", "POST"):            (403, 302, 403, 403, 403, 404, 302),
        ("centres", "GET"):            (200, 200, 200, 200, 200, 200, 302),
        ("centre_create", "GET"):      (200, 200, 403, 403, 403, 200, 302),
        ("centre_create", "POST"):     (302, 302, 403, 403, 403, 302, 302),
        ("centre_edit", "GET"):        (200, 200, 403, 403, 403, 404, 302),
        ("centre_edit", "POST"):       (302, 302, 403, 403, 403, 404, 302),
    }.items()
}

OBJECT_PAGES = {"detail": "activity", "edit": "activity", "delete": "activity",
                "centre_edit": "centre"}


def activity_post(programme, activity_type, place) -> dict[str, str]:
    return {"programme": str(programme.pk), "type": str(activity_type.pk),
            "title": "Roundtable on local elections", "starts_on": "2005-04-02",
            "ends_on": "2005-04-02", "place": str(place.pk), "participants_total": "3",
            "att-civil_society-f": "2", "att-civil_society-m": "1"}


def centre_post(place) -> dict[str, str]:
    return {"name": "Resource centre", "kind": Centre.Kind.RESOURCE, "place": str(place.pk),
            "opened_on": "2004-05-01"}


@pytest.mark.parametrize("role", ROLES)
@pytest.mark.parametrize(("name", "method"), list(MATRIX))
def test_permission_matrix(name, method, role, client_for, make_activity, centre, places,
                           programme, activity_type):
    objects = {"activity": make_activity(place=places["TJ-SU"]), "centre": centre}
    args = [objects[OBJECT_PAGES[name]].pk] if name in OBJECT_PAGES else []
    url = reverse(f"activities:{name}", args=args)
    data = {}
    if method == "POST" and name in {"create", "edit"}:
        data = activity_post(programme, activity_type, places["TJ-KT"])
    elif method == "POST":
        data = centre_post(places["TJ-KT"])
    client = client_for(role)
    response = client.post(url, data) if method == "POST" else client.get(url)

    assert response.status_code == MATRIX[(name, method)][role], (
        getattr(response, "context", None) and response.context.get("form")
        and response.context["form"].errors
    )
    if response.status_code == 403:  # a read-only user is told which role would do
        assert "This needs one of these roles" in response.content.decode()
    if role == "anonymous":
        assert response["Location"].startswith(reverse("login"))


def test_matrix_covers_every_activities_url():
    from peacebuild.activities.urls import urlpatterns

    assert {p.name for p in urlpatterns} == {name for name, _method in MATRIX}


def test_forbidden_write_changes_nothing(client_for, make_activity, programme, activity_type,
                                         places):
    activity = make_activity()
    edit = client_for("viewer").post(reverse("activities:edit", args=[activity.pk]),
                                     activity_post(programme, activity_type, places["TJ-KT"]))
    delete = client_for("outsider").post(reverse("activities:delete", args=[activity.pk]))
    assert (edit.status_code, delete.status_code) == (403, 404)
    activity.refresh_from_db()
    assert activity.title == "Discussion club"
    assert Activity.objects.count() == 1


def test_programme_officer_cannot_edit_other_programme(client_for, make_activity,
                                                       other_programme):
    activity = make_activity(programme=other_programme)
    client = client_for("programme")
    assert client.get(reverse("activities:edit", args=[activity.pk])).status_code == 403
    assert client.post(reverse("activities:delete", args=[activity.pk])).status_code == 403
    page = client.get(reverse("activities:detail", args=[activity.pk]))
    assert page.status_code == 200
    assert reverse("activities:edit", args=[activity.pk]) not in page.content.decode()


def test_programme_choices_are_the_officers_own(client_for, programme, other_programme):
    form = client_for("programme").get(reverse("activities:create")).context["form"]
    assert list(form.fields["programme"].queryset) == [programme]


def test_record_button_only_for_those_who_may(client_for, users):
    create = reverse("activities:create")
    assert create in client_for("programme").get(reverse("activities:list")).content.decode()
    assert create not in client_for("viewer").get(reverse("activities:list")).content.decode()


def test_outsider_sees_an_empty_list(client_for, make_activity):
    make_activity(title="Secret meeting", starts_on=dt.date(2006, 1, 1))
    page = client_for("outsider").get(reverse("activities:list")).content.decode()
    assert "Secret meeting" not in page

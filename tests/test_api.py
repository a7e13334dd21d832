"""The REST API: tokens, the error shape, filtering, keyset pages, edit versions, audit."""

import datetime as dt

import pytest
from django.core.management import call_command
from django.utils import timezone

from peacebuild.accounts.models import AuditEntry, Membership
from peacebuild.accounts.permissions import SYSTEM
from peacebuild.activities import services as activities
from peacebuild.activities.models import Activity
from peacebuild.activities.services import Cell
from peacebuild.exchange.api.models import ApiToken
from peacebuild.exchange.api.services import hash_key, token_revoke

from .api_helpers import ApiClient, api_for, key_for


@pytest.fixture
def activity(office, programme, activity_type, users):
    return activities.activity_create(
        actor=SYSTEM, office=office, programme=programme, type=activity_type,
        title="Discussion club", starts_on=dt.date(2004, 3, 1), ends_on=dt.date(2004, 3, 1),
        attendance={Cell("youth", "f"): 12, Cell("teacher", "m"): 8})


def _error(response, status, code):
    assert response.status_code == status, response.content
    body = response.json()
    assert body["error"]["code"] == code
    assert body["error"]["message"]
    return body["error"]


def test_no_token_is_401_in_the_error_shape(db):
    _error(ApiClient(None).get("/api/activities/"), 401, "unauthenticated")
    _error(ApiClient("pb_nonsense").get("/api/activities/"), 401, "unauthenticated")


def test_the_key_is_stored_only_as_its_hash(users, office):
    key = key_for(users["viewer"], office)
    token = ApiToken.objects.get()
    assert token.key_hash == hash_key(key) and key not in str(token.__dict__.values())
    entry = AuditEntry.objects.get(model="exchange_api.ApiToken")
    assert key not in str(entry.after) and token.key_hash not in str(entry.after)


def test_read_only_token_reads_and_cannot_write(users, office, activity):
    api = api_for(users["programme"], office, scope="read")
    assert api.get(f"/api/activities/{activity.pk}/").status_code == 200
    error = _error(api.patch(f"/api/activities/{activity.pk}/", {"title": "X"},
                             headers={"If-Match": "x"}), 403, "forbidden")
    assert "read-only" in error["message"]
    _error(api.post("/api/partners/", {"name": "NGO", "kind": "ngo"}), 403, "forbidden")
    assert not Activity.objects.filter(title="X").exists()


def test_revoked_expired_and_former_members_tokens_stop_working(users, office):
    key = key_for(users["viewer"], office)
    api = ApiClient(key)
    assert api.get("/api/programmes/").status_code == 200
    token = ApiToken.objects.get(key_hash=hash_key(key))
    assert token.last_used_at is not None
    ApiToken.objects.filter(pk=token.pk).update(expires_at=timezone.now())
    _error(api.get("/api/programmes/"), 401, "unauthenticated")
    ApiToken.objects.filter(pk=token.pk).update(expires_at=None)
    token_revoke(actor=users["viewer"], token=token)
    _error(api.get("/api/programmes/"), 401, "unauthenticated")
    other = ApiClient(key_for(users["viewer"], office))
    Membership.objects.filter(user=users["viewer"]).delete()
    _error(other.get("/api/programmes/"), 401, "unauthenticated")


def test_a_role_change_applies_at_once(users, office, programme, activity_type):
    api = api_for(users["viewer"], office)
    body = {"programme": programme.pk, "type": activity_type.pk, "title": "Roundtable",
            "starts_on": "2004-05-01", "ends_on": "2004-05-01"}
    _error(api.post("/api/activities/", body), 403, "forbidden")
    Membership.objects.filter(user=users["viewer"]).update(role="programme")
    Membership.objects.get(user=users["viewer"]).programmes.add(programme)
    assert api.post("/api/activities/", body).status_code == 201


def test_another_offices_record_is_404(users, office, activity):
    api = api_for(users["outsider"], users["outsider"].memberships.get().office)
    _error(api.get(f"/api/activities/{activity.pk}/"), 404, "not_found")
    _error(api.get("/api/activities/99999999999999999999/"), 404, "not_found")
    assert api.get("/api/activities/").json()["results"] == []


def test_create_patch_keeps_attendance_and_writes_audit(users, office, activity):
    api = api_for(users["programme"], office)
    response = api.get(f"/api/activities/{activity.pk}/")
    etag = response["ETag"]
    cells = response.json()["attendance"]
    assert len(cells) == 2
    entries = AuditEntry.objects.count()
    response = api.patch(f"/api/activities/{activity.pk}/", {"title": "Renamed"},
                         headers={"If-Match": etag})
    assert response.status_code == 200, response.content
    assert response.json()["attendance"] == cells
    assert response["ETag"] != etag
    activity.refresh_from_db()
    assert activity.title == "Renamed" and activity.participants_total == 20
    entry = AuditEntry.objects.order_by("-id").first()
    assert AuditEntry.objects.count() == entries + 1 and entry.actor == users["programme"]
    assert entry.before["title"] == "Discussion club" and entry.after["title"] == "Renamed"
    assert entry.after["attendance"] == entry.before["attendance"]


def test_if_match_missing_is_428_and_stale_is_412(users, office, activity):
    api = api_for(users["programme"], office)
    url = f"/api/activities/{activity.pk}/"
    _error(api.patch(url, {"title": "A"}), 428, "precondition_required")
    etag = api.get(url)["ETag"]
    assert api.patch(url, {"title": "First"}, headers={"If-Match": etag}).status_code == 200
    error = _error(api.patch(url, {"title": "Second"}, headers={"If-Match": etag}), 412,
                   "precondition_failed")
    assert error["fields"] == {"title": [error["fields"]["title"][0]]}
    assert error["current"] == {"title": "First"}
    activity.refresh_from_db()
    assert activity.title == "First"


def test_write_refused_by_the_service_is_400_with_fields(users, office, activity):
    api = api_for(users["programme"], office)
    url = f"/api/activities/{activity.pk}/"
    etag = api.get(url)["ETag"]
    error = _error(api.patch(url, {"participants_total": 5}, headers={"If-Match": etag}),
                   400, "invalid")
    assert "attendance" in error["fields"]
    error = _error(api.patch(url, {"attendance": [{"category": "nobody", "sex": "f",
                                                    "count": 1}]},
                             headers={"If-Match": etag}), 400, "invalid")
    assert "attendance.0.category" in error["fields"]
    activity.refresh_from_db()
    assert activity.participants_total == 20


def test_create_with_attendance_and_delete(users, office, programme, activity_type):
    api = api_for(users["programme"], office)
    response = api.post("/api/activities/", {
        "programme": programme.pk, "type": activity_type.pk, "title": "Training",
        "starts_on": "2004-05-01", "ends_on": "2004-05-02",
        "attendance": [{"category": "youth", "sex": "f", "count": 7}]})
    assert response.status_code == 201, response.content
    created = Activity.objects.get(pk=response.json()["id"])
    assert created.participants_total == 7 and created.created_by == users["programme"]
    assert AuditEntry.objects.filter(model="activities.Activity", action="create",
                                     object_id=str(created.pk)).exists()
    assert api.delete(f"/api/activities/{created.pk}/").status_code == 204
    assert not Activity.objects.filter(pk=created.pk).exists()


def test_filters_and_keyset_pages(users, office, programme, activity_type, activity):
    for day in range(1, 6):
        activities.activity_create(
            actor=SYSTEM, office=office, programme=programme, type=activity_type,
            title=f"Meeting {day}", starts_on=dt.date(2004, 1, day),
            ends_on=dt.date(2004, 1, day))
    api = api_for(users["viewer"], office)
    page = api.get("/api/activities/", {"limit": 2, "date_to": "2004-01-31"}).json()
    seen = [a["title"] for a in page["results"]]
    while page["next"]:
        page = api.get(page["next"]).json()
        seen += [a["title"] for a in page["results"]]
    assert seen == [f"Meeting {d}" for d in range(5, 0, -1)]
    assert [a["id"] for a in api.get("/api/activities/", {"sex": "f"}).json()["results"]] \
        == [activity.pk]
    error = _error(api.get("/api/activities/", {"date_from": "2004-13-45"}), 400, "invalid")
    assert "date_from" in error["fields"]
    _error(api.get("/api/activities/", {"after": "junk"}), 400, "invalid")
    assert len(api.get("/api/activities/", {"limit": 100000}).json()["results"]) == 6


def test_figures_with_provenance(users, office, activity):
    api = api_for(users["viewer"], office)
    body = api.get("/api/figures/", {"measure": "attendance", "by": "sex"}).json()
    assert body["total"]["value"] == 20
    assert {r["breakdown"]["sex"]: r["value"] for r in body["rows"]} == {"f": 12, "m": 8}
    assert "/activities/?sex=f" in [r for r in body["rows"] if r["breakdown"]["sex"] == "f"][0][
        "records"]
    _error(api.get("/api/figures/", {"measure": "nothing"}), 400, "invalid")


def test_throttled_is_429(users, office, settings):
    settings.API_RATE = "2/min"
    from django.core.cache import cache
    cache.clear()
    api = api_for(users["viewer"], office)
    codes = [api.get("/api/programmes/").status_code for _ in range(3)]
    assert codes == [200, 200, 429]
    response = api.get("/api/programmes/")
    _error(response, 429, "throttled")
    assert int(response["Retry-After"]) > 0
    cache.clear()


def test_schema_and_docs_are_served_without_a_cdn(db):
    schema = ApiClient(None).get("/api/schema/", {"format": "json"})
    assert schema.status_code == 200
    assert schema.json()["openapi"].startswith("3.1")
    docs = ApiClient(None).get("/api/docs/")
    html = docs.content.decode()
    assert docs.status_code == 200 and "swagger-ui" in html
    assert "//cdn" not in html and "unpkg" not in html and "jsdelivr" not in html
    # Every script is a file of this site (the CSP allows no inline script).
    import re

    scripts = re.findall(r"<script([^>]*)>", html)
    assert scripts and all('src="/' in attrs for attrs in scripts), scripts
    start = re.findall(r'<script src="(/api/docs/[^"]*)"', html)
    assert start and ApiClient(None).get(start[0].replace("&amp;", "&")).status_code == 200


def test_token_page_makes_shows_once_and_revokes(client_for, users, office):
    client = client_for("viewer")
    response = client.post("/api-tokens/", {"name": "Publisher", "scope": "read"})
    assert response.status_code == 302
    page = client.get("/api-tokens/").content.decode()
    token = ApiToken.objects.get(user=users["viewer"])
    assert token.prefix in page and "pb_" in page
    key = page.split('<code class="token">')[1].split("</code>")[0]
    assert hash_key(key) == token.key_hash
    assert key not in client.get("/api-tokens/").content.decode()  # shown once
    assert client.post("/api-tokens/", {"revoke": token.pk}).status_code == 302
    token.refresh_from_db()
    assert token.revoked_at is not None
    # Another user's token cannot be revoked from here.
    theirs = ApiToken.objects.get(pk=ApiToken.objects.create(
        user=users["head"], office=office, name="x", prefix="pb_x", key_hash="h").pk)
    assert client.post("/api-tokens/", {"revoke": theirs.pk}).status_code == 404
    response = client.post("/api-tokens/", {"name": "Old", "expires_on": "2004-01-01"})
    assert response.status_code == 200 and "The expiry must be in the future" in \
        response.content.decode()


def test_command_makes_and_revokes(users, office, capsys):
    call_command("api_token", user="viewer", office="tst", name="cli", scope="read")
    out = capsys.readouterr().out
    token = ApiToken.objects.get(name="cli")
    assert token.prefix in out and token.scope == "read"
    call_command("api_token", revoke=token.prefix)
    token.refresh_from_db()
    assert token.revoked_at is not None


def test_malformed_auth_headers_are_401(db):
    for header in ("Bearer", "Bearer a b", "Bearer \u00e9"):
        client = ApiClient(None)
        client.headers = {"Authorization": header}
        _error(client.get("/api/programmes/"), 401, "unauthenticated")


def test_figure_parameters_are_checked(users, office):
    api = api_for(users["viewer"], office)
    error = _error(api.get("/api/figures/", {"on": "2004-02-30", "group": "²",
                                             "date_from": "x"}), 400, "invalid")
    assert {"measure", "on", "group", "date_from"} <= set(error["fields"])
    body = api.get("/api/figures/", {"measure": "centres_open", "on": "2004-04-23"}).json()
    assert body["total"]["value"] == 0


def test_unknown_addresses_and_methods_answer_in_the_error_shape(users, office, activity):
    api = api_for(users["programme"], office)
    _error(api.get("/api/nothing-here/"), 404, "not_found")
    _error(api.delete("/api/partners/1/"), 405, "method_not_allowed")
    _error(api.patch(f"/api/activities/{activity.pk}/", {}, headers={"If-Match": "*"}), 428,
           "precondition_required")


def test_a_delete_others_depend_on_is_409(users, office, programme):
    from django.db.models import ProtectedError

    from peacebuild.exchange.api.errors import handler

    response = handler(ProtectedError("in use", set()), {})
    assert response.status_code == 409 and response.data["error"]["code"] == "conflict"
    response = handler(RuntimeError("boom"), {})
    assert response.status_code == 500 and response.data["error"]["code"] == "server_error"


def test_command_refuses_what_it_cannot_do(users, office):
    from django.core.management.base import CommandError

    for options in ({}, {"user": "nobody", "office": "tst"},
                    {"user": "viewer", "office": "tst", "expires": "2004-13-45"},
                    {"user": "outsider", "office": "tst"}, {"revoke": "pb_none"}):
        with pytest.raises(CommandError):
            call_command("api_token", **options)
    call_command("api_token", user="viewer", office="tst", expires="2999-01-01")
    assert ApiToken.objects.get().expires_at.year == 2999


def test_mandate_period_put_and_stale_write(users, office):
    from peacebuild.mandates.models import MandatePeriod

    api = api_for(users["head"], office)
    created = api.post("/api/mandate-periods/", {"starts_on": "2000-06-01",
                                                 "ends_on": "2001-06-01"})
    assert created.status_code == 201, created.content
    url = f"/api/mandate-periods/{created.json()['id']}/"
    etag = created["ETag"]
    put = api.put(url, {"starts_on": "2000-06-01", "ends_on": "2001-07-01"},
                  headers={"If-Match": etag})
    assert put.status_code == 200, put.content
    assert MandatePeriod.objects.get().ends_on == dt.date(2001, 7, 1)
    stale = api.put(url, {"starts_on": "2000-06-01", "ends_on": "2001-08-01"},
                    headers={"If-Match": etag})
    assert _error(stale, 412, "precondition_failed")["current"]["ends_on"] == "2001-07-01"
    assert stale["ETag"] == put["ETag"]

"""Every API endpoint × every role × token scope, and the head of another office.

The expectations are the role × capability matrix of `accounts/roles.py` (the pages'
matrix): reads for every member, writes for the roles holding the endpoint's capability
with a read-write token, 403 for a read-only token or a role without it, 404 for a record
of another office (its existence is never revealed), 401 without a token. A new API URL
fails `test_every_api_url_is_in_the_matrix` until it is written down in `MATRIX`."""

from typing import Any

import pytest
from django.db import transaction
from django.urls import get_resolver, reverse
from django.urls.resolvers import URLPattern, URLResolver

from peacebuild.accounts.audit import snapshot, version_of
from peacebuild.accounts.roles import ROLE_CAPABILITIES, Can
from peacebuild.activities.services import activity_snapshot

from .api_helpers import ApiClient, build_world

ROLES = ["head", "programme", "monitoring", "human_rights", "viewer", "outsider", "anonymous"]

# basename → (the capability its writes need or None when read only, its writes)
MATRIX: dict[str, tuple[Can | None, set[str]]] = {
    "office": (None, set()),
    "place": (None, set()),
    "programme": (None, set()),
    "document": (Can.EDIT_REFERENCE, {"create", "update"}),
    "period": (Can.EDIT_MANDATE, {"create", "update"}),
    "partner": (Can.EDIT_REFERENCE, {"create", "update"}),
    "group": (Can.COORDINATE, {"create", "update"}),
    "meeting": (Can.COORDINATE, {"create", "update"}),
    "action": (Can.COORDINATE, {"create", "update"}),
    "outcome": (Can.EDIT_RESULTS, {"create", "update"}),
    "output": (Can.EDIT_RESULTS, {"create", "update"}),
    "indicator": (Can.EDIT_RESULTS, {"create", "update"}),
    "target": (Can.EDIT_RESULTS, {"create", "delete"}),
    "actual": (Can.EDIT_RESULTS, {"create", "delete"}),
    "benchmark": (Can.EDIT_RESULTS, {"create", "update"}),
    "assessment": (Can.APPROVE, {"create"}),
    "centre": (Can.EDIT_REFERENCE, {"create", "update"}),
    "activity": (Can.EDIT_ACTIVITIES, {"create", "update", "delete"}),
}
# Not records: open to all (the schema reveals no data) or computed for a token.
OTHER = {"api:schema": {r: 200 for r in ROLES}, "api:docs": {r: 200 for r in ROLES},
         "api:figures": {r: 200 for r in ROLES} | {"anonymous": 401}}


@pytest.fixture(scope="module")
def world(django_db_setup, django_db_blocker):
    """One office with a record of every kind and a token of every role and scope, made
    once for the module; each check runs in a savepoint rolled back after it."""
    with django_db_blocker.unblock(), transaction.atomic():
        yield build_world()
        transaction.set_rollback(True)


def _allowed(role: str, capability: Can | None) -> bool:
    member = "head" if role == "outsider" else role  # the outsider heads its own office
    return capability is not None and capability in ROLE_CAPABILITIES.get(member, ())


def _expected(basename: str, operation: str, role: str, scope: str) -> int:
    capability, writes = MATRIX[basename]
    if role == "anonymous":
        return 401
    if operation == "list":
        return 200
    shared = basename == "place"  # reference data of every office
    if operation == "read":
        return 404 if role == "outsider" and not shared else 200
    if scope == "read":
        return 403  # a read-only token writes nothing, anywhere
    if operation == "create":
        return 400 if _allowed(role, capability) else 403  # an empty body, if let in
    if role == "outsider" and not shared:
        return 404
    if not _allowed(role, capability):
        return 403
    return {"update": 200, "delete": 204}[operation]


OPERATIONS = [(b, op) for b, (_c, writes) in MATRIX.items()
              for op in ("list", "read", *sorted(writes))]


def _checks(basename: str, operation: str) -> list[tuple[str, str]]:
    """(role, scope) pairs to try. Reads: every role with a read-only token. Writes: every
    role with a read-write token, and with a read-only token the roles that could write
    with a read-write one (the others are refused either way)."""
    if operation in ("list", "read"):
        return [(r, "read") for r in ROLES]
    capability = MATRIX[basename][0]
    writers = [r for r in ROLES if _allowed(r, capability) and r != "outsider"] or ["head"]
    return [(r, "write") for r in ROLES] + [(r, "read") for r in [*writers, "anonymous"]]


@pytest.mark.parametrize(("basename", "operation"), OPERATIONS)
def test_matrix(basename, operation, world, db):
    obj = world["objects"][basename]
    detail = reverse(f"api:{basename}-detail", kwargs={"pk": obj.pk})
    state = activity_snapshot if basename == "activity" else snapshot
    for role, scope in _checks(basename, operation):
        with transaction.atomic():
            api = ApiClient(world["keys"][(role, scope)])
            if operation == "list":
                response = api.get(reverse(f"api:{basename}-list"))
            elif operation == "read":
                response = api.get(detail)
            elif operation == "create":
                response = api.post(reverse(f"api:{basename}-list"), {})
            elif operation == "update":
                etag = version_of(state(type(obj).objects.get(pk=obj.pk)))
                response = api.patch(detail, {}, headers={"If-Match": f'"{etag}"'})
            else:
                response = api.delete(detail)
            expected = _expected(basename, operation, role, scope)
            assert response.status_code == expected, (basename, operation, role, scope,
                                                      response.content[:300])
            if response.status_code >= 400:
                assert set(response.json()["error"]) >= {"code", "message"}
            if operation == "list" and role == "outsider" and basename != "place":
                assert obj.pk not in [r["id"] for r in response.json()["results"]]
            transaction.set_rollback(True)


def test_a_programme_officer_writes_only_their_programmes_activities(world, db):
    from peacebuild.programmes.models import Programme

    activity = world["objects"]["activity"]
    other = Programme.objects.create(office=activity.office, code="law", name="Rule of law")
    api = ApiClient(world["keys"][("programme", "write")])
    detail = reverse("api:activity-detail", kwargs={"pk": activity.pk})
    etag = api.get(detail)["ETag"]
    response = api.patch(detail, {"programme": other.pk}, headers={"If-Match": etag})
    assert response.status_code == 403
    activity.refresh_from_db()
    assert activity.programme != other


@pytest.mark.parametrize("name", sorted(OTHER))
def test_other_endpoints(name, world, db):
    for role in ROLES:
        response = ApiClient(world["keys"][(role, "read")]).get(
            reverse(name), {"measure": "activities"} if name == "api:figures" else None)
        assert response.status_code == OTHER[name][role], (name, role)


def api_url_names() -> set[str]:
    def walk(patterns: Any, namespace: str = "") -> set[str]:
        names: set[str] = set()
        for p in patterns:
            if isinstance(p, URLResolver):
                names |= walk(p.url_patterns,
                              f"{namespace}{p.namespace}:" if p.namespace else namespace)
            elif isinstance(p, URLPattern) and p.name and namespace == "api:":
                names.add(f"{namespace}{p.name}")
        return names

    return walk(get_resolver().url_patterns)


def covered() -> set[str]:
    """The API URL names this module's matrix covers (tests/test_permission_matrix.py
    counts them as covered)."""
    return set(OTHER) | {f"api:{b}-{kind}" for b in MATRIX for kind in ("list", "detail")}


def test_every_api_url_is_in_the_matrix():
    assert api_url_names() == covered()


WRITER = {Can.EDIT_REFERENCE: "head", Can.EDIT_MANDATE: "head", Can.COORDINATE: "head",
          Can.EDIT_RESULTS: "monitoring", Can.EDIT_ACTIVITIES: "programme"}


@pytest.mark.parametrize("basename", sorted(b for b, (_c, w) in MATRIX.items() if "update" in w))
def test_an_edit_keeps_what_it_does_not_change(basename, world, db):
    """PUT back what GET gave, and PATCH nothing: the record, its child rows (an activity's
    attendance and partners) and its version stay exactly as they were, and no audit entry
    is written."""
    from peacebuild.accounts.models import AuditEntry

    api = ApiClient(world["keys"][(WRITER[MATRIX[basename][0]], "write")])
    url = reverse(f"api:{basename}-detail", kwargs={"pk": world["objects"][basename].pk})
    with transaction.atomic():
        before = api.get(url)
        entries = AuditEntry.objects.count()
        put = api.put(url, before.json(), headers={"If-Match": before["ETag"]})
        assert put.status_code == 200, put.content
        patch = api.patch(url, {}, headers={"If-Match": put["ETag"]})
        after = api.get(url)
        assert put.json() == patch.json() == after.json() == before.json()
        assert after["ETag"] == before["ETag"]
        assert AuditEntry.objects.count() == entries
        transaction.set_rollback(True)

"""Who may open which oversight page: every URL × every role, kept as data.

Roles beyond the shared ones: `reader` (a member of the case team who may only read),
`other_hr` (a human-rights officer of another team of the same office) and `superuser`
(the admin site's superuser, a viewer of the office: no bypass). The outsider heads
another office: the teams and trail pages open on their own office, and this office's
teams, members and cases are 404 to them. Anyone who may not reach the case gets 404 on its
break-glass and history pages, as for a case that does not exist; a head of office is first
asked to sign in again before break-glass (302). The actions are POSTs: an empty add is
refused with its errors (400); the others go back to the teams page (302).
"""

import pytest
from django.test import Client
from django.urls import reverse

from conftest import login_verified

from .oversight_world import TITLE, VICTIM, world  # noqa: F401  (a fixture)

ROLES = ["head", "programme", "monitoring", "human_rights", "reader", "other_hr", "viewer",
         "outsider", "anonymous", "superuser"]
TEAM_OF_CASE = {"human_rights", "reader"}

HEADS = {r: 403 for r in ROLES} | {"head": 200, "outsider": 200, "anonymous": 302}
HEADS_ACT = HEADS | {"head": 302, "outsider": 404}
NOT_FOUND = {r: 404 for r in ROLES} | {"anonymous": 302}

# url name → (method, object the pk names, expected status per role)
MATRIX: dict[str, tuple[str, str | None, dict[str, int]]] = {
    "teams": ("get", None, HEADS),
    "team_member_add": ("post", "team", HEADS_ACT | {"head": 400}),
    "team_member_write": ("post", "member", HEADS_ACT),
    "team_member_remove": ("post", "member", HEADS_ACT),
    "trail": ("get", None, HEADS),
    "break_glass": ("get", "event", NOT_FOUND | {"head": 302}),
    "history": ("get", "event", NOT_FOUND | {"human_rights": 200, "reader": 200}),
}


# The same pages posted to: the trail's *Verify the whole trail* (heads of office only).
POSTED = {"trail": HEADS}


def _client(role, users, world):  # noqa: F811
    user = {"reader": world["reader"], "other_hr": world["other_hr"],
            "superuser": world["root"]}.get(role, users.get(role))
    client = Client()
    if user is not None:
        login_verified(client, user)
    return client


@pytest.mark.parametrize("name", sorted(MATRIX))
def test_matrix(name, users, world):  # noqa: F811
    """All roles in one test per URL (one world each: the suite stays fast); the head comes
    last, as their POST changes what the others would reach."""
    method, kind, expected = MATRIX[name]
    pk = {"team": world["team"].pk, "member": world["members"]["hr_reader"].pk,
          "event": world["event"].pk}.get(kind or "")
    url = reverse(f"casework:{name}", kwargs={"pk": pk} if pk else None)
    seen = {}
    for role in sorted(ROLES, key=lambda r: r == "head"):
        response = getattr(_client(role, users, world), method)(url)
        seen[role] = response.status_code
        body = response.content.decode()
        if response.status_code == 403:  # a read-only user is told which role would do
            assert "This needs one of these roles" in body, (name, role)
        if response.status_code == 302 and role == "anonymous":
            assert response["Location"].startswith(reverse("login"))
        if role not in TEAM_OF_CASE:
            assert TITLE not in body and VICTIM not in body, (name, role)
    assert seen == expected, name


@pytest.mark.parametrize("name", sorted(POSTED))
def test_posted_matrix(name, users, world):  # noqa: F811
    url = reverse(f"casework:{name}")
    seen = {role: _client(role, users, world).post(url).status_code for role in ROLES}
    assert seen == POSTED[name], name


def test_matrix_covers_every_oversight_url():
    from peacebuild.casework.urls import urlpatterns

    oversight = {p.name for p in urlpatterns
                 if getattr(p.callback, "__module__", "").endswith("oversight_views")}
    assert oversight == set(MATRIX)

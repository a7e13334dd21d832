"""Who may open the accounts pages: the audit log and the office's accounts are for heads
of office (the outsider heads another office and sees that office's); everyone signed in
has their own account security pages. The pages behind a recent re-authentication send
everyone there first (302); the second step of signing in sends a session that needs none
on (302). The human-rights officer has an authenticator: theirs is the one enrolment page
that sends them back."""

import pytest
from django.urls import reverse

ROLES = ["head", "programme", "monitoring", "human_rights", "viewer", "outsider", "anonymous"]
SIGNED_IN = {r: 200 for r in ROLES} | {"anonymous": 302}
EVERYONE_ON = {r: 302 for r in ROLES}
HEADS = {"head": 200, "programme": 403, "monitoring": 403, "human_rights": 403,
         "viewer": 403, "outsider": 200, "anonymous": 302}
MATRIX = {
    ("audit", "GET"): HEADS,
    ("people", "GET"): HEADS,
    ("security", "GET"): SIGNED_IN,
    ("reauth", "GET"): SIGNED_IN,
    ("password", "GET"): SIGNED_IN,
    ("enrol", "GET"): SIGNED_IN | {"human_rights": 302},
    ("verify", "GET"): EVERYONE_ON,
    ("recovery_codes", "GET"): EVERYONE_ON,
    ("two_factor_disable", "GET"): EVERYONE_ON,
    # For the viewer's account: the head is asked to re-authenticate first.
    ("reset_second_factor", "GET"): HEADS | {"head": 302, "outsider": 404},
    ("unlock", "POST"): HEADS | {"head": 302, "outsider": 404},
}


@pytest.mark.parametrize("role", ROLES)
@pytest.mark.parametrize(("name", "method"), list(MATRIX))
def test_permission_matrix(name, method, role, client_for, users):
    kwargs = {"pk": users["viewer"].pk} if name in ("reset_second_factor", "unlock") else None
    response = getattr(client_for(role), method.lower())(reverse(f"accounts:{name}",
                                                                 kwargs=kwargs))
    assert response.status_code == MATRIX[(name, method)][role]
    if response.status_code == 403:  # a read-only user is told which role would do
        assert "This needs one of these roles" in response.content.decode()
    if response.status_code == 302 and role == "anonymous":
        assert response["Location"].startswith(reverse("login"))

"""Who may open the audit log: heads of office (the outsider heads another office and sees
that office's log)."""

import pytest
from django.urls import reverse

ROLES = ["head", "programme", "monitoring", "human_rights", "viewer", "outsider", "anonymous"]
MATRIX = {
    ("audit", "GET"): {"head": 200, "programme": 403, "monitoring": 403, "human_rights": 403,
                       "viewer": 403, "outsider": 200, "anonymous": 302},
}


@pytest.mark.parametrize("role", ROLES)
@pytest.mark.parametrize(("name", "method"), list(MATRIX))
def test_permission_matrix(name, method, role, client_for):
    response = getattr(client_for(role), method.lower())(reverse(f"accounts:{name}"))
    assert response.status_code == MATRIX[(name, method)][role]
    if response.status_code == 403:  # a read-only user is told which role would do
        assert "This needs one of these roles" in response.content.decode()

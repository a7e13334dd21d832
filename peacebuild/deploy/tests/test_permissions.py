"""/health/ answers everyone the same: no sign-in (a monitor or load balancer asks), and
nothing in it depends on who asks."""

import pytest
from django.urls import reverse

ROLES = ["head", "programme", "monitoring", "human_rights", "viewer", "outsider", "anonymous"]

MATRIX: dict[tuple[str, str], dict[str, int]] = {
    ("health", "GET"): {role: 200 for role in ROLES},
    ("health", "POST"): {role: 405 for role in ROLES},
}


@pytest.mark.parametrize("role", ROLES)
@pytest.mark.parametrize("key", sorted(MATRIX))
def test_matrix(key, role, client_for):
    name, method = key
    response = getattr(client_for(role), method.lower())(reverse(f"deploy:{name}"))
    assert response.status_code == MATRIX[key][role], (key, role)

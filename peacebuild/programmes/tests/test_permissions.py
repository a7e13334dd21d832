"""Who may open which results page: the role × page matrix, kept as data."""

import pytest
from django.urls import reverse

ROLES = ["head", "programme", "monitoring", "human_rights", "viewer", "outsider", "anonymous"]

MATRIX: dict[tuple[str, str], dict[str, int]] = {
    key: dict(zip(ROLES, statuses, strict=True))
    for key, statuses in {
        #                               head prog  m&e  hr   view out  anon
        ("dashboard", "GET"):          (200, 200, 200, 200, 200, 200, 302),
    }.items()
}


@pytest.mark.parametrize("role", ROLES)
@pytest.mark.parametrize(("name", "method"), list(MATRIX))
def test_permission_matrix(name, method, role, client_for):
    url = reverse(f"programmes:{name}")
    response = getattr(client_for(role), method.lower())(url)
    assert response.status_code == MATRIX[(name, method)][role], (name, method, role)

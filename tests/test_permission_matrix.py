"""Every page for every role. A new URL fails `test_every_url_is_in_a_matrix` until its
expected statuses are written down here or in its app's permission matrix."""

import datetime as dt
import importlib
import pkgutil

import pytest
from django.urls import get_resolver, reverse
from django.urls.resolvers import URLPattern, URLResolver

import peacebuild
from peacebuild.mandates.models import Document, MandatePeriod
from peacebuild.partners.models import Organisation

ROLES = ["head", "programme", "monitoring", "human_rights", "viewer", "outsider", "anonymous"]

READ = {r: 200 for r in ROLES} | {"anonymous": 302}
OBJECT_READ = READ | {"outsider": 404}
# Writers of reference data: head and programme officers. The outsider is head of another
# office, so in their own office the create pages open.
REFERENCE_CREATE = {"head": 200, "programme": 200, "monitoring": 403, "human_rights": 403,
                    "viewer": 403, "outsider": 200, "anonymous": 302}
REFERENCE_EDIT = REFERENCE_CREATE | {"outsider": 404}
MANDATE_CREATE = {r: 403 for r in ROLES} | {"head": 200, "outsider": 200, "anonymous": 302}
MANDATE_EDIT = MANDATE_CREATE | {"outsider": 404}

# url name → (method, object kind for the pk or None, expected status per role)
MATRIX: dict[str, tuple[str, str | None, dict[str, int]]] = {
    "ui:home": ("get", None, READ),
    "ui:switch_office": ("post", None, {r: 302 for r in ROLES}),
    "mandates:documents": ("get", None, READ),
    "mandates:document": ("get", "document", OBJECT_READ),
    "mandates:document_create": ("get", None, REFERENCE_CREATE),
    "mandates:document_edit": ("get", "document", REFERENCE_EDIT),
    "mandates:period_create": ("get", None, MANDATE_CREATE),
    "mandates:period_edit": ("get", "period", MANDATE_EDIT),
    "partners:list": ("get", None, READ),
    "partners:create": ("get", None, REFERENCE_CREATE),
    "partners:edit": ("get", "organisation", REFERENCE_EDIT),
    # Each member's own API tokens for the office they work in.
    "tokens:list": ("get", None, READ),
}

# Framework pages that are not Peacebuild's own: sign-in, language switch, admin.
EXEMPT_NAMESPACES = {"admin"}
EXEMPT_NAMES = {"login", "logout", "set_language"}


@pytest.fixture
def objects(office):
    return {
        "document": Document.objects.create(office=office, title="Letter", symbol="S/2004/331"),
        "period": MandatePeriod.objects.create(office=office, starts_on=dt.date(2000, 6, 1),
                                               ends_on=dt.date(2001, 6, 1)),
        "organisation": Organisation.objects.create(office=office, name="Ministry",
                                                    kind="government"),
    }


@pytest.mark.parametrize("role", ROLES)
@pytest.mark.parametrize("name", sorted(MATRIX))
def test_matrix(name, role, client_for, objects):
    method, kind, expected = MATRIX[name]
    url = reverse(name, kwargs={"pk": objects[kind].pk} if kind else None)
    response = getattr(client_for(role), method)(url)
    assert response.status_code == expected[role], (name, role)
    if response.status_code == 403:  # a read-only user is told which role would do
        assert "This needs one of these roles" in response.content.decode(), (name, role)
    if response.status_code == 302 and role == "anonymous":
        assert response["Location"].startswith(reverse("login"))


def _names(patterns, namespace: str = "") -> set[str]:
    names: set[str] = set()
    for p in patterns:
        if isinstance(p, URLResolver):
            if p.namespace in EXEMPT_NAMESPACES:
                continue
            ns = f"{namespace}{p.namespace}:" if p.namespace else namespace
            names |= _names(p.url_patterns, ns)
        elif isinstance(p, URLPattern) and p.name and p.name not in EXEMPT_NAMES:
            names.add(f"{namespace}{p.name}")
    return names


def _all_matrices() -> set[str]:
    from .test_api_permissions import covered as api_covered

    # The API's endpoints answer tokens, not sessions: their matrix (role × token scope ×
    # another office) is tests/test_api_permissions.py.
    covered = set(MATRIX) | api_covered()
    for app in pkgutil.iter_modules(peacebuild.__path__):
        if not app.ispkg:  # modules such as wsgi (which checks the database as it starts)
            continue
        try:
            tests = importlib.import_module(f"peacebuild.{app.name}.tests")
        except ModuleNotFoundError:
            continue
        # An app's matrices: tests/test_permissions.py, and test_permissions_<part>.py for
        # a part of the app with its own pages (exchange: iati, sheets, api).
        names = [m.name for m in pkgutil.iter_modules(tests.__path__)
                 if m.name == "test_permissions" or m.name.startswith("test_permissions_")]
        for name in names:
            module = importlib.import_module(f"peacebuild.{app.name}.tests.{name}")
            covered |= _matrix_names(module, app.name)
    return covered


def _matrix_names(module, app: str) -> set[str]:
    """A matrix may key by bare URL name, or by (name, method…); a bare name's namespace
    is the app's name."""
    covered = set()
    for key in getattr(module, "MATRIX", {}):
        name = key[0] if isinstance(key, tuple) else key
        covered.add(name if ":" in name else f"{app}:{name}")
    return covered


def test_every_url_is_in_a_matrix():
    missing = _names(get_resolver().url_patterns) - _all_matrices()
    assert not missing, f"URLs without a permission matrix entry: {sorted(missing)}"

"""Schemathesis against the API's own OpenAPI schema, in-process through the WSGI app: for
every operation, generated requests (valid and not) with a programme officer's read-write
token must answer no server error and only what the schema says (status, body shape).

Bounded to a few examples per operation so that a database run stays well under a minute;
the operations are many, the examples few."""

import pytest
import schemathesis
from django.core.cache import cache
from django.core.signals import request_finished, request_started
from django.core.wsgi import get_wsgi_application
from django.db import close_old_connections, transaction
from hypothesis import HealthCheck, Phase, settings
from schemathesis.checks import not_a_server_error
from schemathesis.specs.openapi.checks import (
    content_type_conformance,
    response_schema_conformance,
    status_code_conformance,
)

from .api_helpers import build_world


@pytest.fixture(scope="module")
def world(django_db_setup, django_db_blocker):
    # The WSGI handler closes the database connection after each request (as a server
    # should); Django's test client keeps it open, and so must these calls, or the test's
    # transaction would end with the first request (PostgreSQL).
    request_started.disconnect(close_old_connections)
    request_finished.disconnect(close_old_connections)
    with django_db_blocker.unblock(), transaction.atomic():
        yield build_world()
        transaction.set_rollback(True)
    request_started.connect(close_old_connections)
    request_finished.connect(close_old_connections)


# Loaded through the app itself: the schema endpoint reads no database. (Django's own WSGI
# handler, not peacebuild.wsgi, which checks the case keys in the database as it starts.)
application = get_wsgi_application()
schema = schemathesis.openapi.from_wsgi("/api/schema/?format=json", application)


@schema.parametrize()
@settings(max_examples=3, deadline=None, derandomize=True, database=None,
          phases=[Phase.explicit, Phase.generate],
          suppress_health_check=list(HealthCheck))
def test_api_answers_as_its_schema_says(case, world, db):
    cache.clear()  # the rate limit is not what is tested here
    key = world["keys"][("programme", "write")]
    case.call_and_validate(
        headers={"Authorization": f"Bearer {key}"},
        checks=[not_a_server_error, response_schema_conformance, status_code_conformance,
                content_type_conformance])

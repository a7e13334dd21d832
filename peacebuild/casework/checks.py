"""`manage.py check` (and so `runserver` and `migrate`) stops on a missing or wrong case key."""

from typing import Any

from django.core import checks
from django.core.exceptions import ImproperlyConfigured
from django.db import connection

from .models import KeyCheck
from .queries import key_problems
from .services import ensure_key_check


@checks.register(checks.Tags.security)
def case_keys(app_configs: Any = None, **kwargs: Any) -> list[checks.CheckMessage]:
    return [checks.Error(problem, hint="See 'Case keys' in docs/security.md.",
                         id="casework.E001") for problem in key_problems()]


def stop_unless_case_keys_right() -> None:
    """Called as the server starts (peacebuild/wsgi.py): a missing or wrong case key stops
    it with the reason, so it never writes plaintext or garbage into sealed fields; with the
    keys right, the current key's check is sealed if the database has not seen it yet."""
    problems = key_problems()
    if problems:
        raise ImproperlyConfigured("Peacebuild will not start: " + " ".join(problems))
    if KeyCheck._meta.db_table in connection.introspection.table_names():
        ensure_key_check()

"""Shared test fixtures: an office, its reference data, and a named user for every role.

`users["programme"]` is a programme officer of `office` assigned to `programme`;
`users["outsider"]` belongs to another office only; `users["anonymous"]` is None.
"""

import datetime as dt
import hashlib
import hmac
import os
import re
import shutil
import time
from collections import Counter
from collections.abc import Callable

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django_otp import DEVICE_ID_SESSION_KEY
from django_otp.plugins.otp_totp.models import TOTPDevice

from peacebuild.accounts.models import Membership, User
from peacebuild.accounts.roles import Role
from peacebuild.activities.models import ActivityType
from peacebuild.mandates.models import Office
from peacebuild.places.models import Place
from peacebuild.places.services import places_load_tajikistan
from peacebuild.programmes.models import Programme

ROLES = [r.value for r in Role]
PASSWORD = "a-long-test-password"
# The authenticator secret (hex) of every test user who has one: human-rights officers,
# whose role requires two-factor authentication.
TOTP_KEY = "3132333435363738393031323334353637383930"


@pytest.fixture(autouse=True, scope="session")
def _flush_lifts_the_trail_rule():
    """Between transactional tests the database is flushed: the case trail's append-only
    triggers would refuse it. Only this flush lifts them (peacebuild/casework/guard.py)."""
    from django.db.backends.base.operations import BaseDatabaseOperations

    from peacebuild.casework import guard

    original = BaseDatabaseOperations.execute_sql_flush

    def execute_sql_flush(self, sql_list):
        with guard.unlocked():
            return original(self, sql_list)

    BaseDatabaseOperations.execute_sql_flush = execute_sql_flush
    yield
    BaseDatabaseOperations.execute_sql_flush = original


@pytest.fixture
def places(db) -> dict[str, Place]:
    places_load_tajikistan()
    return {p.code: p for p in Place.objects.filter(level__lte=Place.Level.REGION)}


@pytest.fixture
def office(db) -> Office:
    return Office.objects.create(code="tst", name="Test Office of Peace-building",
                                 established_on=dt.date(2000, 6, 1))


@pytest.fixture
def other_office(db) -> Office:
    return Office.objects.create(code="oth", name="Other Office",
                                 established_on=dt.date(2001, 1, 1))


@pytest.fixture
def programme(office) -> Programme:
    return Programme.objects.create(office=office, code="dialogue", name="Dialogue")


@pytest.fixture
def other_programme(office) -> Programme:
    return Programme.objects.create(office=office, code="rule-of-law", name="Rule of law")


@pytest.fixture
def activity_type(db) -> ActivityType:
    return ActivityType.objects.get_or_create(
        code="discussion-club",
        defaults={"name": "Political discussion club meeting",
                  "category": ActivityType.Category.DIALOGUE},
    )[0]


@pytest.fixture
def training_type(db) -> ActivityType:
    return ActivityType.objects.get_or_create(
        code="training", defaults={"name": "Training course",
                                   "category": ActivityType.Category.TRAINING},
    )[0]


def make_user(username: str, office: Office | None, role: str | None) -> User:
    user = User.objects.create_user(username, password=PASSWORD, first_name=username.title())
    if office is not None and role is not None:
        Membership.objects.create(user=user, office=office, role=role)
        if role == Role.HUMAN_RIGHTS:
            verified(user)
    return user


def verified(user: User) -> TOTPDevice:
    """Give the user an authenticator (if they have none)."""
    device = TOTPDevice.objects.filter(user=user, confirmed=True).first()
    if device is None:
        device = TOTPDevice.objects.create(user=user, name="test", key=TOTP_KEY, confirmed=True)
    return device


def login_verified(client: Client, user: User) -> Client:
    """`client.force_login(user)`, and when the user has an authenticator, a session that
    passed the second factor as signing in with a code would."""
    client.force_login(user)
    device = TOTPDevice.objects.filter(user=user, confirmed=True).first()
    if device is not None:
        session = client.session
        session[DEVICE_ID_SESSION_KEY] = device.persistent_id
        session.save()
    return client


def totp_code(user: User) -> str:
    """The code the user's authenticator shows now, or the next one when the current one
    was already used (each code signs in once)."""
    device = TOTPDevice.objects.get(user=user, confirmed=True)
    step = int(time.time()) // device.step
    if device.last_t >= step:
        step = device.last_t + 1
    return f"{_totp_at(device, step):06d}"


def _totp_at(device: TOTPDevice, step: int) -> int:
    # RFC 6238 by hand, so the tests do not take the code from the code under test.
    counter = step.to_bytes(8, "big")
    digest = hmac.new(device.bin_key, counter, hashlib.sha1).digest()
    offset = digest[-1] & 0x0F
    return (int.from_bytes(digest[offset:offset + 4], "big") & 0x7FFFFFFF) % 10**device.digits


@pytest.fixture
def users(office, other_office, programme) -> dict[str, User | None]:
    named: dict[str, User | None] = {role: make_user(role, office, role) for role in ROLES}
    named["programme"].memberships.get().programmes.add(programme)
    named["outsider"] = make_user("outsider", other_office, Role.HEAD)
    named["anonymous"] = None
    return named


@pytest.fixture
def client_for(users):
    """client_for("viewer") → a Client signed in as that user (anonymous: not signed in)."""

    def make(name: str) -> Client:
        client = Client()
        if users[name] is not None:
            login_verified(client, users[name])
        return client

    return make


def _shape(sql: str) -> str:
    return re.sub(r"\b\d+\b", "?", sql)


@pytest.fixture
def assert_queries_constant(db) -> Callable[..., int]:
    """assert_queries_constant(client, url, grow): the page costs no more queries after
    `grow(2 * n)` more records than after `grow(n)`; returns the count. Each count is
    taken on a second request, so session and content-type caches are warm."""

    def count(client: Client, url: str, data: dict[str, str] | None) -> list[str]:
        assert client.get(url, data).status_code == 200
        with CaptureQueriesContext(connection) as captured:
            assert client.get(url, data).status_code == 200
        return [q["sql"] for q in captured.captured_queries]

    def check(client: Client, url: str, grow: Callable[[int], object], *,
              data: dict[str, str] | None = None, n: int = 2) -> int:
        grow(n)
        few = count(client, url, data)
        grow(2 * n)
        many = count(client, url, data)
        grown = Counter(_shape(q) for q in many) - Counter(_shape(q) for q in few)
        extra = "\n".join(f"{n} × {q[:300]}" for q, n in grown.most_common(5))
        assert len(many) <= len(few), f"{len(few)} → {len(many)} queries; the extra:\n{extra}"
        return len(many)

    return check


@pytest.fixture(autouse=True)
def _tasks_run_inline(settings):
    # In production a worker process runs queued tasks; in tests they run at once.
    settings.TASKS = {"default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend"}}


@pytest.fixture(autouse=True)
def _fast_password_hashing(settings):
    # The default hasher costs ~0.3 s per user on purpose; tests create many users.
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


# Browser tests: Playwright drives Debian's Chromium (never a downloaded browser).
# live_server runs Django in a thread while the test calls the ORM synchronously.
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")


@pytest.fixture(scope="session")
def browser_type_launch_args(browser_type_launch_args):
    chromium = shutil.which("chromium")
    if chromium is None:
        pytest.fail("Debian's chromium is not installed: run scripts/system-deps.sh")
    return {
        **browser_type_launch_args,
        "executable_path": chromium,
        "args": ["--no-sandbox", "--disable-gpu", "--disable-background-networking",
                 "--disable-component-update", "--no-first-run", "--disable-sync",
                 "--disable-dev-shm-usage"],
    }

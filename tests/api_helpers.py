"""Shared by the API tests: a client that sends a token of a named user."""

import datetime as dt
from typing import Any

from django.test import Client

from conftest import make_user
from peacebuild.accounts.permissions import SYSTEM
from peacebuild.accounts.roles import Role
from peacebuild.activities import services as activities
from peacebuild.activities.models import ActivityType, Centre
from peacebuild.activities.services import Cell
from peacebuild.exchange.api.services import token_create
from peacebuild.mandates.models import Document, MandatePeriod, Office
from peacebuild.partners.models import ActionPoint, Group, GroupMeeting, Organisation
from peacebuild.places.models import Place
from peacebuild.places.services import places_load_tajikistan
from peacebuild.programmes.models import (
    Actual,
    Assessment,
    Benchmark,
    Indicator,
    Outcome,
    Output,
    Programme,
    Target,
)


class ApiClient:
    """A test client that sends `Authorization: Bearer <key>` and JSON."""

    def __init__(self, key: str | None) -> None:
        self.client = Client()
        self.headers = {"Authorization": f"Bearer {key}"} if key else {}

    def _send(self, method: str, path: str, data: Any = None, headers: dict[str, str] | None
              = None, **extra: Any) -> Any:
        call = getattr(self.client, method)
        all_headers = {**self.headers, **(headers or {})}
        if method in ("get", "delete", "head", "options"):
            return call(path, data, headers=all_headers, **extra)
        return call(path, data, content_type="application/json", headers=all_headers, **extra)

    def get(self, path: str, data: Any = None, **kw: Any) -> Any:
        return self._send("get", path, data, **kw)

    def post(self, path: str, data: Any = None, **kw: Any) -> Any:
        return self._send("post", path, data, **kw)

    def put(self, path: str, data: Any = None, **kw: Any) -> Any:
        return self._send("put", path, data, **kw)

    def patch(self, path: str, data: Any = None, **kw: Any) -> Any:
        return self._send("patch", path, data, **kw)

    def delete(self, path: str, data: Any = None, **kw: Any) -> Any:
        return self._send("delete", path, data, **kw)


def key_for(user: Any, office: Any, scope: str = "write") -> str:
    return token_create(actor=SYSTEM, user=user, office=office, name="test", scope=scope)[1]


def api_for(user: Any, office: Any, scope: str = "write") -> ApiClient:
    return ApiClient(key_for(user, office, scope) if user is not None else None)


def build_world() -> dict[str, Any]:
    """One office with a record of every kind, its users of every role (and the head of
    another office), and a token of each user in each scope."""
    places_load_tajikistan()
    office = Office.objects.create(code="tst", name="Test office",
                                   established_on=dt.date(2000, 6, 1))
    other = Office.objects.create(code="oth", name="Other office",
                                  established_on=dt.date(2001, 1, 1))
    programme = Programme.objects.create(office=office, code="dialogue", name="Dialogue")
    users = {role.value: make_user(role.value, office, role.value) for role in Role}
    users["programme"].memberships.get().programmes.add(programme)
    users["outsider"] = make_user("outsider", other, Role.HEAD)
    keys: dict[tuple[str, str], str | None] = {("anonymous", s): None
                                              for s in ("read", "write")}
    for name, user in users.items():
        for scope in ("read", "write"):
            keys[(name, scope)] = key_for(user, user.memberships.get().office, scope)
    kind = ActivityType.objects.create(code="club", name="Club", category="dialogue")
    place = Place.objects.get(code="TJ-SU")
    document = Document.objects.create(office=office, title="Letter", symbol="S/2004/331")
    organisation = Organisation.objects.create(office=office, name="NGO", kind="ngo")
    group = Group.objects.create(office=office, name="Thematic group")
    meeting = GroupMeeting.objects.create(group=group, held_on=dt.date(2004, 1, 21))
    outcome = Outcome.objects.create(programme=programme, code="1", title="Outcome")
    output = Output.objects.create(outcome=outcome, code="1.1", title="Output")
    indicator = Indicator.objects.create(output=output, code="1.1.1", title="Clubs",
                                         rule={})
    benchmark = Benchmark.objects.create(office=office, title="Elections")
    objects = {
        "office": office, "place": place, "programme": programme, "document": document,
        "period": MandatePeriod.objects.create(office=office, starts_on=dt.date(2000, 6, 1),
                                               ends_on=dt.date(2001, 6, 1)),
        "partner": organisation, "group": group, "meeting": meeting,
        "action": ActionPoint.objects.create(meeting=meeting, text="Send the note",
                                             owner=organisation,
                                             due_on=dt.date(2004, 3, 1)),
        "outcome": outcome, "output": output, "indicator": indicator,
        "target": Target.objects.create(indicator=indicator, period_kind="year",
                                        period_key="2004", value=3),
        "actual": Actual.objects.create(indicator=indicator, period_kind="year",
                                        period_key="2004", value=2, evidence_note="x"),
        "benchmark": benchmark,
        "assessment": Assessment.objects.create(benchmark=benchmark,
                                                assessed_on=dt.date(2004, 4, 1),
                                                status="on_track", evidence_note="x"),
        "centre": Centre.objects.create(office=office, name="Centre", kind="education",
                                        place=place, opened_on=dt.date(2002, 1, 1)),
        "activity": activities.activity_create(
            actor=SYSTEM, office=office, programme=programme, type=kind, title="Club",
            starts_on=dt.date(2004, 3, 1), ends_on=dt.date(2004, 3, 1),
            attendance={Cell("youth", "f"): 3}),
    }
    return {"keys": keys, "objects": objects, "users": users}

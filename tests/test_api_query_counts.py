"""The API's lists cost no more queries with more records (no query per row): each list
with n and then 3n records of its kind, every relation it shows filled in. The token page
too. `tests/test_query_counts.py` counts these names as tested."""

import datetime as dt
import itertools
from collections.abc import Callable

import pytest
from django.test import Client
from django.urls import reverse

from peacebuild.accounts.permissions import SYSTEM
from peacebuild.activities import services as activities
from peacebuild.activities.models import Centre
from peacebuild.activities.services import Cell
from peacebuild.exchange.api.models import ApiToken
from peacebuild.mandates.models import Document, MandatePeriod, Office
from peacebuild.partners.models import (
    ActionPoint,
    Group,
    GroupMeeting,
    GroupMember,
    Organisation,
)
from peacebuild.places.models import Place
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

from .api_helpers import key_for

BASENAMES = ["office", "place", "document", "period", "partner", "group", "meeting",
             "action", "programme", "outcome", "output", "indicator", "target", "actual",
             "benchmark", "assessment", "centre", "activity"]
PAGES = {f"api:{b}-list" for b in BASENAMES} | {"api:figures", "tokens:list"}

counter = itertools.count(1)


def _growers(office: Office, programme: Programme, activity_type, places, users
             ) -> dict[str, Callable[[int], object]]:
    region = places["TJ-SU"]

    def org() -> Organisation:
        return Organisation.objects.create(office=office, name=f"Org {next(counter)}",
                                           kind="ngo")

    def doc() -> Document:
        return Document.objects.create(office=office, title=f"Doc {next(counter)}")

    def meeting() -> GroupMeeting:
        group = Group.objects.create(office=office, name=f"Group {next(counter)}",
                                     terms_of_reference=doc(), convener=org())
        GroupMember.objects.create(group=group, organisation=org())
        made = GroupMeeting.objects.create(group=group, held_on=dt.date(2004, 1, 21))
        made.attended.add(org())
        return made

    def indicator() -> Indicator:
        outcome = Outcome.objects.create(programme=programme, code=str(next(counter)),
                                         title="Outcome")
        output = Output.objects.create(outcome=outcome, code=str(next(counter)), title="O")
        return Indicator.objects.create(output=output, code=str(next(counter)), title="I",
                                        rule={})

    def benchmark() -> Benchmark:
        return Benchmark.objects.create(office=office, title="B", programme=programme)

    def period(_i: int) -> None:
        start = dt.date(2000 + next(counter), 6, 1)
        MandatePeriod.objects.create(office=office, starts_on=start,
                                     ends_on=start.replace(month=12), document=doc())

    def activity(_i: int) -> None:
        made = activities.activity_create(
            actor=SYSTEM, office=office, programme=programme, type=activity_type,
            title="Club", starts_on=dt.date(2004, 3, 1), ends_on=dt.date(2004, 3, 1),
            place=region, centre=centre(0), meeting=meeting(),
            attendance={Cell("youth", "f"): 3, Cell("teacher", "m"): 2})
        made.partners.add(org(), org())

    def centre(_i: int) -> Centre:
        return Centre.objects.create(office=office, name=f"C {next(counter)}", kind="education",
                                     place=region, partner=org(), programme=programme,
                                     opened_on=dt.date(2002, 1, 1))

    each: dict[str, Callable[[int], object]] = {
        "office": lambda i: Office.objects.create(code=f"o{next(counter)}", name="Other",
                                                  established_on=dt.date(2001, 1, 1)),
        "place": lambda i: Place.objects.create(code=f"TJ-SU-{next(counter)}", name="District",
                                                level=Place.Level.DISTRICT, parent=region),
        "document": lambda i: doc(),
        "period": period,
        "partner": lambda i: org(),
        "group": lambda i: meeting(),
        "meeting": lambda i: meeting(),
        "action": lambda i: ActionPoint.objects.create(
            meeting=meeting(), text="Do", owner=org(), owner_user=users["head"],
            due_on=dt.date(2004, 3, 1), evidence_document=doc()),
        "programme": lambda i: Programme.objects.create(office=office, code=f"p{next(counter)}",
                                                        name="P"),
        "outcome": lambda i: indicator(),
        "output": lambda i: indicator(),
        "indicator": lambda i: indicator(),
        "target": lambda i: Target.objects.create(indicator=indicator(), period_kind="year",
                                                  period_key="2004", value=3),
        "actual": lambda i: Actual.objects.create(indicator=indicator(), period_kind="year",
                                                  period_key="2004", value=3,
                                                  evidence_note="x", evidence_document=doc()),
        "benchmark": lambda i: benchmark(),
        "assessment": lambda i: Assessment.objects.create(
            benchmark=benchmark(), assessed_on=dt.date(2004, 4, 1), status="met",
            evidence_note="x", assessed_by=users["head"], evidence_document=doc()),
        "centre": centre,
        "activity": activity,
        "figures": activity,
    }
    return {name: (lambda n, make=make: [make(i) for i in range(n)])
            for name, make in each.items()}


@pytest.mark.parametrize("name", sorted(PAGES - {"tokens:list"}))
def test_api_list_queries_do_not_grow(name, office, programme, activity_type, places, users,
                                      assert_queries_constant):
    client = Client(headers={"Authorization": f"Bearer {key_for(users['viewer'], office)}"})
    basename = name.removeprefix("api:").removesuffix("-list")
    grow = _growers(office, programme, activity_type, places, users)[basename]
    url = reverse(name)
    data = {"measure": "attendance", "by": "sex,region"} if basename == "figures" else None
    assert_queries_constant(client, url, grow, data=data)


def test_token_page_queries_do_not_grow(users, office, client_for, assert_queries_constant):
    def grow(n: int) -> None:
        for _ in range(n):
            ApiToken.objects.create(user=users["viewer"], office=office, name="t",
                                    prefix="pb_x", key_hash=f"h{next(counter)}")

    assert_queries_constant(client_for("viewer"), "/api-tokens/", grow)

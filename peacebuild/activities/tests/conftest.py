"""Fixtures for the activity pages: a factory that records activities through the service,
as the pages do."""

import datetime as dt
from typing import Any

import pytest

from peacebuild.accounts.permissions import SYSTEM
from peacebuild.activities.models import Activity, Centre
from peacebuild.activities.services import Cell, activity_create
from peacebuild.partners.models import Organisation


@pytest.fixture
def make_activity(office, programme, activity_type):
    def make(**fields: Any) -> Activity:
        values: dict[str, Any] = {
            "programme": programme, "type": activity_type, "title": "Discussion club",
            "starts_on": dt.date(2005, 3, 1),
        }
        values.update(fields)
        values.setdefault("ends_on", values["starts_on"])
        cells = values.pop("attendance", None)
        attendance = {Cell(c, s): n for (c, s), n in cells.items()} if cells else None
        return activity_create(actor=SYSTEM, office=values.pop("office", office),
                               attendance=attendance, partners=values.pop("partners", None),
                               **values)

    return make


@pytest.fixture
def partner(office) -> Organisation:
    return Organisation.objects.create(office=office, name="Youth Forum", kind="ngo")


@pytest.fixture
def centre(office, places) -> Centre:
    return Centre.objects.create(office=office, name="Khujand education centre",
                                 kind=Centre.Kind.EDUCATION, place=places["TJ-SU"],
                                 opened_on=dt.date(2003, 1, 1))

"""The overview costs the same number of queries however many activities, mandate periods
and heads of office it has."""

import datetime as dt
import itertools

from django.urls import reverse

from peacebuild.accounts.models import Membership, User
from peacebuild.accounts.permissions import SYSTEM
from peacebuild.accounts.roles import Role
from peacebuild.activities.services import Cell, activity_create
from peacebuild.mandates.models import Document, MandatePeriod

# The pages this file keeps to a constant number of queries (tests/test_query_counts.py
# checks that every list page is in one such set).
PAGES = {"ui:home"}


def test_overview_does_not_grow(client_for, office, users, programme, activity_type, places,
                                assert_queries_constant):
    serial = itertools.count()

    def grow(n: int) -> None:
        for _ in range(n):
            i = next(serial)
            letter = Document.objects.create(office=office, symbol=f"S/{2001 + i}/1",
                                             title="Letter", dated_on=dt.date(2001 + i, 4, 1))
            MandatePeriod.objects.create(office=office, starts_on=dt.date(2001 + i, 6, 1),
                                         ends_on=dt.date(2002 + i, 6, 1), decision="approved",
                                         proposed_on=dt.date(2001 + i, 4, 1), document=letter)
            for _ in range(3):
                activity_create(actor=SYSTEM, office=office, programme=programme,
                                type=activity_type, title=f"Club {i}",
                                starts_on=dt.date(2001 + i, 10, 9),
                                ends_on=dt.date(2001 + i, 10, 9), place=places["TJ-SU"],
                                attendance={Cell("party", "f"): 3})
            head = User.objects.create_user(f"head{i}")
            Membership.objects.create(user=head, office=office, role=Role.HEAD)

    for as_of in ({}, {"as_of": "2004-04-23"}):
        assert_queries_constant(client_for("viewer"), reverse("ui:home"), grow, data=as_of)

"""The centre list costs the same number of queries however many centres, places and
partners the office has (the activity list has its own test in test_list.py)."""

import datetime as dt
import itertools

from django.urls import reverse

from peacebuild.activities.models import Centre
from peacebuild.partners.models import Organisation
from peacebuild.places.models import Place

# The pages this file keeps to a constant number of queries (tests/test_query_counts.py
# checks that every list page is in one such set).
PAGES = {"activities:list", "activities:centres"}  # the list's test: test_list.py


def test_centre_list_does_not_grow(client_for, office, users, places,
                                   assert_queries_constant):
    serial = itertools.count()
    districts = list(Place.objects.filter(level=Place.Level.DISTRICT))

    def grow(n: int) -> None:
        for _ in range(n):
            i = next(serial)
            partner = Organisation.objects.create(office=office, name=f"NGO {i}", kind="ngo")
            Centre.objects.create(office=office, name=f"Centre {i}", kind=Centre.Kind.RESOURCE,
                                  place=districts[i], partner=partner,
                                  opened_on=dt.date(2003, 1, 1),
                                  closed_on=dt.date(2004, 1, 1) if i % 2 else None)

    for role in ("viewer", "head"):  # with and without the edit links
        assert_queries_constant(client_for(role), reverse("activities:centres"), grow)

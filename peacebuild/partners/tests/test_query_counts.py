"""The partner list costs the same number of queries however many partners and
coordination groups (with members) the office has."""

import itertools

from django.urls import reverse

from peacebuild.partners.models import Group, Organisation

# The pages this file keeps to a constant number of queries (tests/test_query_counts.py
# checks that every list page is in one such set).
PAGES = {"partners:list"}


def test_partner_list_does_not_grow(client_for, office, users, assert_queries_constant):
    serial = itertools.count()

    def grow(n: int) -> None:
        for _ in range(n):
            i = next(serial)
            members = [Organisation.objects.create(office=office, name=f"NGO {i}-{k}",
                                                   kind="ngo") for k in range(2)]
            Group.objects.create(office=office, name=f"Group {i}").members.set(members)

    for role in ("viewer", "head"):  # with and without the edit links
        assert_queries_constant(client_for(role), reverse("partners:list"), grow)

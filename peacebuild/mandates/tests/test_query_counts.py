"""The document list costs the same number of queries however many documents and mandate
periods the office has."""

import datetime as dt
import itertools

from django.urls import reverse

from peacebuild.mandates.models import Document, MandatePeriod

# The pages this file keeps to a constant number of queries (tests/test_query_counts.py
# checks that every list page is in one such set).
PAGES = {"mandates:documents"}


def test_document_list_does_not_grow(client_for, office, users, assert_queries_constant):
    serial = itertools.count()

    def grow(n: int) -> None:
        for _ in range(n):
            i = next(serial)
            document = Document.objects.create(office=office, symbol=f"S/2004/{300 + i}",
                                               title=f"Letter {i}",
                                               dated_on=dt.date(2004, 1, 1 + i))
            MandatePeriod.objects.create(office=office, starts_on=dt.date(2001 + i, 6, 1),
                                         ends_on=dt.date(2002 + i, 6, 1), document=document)

    assert_queries_constant(client_for("viewer"), reverse("mandates:documents"), grow)

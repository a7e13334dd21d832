"""The spreadsheet pages cost the same number of queries however large the office's
vocabularies (the template lists every programme, place and partner) and however many
imports the user has run (the import page lists the latest)."""

import itertools

from django.urls import reverse

from peacebuild.exchange.models import Job
from peacebuild.partners.models import Organisation
from peacebuild.programmes.models import Programme

# The pages this file keeps to a constant number of queries (tests/test_query_counts.py
# checks that every list page is in one such set).
PAGES = {"sheets:import", "sheets:template", "sheets:template_csv"}


def test_the_template_does_not_grow_with_the_vocabularies(client_for, office, users, places,
                                                          assert_queries_constant):
    serial = itertools.count()
    membership = users["programme"].memberships.get()

    def grow(n: int) -> None:
        for _ in range(n):
            i = next(serial)
            Organisation.objects.create(office=office, name=f"NGO {i}", acronym=f"N{i}",
                                        kind="ngo")
            membership.programmes.add(Programme.objects.create(office=office, code=f"p{i}",
                                                               name=f"Programme {i}"))

    for name in ("sheets:template", "sheets:template_csv"):
        assert_queries_constant(client_for("programme"), reverse(name), grow)


def test_the_import_page_does_not_grow_with_past_imports(client_for, office, users,
                                                          assert_queries_constant):
    def grow(n: int) -> None:
        for i in range(n):
            Job.objects.create(office=office, kind=Job.Kind.SHEET_IMPORT, dry_run=bool(i % 2),
                               input_name=f"field-{i}.xlsx", requested_by=users["programme"])

    assert_queries_constant(client_for("programme"), reverse("sheets:import"), grow)

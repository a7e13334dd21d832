"""A case's files page and the exports page cost the same number of queries however many
files and exports there are."""

import itertools

from django.urls import reverse

from conftest import login_verified
from peacebuild.casework import services

# The pages this file keeps to a constant number of queries (tests/test_query_counts.py
# checks that every list page is in one such set).
PAGES = {"casework:files"}


def test_the_files_page_does_not_grow_with_the_files(client, users, case,
                                                     assert_queries_constant):
    hr = users["human_rights"]
    serial = itertools.count()

    def grow(n: int) -> None:
        for _ in range(n):
            i = next(serial)
            services.attachment_add(actor=hr, event=case, name=f"note-{i}.txt",
                                    content=f"Note {i} of the visit.".encode(),
                                    description=f"Note {i}")

    login_verified(client, hr)
    assert_queries_constant(client, reverse("casework:files", args=[case.pk]), grow)

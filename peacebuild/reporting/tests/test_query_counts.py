"""The report list and a report's page cost the same number of queries however many
reports, renderings and records of the period there are."""

import datetime as dt
import itertools

from django.urls import reverse

from peacebuild.accounts.permissions import SYSTEM
from peacebuild.reporting import services
from peacebuild.reporting.models import IssuedVersion, RenderJob, Report

# The pages this file keeps to a constant number of queries (tests/test_query_counts.py
# checks that every list page is in one such set).
PAGES = {"reporting:list", "reporting:detail"}


def test_report_list_does_not_grow(client_for, office, users, assert_queries_constant):
    serial = itertools.count()

    def grow(n: int) -> None:
        for _ in range(n):
            year = 2001 + next(serial)
            report = services.report_create(
                actor=SYSTEM, office=office, kind=Report.Kind.PROGRESS,
                period_start=dt.date(year, 6, 1), period_end=dt.date(year + 1, 5, 31))
            # Issued without the workflow: only the list's symbol column is under test.
            report.status, report.approved_by = Report.Status.ISSUED, users["head"]
            report.save()
            IssuedVersion.objects.create(report=report, office=office, symbol=f"S/{year}/1",
                                         issued_on=dt.date(year + 1, 6, 1),
                                         original_language="en", content={})

    assert_queries_constant(client_for("viewer"), reverse("reporting:list"), grow)


def test_report_page_does_not_grow(client_for, users, report, make_activity, places,
                                   assert_queries_constant):
    serial = itertools.count()

    def grow(n: int) -> None:
        for _ in range(n):
            i = next(serial)
            make_activity(title=f"Club {i}", starts_on=dt.date(2003, 10, 1 + i),
                          place=places["TJ-SU"], participants_total=10,
                          attendance={("party", "f"): 4, ("party", "m"): 6})
            RenderJob.objects.create(report=report, office=report.office, language="en",
                                     format="html", state=RenderJob.State.DONE, progress=100,
                                     output=b"<p>letter</p>")

    url = reverse("reporting:detail", args=[report.pk])
    for language in ("en", "zh"):
        assert_queries_constant(client_for("programme"), url, grow, data={"lang": language})

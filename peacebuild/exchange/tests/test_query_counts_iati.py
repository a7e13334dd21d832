"""The IATI page costs the same number of queries however many runs the office has had."""

from django.urls import reverse

from peacebuild.exchange.models import Job

PAGES = {"iati:home"}


def test_iati_page_does_not_grow(client_for, office, users, assert_queries_constant):
    def grow(n: int) -> None:
        for i in range(n):
            Job.objects.create(office=office, kind=Job.Kind.IATI_IMPORT, dry_run=bool(i % 2),
                               requested_by=users["monitoring"], input_name=f"f{i}.xml")
            Job.objects.create(office=office, kind=Job.Kind.IATI_EXPORT,
                               requested_by=users["viewer"], output_name="x.xml")

    assert_queries_constant(client_for("monitoring"), reverse("iati:home"), grow, n=3)

"""The pages' "may I" flags come from the same access functions as the pages they link
to: a link to a write page shows exactly when that page would open for the user."""

import datetime as dt

import pytest
from django.urls import reverse

from peacebuild.accounts.permissions import SYSTEM
from peacebuild.activities.models import Centre
from peacebuild.activities.services import activity_create
from peacebuild.mandates.models import Document
from peacebuild.partners.models import Organisation
from peacebuild.programmes import services as programmes
from peacebuild.programmes.models import Outcome
from peacebuild.reporting import services as reporting
from peacebuild.reporting.models import Report

MEMBERS = ["head", "programme", "monitoring", "human_rights", "viewer"]


@pytest.fixture
def records(office, programme, other_programme, activity_type, places):
    def activity(programme_):
        return activity_create(actor=SYSTEM, office=office, programme=programme_,
                               type=activity_type, title="Discussion club",
                               starts_on=dt.date(2004, 3, 1), ends_on=dt.date(2004, 3, 1))

    return {
        "own": activity(programme),  # the programme officer's programme
        "other": activity(other_programme),
        "centre": Centre.objects.create(office=office, name="Resource centre",
                                        kind=Centre.Kind.RESOURCE, place=places["TJ-SU"],
                                        opened_on=dt.date(2004, 5, 1)),
        "document": Document.objects.create(office=office, title="Letter",
                                            symbol="S/2004/331"),
        "organisation": Organisation.objects.create(office=office, name="Ministry",
                                                    kind="government"),
        "outcome": programmes.outcome_save(actor=SYSTEM, outcome=Outcome(
            programme=programme, code="1", title="Dialogue sustained")),
        "report": reporting.report_create(
            actor=SYSTEM, office=office, kind=Report.Kind.LETTER,
            period_start=dt.date(2003, 6, 1), period_end=dt.date(2004, 5, 31)),
    }


# (page that shows the flag, the write page it links to), by the records above
LINKS = {
    "activity edit, own programme": (
        lambda r: reverse("activities:detail", args=[r["own"].pk]),
        lambda r: reverse("activities:edit", args=[r["own"].pk])),
    "activity edit, another programme": (
        lambda r: reverse("activities:detail", args=[r["other"].pk]),
        lambda r: reverse("activities:edit", args=[r["other"].pk])),
    "record an activity": (
        lambda r: reverse("activities:list"), lambda r: reverse("activities:create")),
    "centre edit": (
        lambda r: reverse("activities:centres"),
        lambda r: reverse("activities:centre_edit", args=[r["centre"].pk])),
    "document edit": (
        lambda r: reverse("mandates:document", args=[r["document"].pk]),
        lambda r: reverse("mandates:document_edit", args=[r["document"].pk])),
    "partner edit": (
        lambda r: reverse("partners:list"),
        lambda r: reverse("partners:edit", args=[r["organisation"].pk])),
    "outcome edit": (
        lambda r: reverse("programmes:framework"),
        lambda r: reverse("programmes:outcome_edit", args=[r["outcome"].pk])),
    "report details": (
        lambda r: reverse("reporting:detail", args=[r["report"].pk]),
        lambda r: reverse("reporting:edit", args=[r["report"].pk])),
    "report section": (
        lambda r: reverse("reporting:detail", args=[r["report"].pk]),
        lambda r: reverse("reporting:section_edit",
                          args=[r["report"].pk, r["report"].sections.first().pk])),
    "issue a report": (
        lambda r: reverse("reporting:detail", args=[r["report"].pk]),
        lambda r: reverse("reporting:issue", args=[r["report"].pk])),
}


@pytest.mark.parametrize("role", MEMBERS)
@pytest.mark.parametrize("link", list(LINKS))
def test_link_shows_exactly_when_its_page_opens(link, role, client_for, records):
    page_url, target_url = (make(records) for make in LINKS[link])
    if link == "issue a report":
        Report.objects.filter(pk=records["report"].pk).update(status=Report.Status.APPROVED)
    client = client_for(role)
    page = client.get(page_url)
    assert page.status_code == 200
    shown = target_url in page.content.decode()
    # Shown: the page opens. Not shown: a 403 that names the role (never a 404 in the office).
    assert client.get(target_url).status_code == (200 if shown else 403), (link, role, shown)


def test_the_flags_differ_between_roles(client_for, records):
    """The matrix above is not trivially true: someone sees each link, someone does not."""
    seen = {link: set() for link in LINKS}
    for role in MEMBERS:
        client = client_for(role)
        for link, (page, target) in LINKS.items():
            if target(records) in client.get(page(records)).content.decode():
                seen[link].add(role)
    assert seen["activity edit, own programme"] == {"programme"}
    assert seen["activity edit, another programme"] == set()
    assert seen["document edit"] == {"head", "programme"}
    assert seen["outcome edit"] == {"monitoring"}
    assert seen["report details"] == {"head", "programme", "monitoring"}

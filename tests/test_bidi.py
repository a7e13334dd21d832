"""Right-to-left overrides typed into a record reverse only that record's text: pages isolate
user text in <bdi> (and page titles between FSI and PDI); report text closes what it opens,
for HTML, PDF and DOCX alike."""

import datetime as dt

import pytest
from django.urls import reverse

from peacebuild.accounts.permissions import SYSTEM
from peacebuild.activities.services import activity_create
from peacebuild.lib.bidi import confine
from peacebuild.reporting import services as report_services
from peacebuild.reporting.models import Report
from peacebuild.reporting.narrative import resolve

EVIL = "\u202eevil"


def test_confine_closes_what_the_text_opens():
    assert confine("plain") == "plain"
    assert confine("\u202eabc") == "\u202eabc\u202c"
    assert confine("\u2067a\u202eb") == "\u2067a\u202eb\u202c\u2069"
    assert confine("\u202ea\u202c b") == "\u202ea\u202c b"  # already closed
    assert confine("\u2068x\u2069") == "\u2068x\u2069"


@pytest.fixture
def activity(office, programme, activity_type):
    return activity_create(actor=SYSTEM, office=office, programme=programme, type=activity_type,
                           title=EVIL, starts_on=dt.date(2003, 10, 9),
                           ends_on=dt.date(2003, 10, 9))


def test_pages_isolate_user_text(client_for, activity):
    client = client_for("viewer")
    listed = client.get(reverse("activities:list")).content.decode()
    assert f"<bdi>{EVIL}</bdi>" in listed
    detail = client.get(reverse("activities:detail", args=[activity.pk])).content.decode()
    assert f'<h1 lang="en"><bdi>{EVIL}</bdi></h1>' in detail  # the language it is written in
    assert f'<span aria-current="page"><bdi>{EVIL}</bdi></span>' in detail  # breadcrumbs
    assert f"<title>&#x2068;{EVIL}&#x2069; · Peacebuild</title>" in detail
    # Nowhere else on the page is the title left to run into the text around it.
    assert EVIL not in detail.replace(f"<bdi>{EVIL}</bdi>", "").replace(
        f"&#x2068;{EVIL}&#x2069;", "")
    overview = client.get(reverse("ui:home")).content.decode()
    assert f"<bdi>{EVIL}</bdi>" in overview


def test_report_text_and_signatory_close_their_overrides(office, users, client_for, programme):
    report = report_services.report_create(
        actor=SYSTEM, office=office, kind=Report.Kind.LETTER, period_start=dt.date(2003, 6, 1),
        period_end=dt.date(2004, 5, 31), dated_on=dt.date(2004, 4, 23),
        signatory=f"{EVIL} Name")
    segments = [s.text for p in resolve(f"Held {EVIL} meetings.\n\nNext.", "en", None)
                for s in p]
    assert segments == [f"Held {EVIL} meetings.\u202c", "Next."]
    detail = client_for("head").get(reverse("reporting:detail", args=[report.pk]))
    assert f"{EVIL} Name\u202c" in detail.content.decode()

"""In a real browser: a human-rights officer signs in with a code from their authenticator
and documents a case end to end — the event, a person, an act against them, a source's
information and an intervention with the authorities — and finds it all on the case page,
under the content security policy."""

import pytest
from playwright.sync_api import Page, expect

from conftest import make_user
from peacebuild.accounts.permissions import SYSTEM
from peacebuild.accounts.roles import Role
from peacebuild.casework import services
from peacebuild.casework.models import CaseTeam, CaseTeamMember, Event, TrailEntry
from peacebuild.partners.models import Organisation
from tests.browser import sign_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_a_human_rights_officer_documents_a_case_end_to_end(page: Page, live_server, office,
                                                            places):
    officer = make_user("officer", office, Role.HUMAN_RIGHTS)  # with an authenticator
    team = services.team_save(actor=SYSTEM, team=CaseTeam(office=office, name="Sughd"))
    services.team_member_save(actor=SYSTEM, member=CaseTeamMember(team=team, user=officer,
                                                                  can_write=True))
    Organisation.objects.create(office=office, name="Prosecutor's Office", kind="government")
    errors: list[str] = []
    page.on("console", lambda m: errors.append(m.text) if m.type == "error" else None)
    base = live_server.url
    sign_in(page, base, "officer")  # the code from the authenticator, then the overview

    page.get_by_role("navigation", name="Main").get_by_role("link", name="Cases").click()
    expect(page.get_by_text("Your case teams have no cases yet.")).to_be_visible()
    page.get_by_role("link", name="Record the first case").click()
    page.get_by_label("Title").fill("Detention of a teacher (invented)")
    page.get_by_label("Began on").fill("2004-03-12")
    page.get_by_label("Region").select_option(label="Sughd Region")
    page.get_by_label("Description").fill("Held at the district station.")
    page.get_by_role("button", name="Save").click()
    expect(page.get_by_role("heading", level=1)).to_have_text(
        "Detention of a teacher (invented)")

    page.get_by_role("link", name="Record a person").click()
    page.get_by_label("Name:", exact=True).fill("Nodira Karimova (invented)")
    page.get_by_role("button", name="Save").click()
    expect(page.get_by_role("link", name="Record an act")).to_be_visible()

    page.get_by_role("link", name="Record an act").click()
    page.get_by_label("Violation:", exact=True).select_option(
        label="arbitrary arrest and detention")
    page.get_by_label("Victim:", exact=True).select_option(
        label="Nodira Karimova (invented)")
    page.get_by_label("Date:", exact=True).fill("2004-03-12")
    page.get_by_role("button", name="Save").click()

    page.get_by_role("link", name="Record a source's information").click()
    page.get_by_label("Source:", exact=True).select_option(label="Nodira Karimova (invented)")
    page.get_by_label("Received on").fill("2004-03-14")
    page.get_by_label("Reliability").select_option(label="reliable")
    page.get_by_label("What the source said").fill("She was held for two days.")
    page.get_by_label("Consents to its use").check()
    page.get_by_role("button", name="Save").click()

    page.get_by_role("link", name="Record an intervention").click()
    page.get_by_label("Date:", exact=True).fill("2004-03-15")
    page.get_by_label("Authority:", exact=True).select_option(label="Prosecutor's Office")
    page.get_by_label("Channel:", exact=True).select_option(label="letter")
    page.get_by_label("Request made").fill("Release her or charge her.")
    page.get_by_label("Follow-up due").fill("2004-03-29")
    page.get_by_role("button", name="Save").click()

    timeline = page.locator("ol.case-timeline")
    expect(timeline.locator("li")).to_have_count(5)  # began, act, information, intervention, due
    for text in ["arbitrary arrest and detention", "Nodira Karimova (invented)",
                 "She was held for two days.", "to use only, not to share",
                 "Prosecutor's Office", "Release her or charge her.", "awaiting a response"]:
        expect(timeline).to_contain_text(text)
    expect(page.get_by_test_id("readers")).to_contain_text("officer")
    event = Event.objects.get()
    assert (event.acts.count(), event.information.count(), event.interventions.count()) == (
        1, 1, 1)
    assert TrailEntry.objects.filter(action="read", target=f"event:{event.pk}").exists()
    assert not [e for e in errors if "Content Security Policy" in e], errors

"""Issue 13's "done when", in a real browser: a programme officer records a meeting of the
human-rights thematic group with its decisions and an action point; the owner sees it due
on their overview and closes it with evidence; the group's figures appear on the dashboard
and in a report placeholder."""

import datetime as dt

import pytest
from playwright.sync_api import Page, expect

from peacebuild.demo.figures import figure_definitions
from peacebuild.partners.models import ActionPoint, Group, GroupMember, Organisation
from peacebuild.reporting import services as reports

from .browser import sign_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_record_follow_through_and_count(page: Page, live_server, users, office):
    today = office.today()
    group = Group.objects.create(office=office, name="Human-rights thematic group",
                                 code="human-rights-group", chaired_by_office=True)
    for name in ("OHCHR", "OSCE Centre in Dushanbe", "European Commission"):
        GroupMember.objects.create(group=group, organisation=Organisation.objects.create(
            office=office, name=name, kind="international"))
    base = live_server.url

    sign_in(page, base, "programme")
    page.get_by_role("link", name="Partners").click()
    page.get_by_role("link", name="Human-rights thematic group").first.click()
    page.get_by_role("link", name="Record a meeting").first.click()
    page.get_by_label("Held on").fill((today - dt.timedelta(days=3)).isoformat())
    page.get_by_label("Place").fill("OSCE Centre, Dushanbe")
    page.get_by_label("OHCHR").check()
    page.get_by_label("OSCE Centre in Dushanbe").check()
    page.get_by_label("Agenda").fill("1. Electoral needs assessment")
    page.get_by_label("Decisions").fill("One joint note to the mission.")
    page.get_by_label("Minutes in English").fill("Members agreed on one joint note.")
    page.get_by_role("button", name="Save").click()
    expect(page.get_by_role("heading", level=1)).to_contain_text("Meeting of")

    page.get_by_role("link", name="Add an action point").first.click()
    page.get_by_label("Action").fill("Send the joint note to the mission.")
    page.get_by_label("Responsible in the office").select_option(label="Human_Rights")
    # A due date before the meeting is refused, and what was typed stays.
    page.get_by_label("Due on").fill((today - dt.timedelta(days=10)).isoformat())
    page.get_by_role("button", name="Save").click()
    expect(page.locator("body")).to_contain_text("The due date is before the meeting")
    expect(page.get_by_label("Action")).to_have_value("Send the joint note to the mission.")
    page.get_by_label("Due on").fill((today + dt.timedelta(days=5)).isoformat())
    page.get_by_role("button", name="Save").click()
    expect(page.locator("table")).to_contain_text("Send the joint note to the mission.")
    page.screenshot(path="test-results/coordination-meeting.png", full_page=True)

    page.context.clear_cookies()
    sign_in(page, base, "human_rights")
    mine = page.get_by_role("region", name="Your action points")
    expect(mine).to_contain_text("Send the joint note to the mission.")
    expect(mine).to_contain_text("due in 5 days")
    mine.get_by_role("link", name="Close").click()
    page.get_by_label("Done", exact=True).check()
    page.get_by_role("button", name="Save").click()
    expect(page.locator("body")).to_contain_text("Give the evidence that closes it")
    page.locator("#id_evidence").fill("Joint note sent; the mission's receipt.")
    page.get_by_role("button", name="Save").click()
    expect(page.get_by_role("heading", level=1)).to_contain_text("Test Office")
    expect(page.get_by_role("region", name="Your action points")).to_have_count(0)
    action = ActionPoint.objects.get()
    assert (action.status, action.closed_on) == ("done", today)

    # The action point counts in the period it is due in.
    page.goto(f"{base}/results/?date_from={today - dt.timedelta(days=30)}"
              f"&date_to={today + dt.timedelta(days=30)}")
    row = page.locator("#coordination tbody tr").first
    expect(row.locator('[data-measure="meetings_held"]')).to_have_text("1")
    expect(row.locator('[data-measure="member_attendance"]')).to_have_text("67%")
    expect(row.locator('[data-measure="actions_done_on_time"]')).to_have_text("1")
    row.locator('[data-measure="actions_done_on_time"]').click()
    expect(page.locator("table")).to_contain_text("Send the joint note to the mission.")

    figure_definitions(office, skip_missing=True)  # the demo's named figures, in its codes
    report = reports.report_create(actor=users["head"], office=office, kind="letter",
                                   period_start=today.replace(month=1, day=1) - dt.timedelta(
                                       days=365), period_end=today + dt.timedelta(days=30),
                                   dated_on=today)
    page.context.clear_cookies()
    sign_in(page, base, "head")
    page.goto(f"{base}/reports/{report.pk}/")
    page.locator("[data-edit-section]").first.click()
    page.wait_for_load_state()  # the live preview listens once its scripts have loaded
    page.get_by_label("Text (en)").fill(
        "The group met {hr_group_meetings|words} time; {hr_group_actions_on_time} of "
        "{hr_group_actions_due} action points were done on time.")
    expect(page.locator("#preview")).to_contain_text(
        "The group met one time; 1 of 1 action points were done on time.")

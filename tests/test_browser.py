"""A programme officer records an activity in a real browser, finds it through the
filters and sees it counted on the overview."""

import re

import pytest
from playwright.sync_api import Page, expect

from .browser import sign_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_record_find_and_count_an_activity(page: Page, live_server, users, places,
                                           activity_type, training_type):
    base = live_server.url
    sign_in(page, base, "programme")

    page.goto(f"{base}/activities/new/")
    page.get_by_label("Title").fill("Discussion club in Khujand")
    page.get_by_label("Type").select_option(label="Political discussion club meeting")
    page.get_by_label("Starts on").fill("2003-09-10")
    page.get_by_label("Ends on").fill("2003-09-10")
    page.get_by_label("Place").select_option(label="Sughd Region")
    page.locator('input[name="att-party-f"]').fill("12")
    page.locator('input[name="att-party-m"]').fill("30")
    page.locator('input[name="att-civil_society-f"]').fill("8")
    # The grid adds up as you type.
    expect(page.locator("[data-grand-total]")).to_have_text("50")
    page.get_by_label("Participants").fill("50")
    page.get_by_role("button", name="Save").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Discussion club in Khujand")

    page.goto(f"{base}/activities/")
    page.get_by_label("Type").select_option(label="Political discussion club meeting")
    page.get_by_label("Region").select_option(label="Sughd Region")
    page.get_by_role("button", name="Filter").click()
    expect(page.get_by_role("link", name="Discussion club in Khujand")).to_be_visible()
    expect(page.locator("body")).to_contain_text(re.compile(r"1 activit"))

    page.goto(f"{base}/")
    expect(page.locator('[data-measure="activities"]')).to_have_text("1")
    expect(page.locator('[data-measure="participants"]')).to_have_text("50")
    page.screenshot(path="test-results/overview.png", full_page=True)

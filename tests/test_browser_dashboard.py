"""On the results dashboard, a region of the map and a bar of a chart lead to the records
behind them, and the list there shows the same total."""

import datetime as dt
import re

import pytest
from playwright.sync_api import Page, expect

from peacebuild.accounts.permissions import SYSTEM
from peacebuild.activities.services import Cell, activity_create
from peacebuild.mandates.models import MandatePeriod

from .browser import sign_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def records(office, programme, activity_type, places):
    MandatePeriod.objects.create(office=office, starts_on=dt.date(2003, 6, 1),
                                 ends_on=dt.date(2004, 6, 1),
                                 decision=MandatePeriod.Decision.APPROVED)
    for day, region, total in [("2003-10-09", "TJ-SU", 40), ("2003-11-13", "TJ-SU", 25),
                               ("2003-12-11", "TJ-KT", 30), ("2004-02-19", "TJ-DU", 12)]:
        activity_create(actor=SYSTEM, office=office, programme=programme, type=activity_type,
                        title=f"Discussion club {day}", starts_on=dt.date.fromisoformat(day),
                        ends_on=dt.date.fromisoformat(day), place=places[region],
                        participants_total=total,
                        attendance={Cell("party", "f"): 10, Cell("party", "m"): total - 10})


def list_total(page: Page) -> str:
    return page.locator("main .stat a.value").first.inner_text()


def test_map_region_and_chart_bar_lead_to_their_records(page: Page, live_server, users,
                                                         records):
    base = live_server.url
    sign_in(page, base, "viewer")
    page.goto(f"{base}/results/?period=all")
    expect(page.get_by_role("heading", level=1)).to_have_text("Results")
    page.screenshot(path="test-results/results-dashboard.png", full_page=True)

    # Khatlon on the map: one activity there.
    region = page.locator('a.region:has(path[data-region="TJ-KT"])')
    expect(region).to_have_attribute("aria-label", re.compile(r": 1$"))
    region.click()
    expect(page).to_have_url(re.compile(r"/activities/\?.*region="))
    expect(page.locator("main .stat a.value").first).to_have_text("1")
    expect(page.get_by_role("link", name="Discussion club 2003-12-11")).to_be_visible()

    # The 2003-Q4 bar of activities by quarter: three meetings.
    page.goto(f"{base}/results/?period=all")
    bar = page.locator('svg[aria-label="activities by quarter"] a.bar',
                       has=page.locator("title", has_text="2003-Q4"))
    label = bar.get_attribute("aria-label")
    shown = label.rsplit(" ", 1)[-1]
    assert shown == "3"
    bar.click()
    expect(page).to_have_url(re.compile(r"date_from=2003-10-01.*date_to=2003-12-31"))
    expect(page.locator("main .stat a.value").first).to_have_text(shown)

    # The htmx filter swaps the body: the map toggle keeps the page and changes the picture.
    page.goto(f"{base}/results/?period=all")
    page.get_by_role("link", name="participants", exact=True).click()
    expect(page.locator('a.region:has(path[data-region="TJ-SU"])')).to_have_attribute(
        "aria-label", re.compile(r": 65$"))

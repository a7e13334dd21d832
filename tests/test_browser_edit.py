"""Editing in a real browser: the attendance grid by age group adds up and keeps every
cell; a second editor who saves late is shown what changed instead of overwriting it."""

import datetime as dt
import os

import pytest
from playwright.sync_api import Browser, Page, expect

from peacebuild.accounts.permissions import SYSTEM
from peacebuild.activities.models import Attendance
from peacebuild.activities.services import Cell, activity_create

from .browser import sign_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

SHOTS = os.environ.get("PEACEBUILD_SHOTS")  # a directory: also save screenshots there


def shot(page: Page, name: str) -> None:
    if SHOTS:
        page.screenshot(path=os.path.join(SHOTS, f"{name}.png"), full_page=True)


@pytest.fixture
def by_age(office, programme, activity_type, places, users):
    return activity_create(
        actor=SYSTEM, office=office, programme=programme, type=activity_type,
        title="Party school", description="Two days.", starts_on=dt.date(2005, 3, 1),
        ends_on=dt.date(2005, 3, 2), participants_total=10, place=places["TJ-SU"],
        attendance={Cell("party", "f", "18-29"): 4, Cell("party", "f", "30-59"): 6},
    )


def test_the_grid_by_age_group_adds_up_and_keeps_every_cell(page: Page, live_server, by_age):
    base = live_server.url
    sign_in(page, base, "programme")
    page.goto(f"{base}/activities/{by_age.pk}/edit/")
    expect(page.get_by_label("Break the attendance down by age group")).to_be_checked()
    expect(page.locator('input[name="att-party-f-18-29"]')).to_have_value("4")
    expect(page.locator("[data-grand-total]")).to_have_text("10")
    expect(page.locator('[data-row-total="party/18-29"]')).to_have_text("4")
    shot(page, "edit-by-age")
    if SHOTS:  # the same page in Russian on a narrow window, to look at
        page.context.add_cookies([{"name": "django_language", "value": "ru", "url": base}])
        page.set_viewport_size({"width": 400, "height": 900})
        page.reload()
        shot(page, "edit-by-age-ru-narrow")
        page.context.clear_cookies(name="django_language")
        page.set_viewport_size({"width": 1280, "height": 720})
        page.reload()
    page.get_by_label("Title").fill("Party school, spring")
    page.get_by_role("button", name="Save the changes").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Party school, spring")
    assert {(a.age_group, a.count) for a in Attendance.objects.filter(activity=by_age)} == {
        ("18-29", 4), ("30-59", 6)}

    plain = activity_create(
        actor=SYSTEM, office=by_age.office, programme=by_age.programme, type=by_age.type,
        title="Club", starts_on=dt.date(2005, 4, 1), ends_on=dt.date(2005, 4, 1),
        participants_total=3, attendance={Cell("party", "m"): 3})
    page.goto(f"{base}/activities/{plain.pk}/edit/")
    age_cell = page.locator('input[name="att-youth-f-0-17"]')
    expect(age_cell).to_be_hidden()
    shot(page, "edit-plain")
    page.get_by_label("Break the attendance down by age group").check()
    expect(age_cell).to_be_visible()
    expect(page.get_by_label("youth, women, under 18")).to_be_visible()
    age_cell.fill("2")
    expect(page.locator("[data-grand-total]")).to_have_text("5")
    expect(page.locator('[data-row-total="youth/0-17"]')).to_have_text("2")
    expect(page.locator("[data-attendance-status]")).to_contain_text("adds up to 5")
    page.get_by_label("Participants").fill("5")
    page.get_by_role("button", name="Save the changes").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Club")
    assert {(a.category, a.age_group, a.count)
            for a in Attendance.objects.filter(activity=plain)} == {
        ("party", "unknown", 3), ("youth", "0-17", 2)}


def test_a_late_second_editor_sees_the_difference(browser: Browser, page: Page, live_server,
                                                   by_age):
    base = live_server.url
    url = f"{base}/activities/{by_age.pk}/edit/"
    other = browser.new_context().new_page()
    sign_in(page, base, "programme")
    sign_in(other, base, "programme")
    page.goto(url)
    other.goto(url)
    page.get_by_label("Title").fill("A's title")
    page.get_by_role("button", name="Save the changes").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("A's title")

    other.get_by_label("Description").fill("B's description")
    other.get_by_role("button", name="Save the changes").click()
    alert = other.get_by_role("alert").filter(has_text="Someone else changed this record")
    expect(alert).to_be_visible()
    expect(alert.get_by_role("row", name="Title")).to_contain_text("A's title")
    expect(other.get_by_label("Description")).to_have_value("B's description")
    shot(other, "conflict")
    if SHOTS:
        other.set_viewport_size({"width": 400, "height": 900})
        shot(other, "conflict-narrow")
    other.context.close()

"""A head of office edits a section of a draft letter in a real browser, inserts a figure,
sees the live preview, approves the letter and downloads it as PDF."""

import datetime as dt

import pytest
from playwright.sync_api import Page, expect

from peacebuild.accounts.permissions import SYSTEM
from peacebuild.activities.services import activity_create
from peacebuild.demo.figures import figure_definitions
from peacebuild.reporting import services

from .browser import sign_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_edit_insert_preview_approve_download(page: Page, live_server, users, office,
                                              programme, activity_type, tmp_path):
    figure_definitions(office, skip_missing=True)  # the demo's named figures, in its codes
    for day, total in [(dt.date(2003, 10, 9), 640), (dt.date(2004, 2, 19), 678)]:
        activity_create(actor=SYSTEM, office=office, attendance=None, partners=None,
                        type=activity_type, programme=programme, title="Discussion club",
                        starts_on=day, ends_on=day, participants_total=total)
    report = services.report_create(actor=users["head"], office=office, kind="letter",
                                    period_start=dt.date(2003, 6, 1),
                                    period_end=dt.date(2004, 5, 31),
                                    dated_on=dt.date(2004, 4, 23))
    base = live_server.url
    sign_in(page, base, "head")
    page.get_by_role("link", name="Reports").click()
    page.get_by_role("link", name="Letter of the Secretary-General on the mandate").click()
    page.locator('[data-edit-section="dialogue"]').click()
    page.wait_for_load_state()  # the live preview listens once its scripts have loaded

    area = page.get_by_label("Text (en)")
    area.fill("The club met ")
    page.get_by_role("button", name="Insert club_meetings").click()
    area.press("End")
    area.type(" times; <script>alert(1)</script> more than ")
    page.get_by_role("button", name="Insert club_participants").click()
    preview = page.locator("#preview")
    expect(preview).to_contain_text("The club met 2 times; <script>alert(1)</script> more "
                                    "than 1,318")
    expect(preview.locator('a[data-figure="club_meetings"]')).to_have_attribute(
        "href", f"/activities/?type={activity_type.pk}&date_from=2003-06-01&date_to=2004-05-31")
    # A figure that does not exist is shown as an error, not as a blank.
    area.press("End")
    area.type(" {no_such_figure}")
    expect(preview.locator("[data-preview-errors]")).to_contain_text("no_such_figure")
    page.screenshot(path="test-results/report-editor.png", full_page=True)
    area.press("End")
    for _ in range(len(" {no_such_figure}")):
        area.press("Backspace")
    expect(preview.locator("[data-preview-ok]")).to_be_visible()
    page.get_by_role("button", name="Save").click()
    expect(page.locator(".messages")).to_contain_text("The section was saved.")
    expect(page.locator(".paper")).to_contain_text("The club met 2 times")

    page.get_by_role("button", name="Approve").click()
    expect(page.locator("[data-status]")).to_have_text("approved")

    page.locator("#id_language").select_option("zh")
    page.locator("#id_format").select_option("pdf")
    page.get_by_role("button", name="Render").click()
    link = page.locator("#jobs [data-download]").first
    expect(link).to_be_visible(timeout=30000)
    with page.expect_download() as info:
        link.click()
    path = tmp_path / "letter.pdf"
    info.value.save_as(path)
    assert path.read_bytes().startswith(b"%PDF")
    report.refresh_from_db()
    assert report.status == "approved"
    page.screenshot(path="test-results/report-detail.png", full_page=True)

"""A programme officer imports a field team's sheet in a real browser: a file with a bad row
is refused with the problem at its row and column, the corrected file's dry run offers to
import its activities, and the import lands them in the list."""

import os
from pathlib import Path

import pytest
from playwright.sync_api import Page, expect

from peacebuild.activities.models import Activity
from peacebuild.exchange.tests.sheets_helpers import row, xlsx

from .browser import sign_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]
SHOTS = os.environ.get("PEACEBUILD_SCREENSHOTS")  # a directory: keep screenshots there


def shot(page: Page, name: str) -> None:
    if SHOTS:
        page.screenshot(path=str(Path(SHOTS) / f"{name}.png"), full_page=True)


def test_upload_refused_then_dry_run_and_import(page: Page, live_server, users, office,
                                               places, programme, activity_type, tmp_path,
                                               settings):
    settings.DATA_DIR = tmp_path
    bad = tmp_path / "field-bad.xlsx"
    bad.write_bytes(xlsx([row(1), row(2, starts_on="03/04/2004")]))
    good = tmp_path / "field.xlsx"
    good.write_bytes(xlsx([row(1), row(2), row(3)]))
    sign_in(page, live_server.url, "programme")
    page.get_by_role("link", name="Activities", exact=True).first.click()
    page.get_by_role("link", name="Import from a spreadsheet").click()
    shot(page, "import-en")
    page.get_by_label("Spreadsheet (XLSX or CSV)").set_input_files(str(bad))
    page.get_by_role("button", name="Check the file").click()
    expect(page.get_by_role("alert")).to_contain_text("nothing was imported")
    problems = page.locator("table.problems")
    expect(problems).to_contain_text("could be day/month or month/day")
    expect(problems.locator("tbody tr").first).to_contain_text("row 3, column D")
    shot(page, "problems-en")
    page.get_by_role("link", name="Upload a corrected file").click()
    page.get_by_label("Spreadsheet (XLSX or CSV)").set_input_files(str(good))
    page.get_by_role("button", name="Check the file").click()
    expect(page.get_by_text("3 activities with 15 participants would be created.")).to_be_visible()
    shot(page, "dry-run-en")
    assert Activity.objects.count() == 0
    page.get_by_role("button", name="Import these 3 activities").click()
    expect(page.get_by_text("3 activities imported.").first).to_be_visible()
    shot(page, "done-en")
    assert Activity.objects.count() == 3
    page.get_by_role("link", name="See the activities").click()
    expect(page.get_by_role("link", name="Meeting 3")).to_be_visible()

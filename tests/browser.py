"""What every browser test does first."""

from playwright.sync_api import Page, expect

from conftest import PASSWORD


def sign_in(page: Page, base: str, username: str) -> None:
    """Sign in through the login page and wait for the overview of the test office."""
    page.goto(f"{base}/login/")
    page.get_by_label("User name").fill(username)
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Sign in").click()
    expect(page.get_by_role("heading", level=1)).to_contain_text("Test Office")

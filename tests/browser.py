"""What every browser test does first."""

from playwright.sync_api import Page, expect

from conftest import PASSWORD, totp_code
from peacebuild.accounts.models import User


def sign_in(page: Page, base: str, username: str) -> None:
    """Sign in through the login page (with the authenticator's code when the user has
    one) and wait for the overview of the test office."""
    page.goto(f"{base}/login/")
    page.get_by_label("User name").fill(username)
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Sign in").click()
    heading = page.get_by_role("heading", level=1)
    expect(heading).not_to_have_text("Sign in")
    if heading.text_content() == "Two-factor authentication":
        page.get_by_label("Code").fill(totp_code(User.objects.get(username=username)))
        page.get_by_role("button", name="Verify").click()
    expect(heading).to_contain_text("Test Office")

"""Screenshots of the demo's main pages for the README, made from the running demo.

    .venv/bin/python scripts/screenshots.py [--out docs/screenshots]

Loads the demo into a fresh SQLite database, serves it on a free local port, signs in
with Debian's Chromium through Playwright and saves one PNG per page: the whole page on a
desktop window, the first screen on a phone (360 × 780).
"""

import argparse
import os
import re
import shutil
import socket
import subprocess
import sys
import tempfile
import time
import urllib.request
from pathlib import Path

from playwright.sync_api import sync_playwright

ROOT = Path(__file__).resolve().parent.parent
PHONE = {"width": 360, "height": 780}
# (file name, path, language, user, then open the first link of the table row holding this,
#  and optionally "phone" for a phone-sized window)
PAGES = [
    ("overview", "/", "en", "programme", None),
    ("overview-2004-04-23", "/?as_of=2004-04-23", "en", "programme", None),
    ("activities-discussion-clubs", "/activities/?category=dialogue&date_from=2003-06-01"
                                    "&date_to=2004-05-31", "en", "programme", None),
    ("activity-form", "/activities/new/", "en", "programme", None),
    ("results-dashboard", "/results/", "en", "monitoring", None),
    ("report-letter-zh", "/reports/", "zh-hans", "head", "S/2004/331"),
    ("overview-ru", "/?as_of=2004-04-23", "ru", "programme", None),
    ("activities-zh", "/activities/", "zh-hans", "programme", None),
    ("results-dashboard-ru", "/results/", "ru", "viewer", None),
    ("coordination-groups", "/partners/groups/", "en", "programme", None),
    ("overview-humanrights-2004-04-23", "/?as_of=2004-04-23", "en", "humanrights", None),
    ("coordination-actions-ru", "/partners/actions/?status=", "ru", "humanrights", None),
    # The casework's aggregates, disclosure-controlled, as any role sees them.
    ("human-rights-figures", "/results/human-rights/?date_from=2003-06-01&date_to=2004-05-31",
     "en", "viewer", None),
    # The case team's pages (the demo's invented cases), signed in with the second factor.
    ("cases", "/cases/", "en", "humanrights", None),
    ("case-page", "/cases/", "en", "humanrights", "(invented)"),
    ("cases-summaries", "/cases/", "en", "head", None),
    ("case-page-ar", "/cases/", "ar", "humanrights", "(invented)"),
    # Right to left: the Arabic interface, mirrored.
    ("overview-ar", "/?as_of=2004-04-23", "ar", "programme", None),
    ("activities-ar", "/activities/?category=dialogue&date_from=2003-06-01"
                      "&date_to=2004-05-31", "ar", "programme", None),
    ("results-dashboard-ar", "/results/", "ar", "monitoring", None),
    ("report-letter-ar", "/reports/", "ar", "head", "S/2004/331"),
    ("human-rights-figures-ar", "/results/human-rights/?date_from=2003-06-01"
                                "&date_to=2004-05-31", "ar", "viewer", None),
    # A phone's first screen.
    ("phone-overview", "/?as_of=2004-04-23", "en", "programme", None, "phone"),
    ("phone-menu-ar", "/?as_of=2004-04-23", "ar", "programme", None, "phone-menu"),
    ("phone-activity-form", "/activities/new/", "en", "programme", None, "phone"),
    ("phone-results-dashboard-zh", "/results/", "zh-hans", "monitoring", None, "phone"),
    ("phone-activities-ar", "/activities/", "ar", "programme", None, "phone"),
]


def sign_in(page, base: str, user: str, env: dict, peacebuild: list) -> None:
    """The demo's password, and for case officers the code their authenticator would show."""
    page.goto(f"{base}/login/")
    page.fill("#id_username", user)
    page.fill("#id_password", "peacebuild-demo")
    page.click("button[type=submit]")
    if page.locator("#id_code").count():  # the second factor of case officers
        code = subprocess.run([*peacebuild, "demo_code", user], env=env, cwd=ROOT,
                              check=True, capture_output=True, text=True)
        page.fill("#id_code", re.match(r"\d+", code.stdout.strip()).group())
        page.locator("form:has(#id_code) button[type=submit]").click()
        page.wait_for_load_state()


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--out", default=str(ROOT / "docs" / "screenshots"))
    parser.add_argument("--width", type=int, default=1280)
    parser.add_argument("--only", default="", help="only the pages whose name contains this")
    args = parser.parse_args()
    out = Path(args.out)
    out.mkdir(parents=True, exist_ok=True)
    data = tempfile.mkdtemp(prefix="peacebuild-shots-")
    env = {**os.environ, "PEACEBUILD_DATA_DIR": data}
    env.pop("DATABASE_URL", None)
    port = free_port()
    peacebuild = [sys.executable, "-m", "peacebuild"]
    subprocess.run([*peacebuild, "demo", "--no-serve"], env=env, check=True, cwd=ROOT,
                   stdout=subprocess.DEVNULL)
    server = subprocess.Popen([*peacebuild, "runserver", f"127.0.0.1:{port}", "--noreload"],
                              env=env, cwd=ROOT, stdout=subprocess.DEVNULL,
                              stderr=subprocess.DEVNULL)
    base = f"http://127.0.0.1:{port}"
    try:
        for _ in range(100):
            try:
                urllib.request.urlopen(f"{base}/login/", timeout=1)
                break
            except OSError:
                time.sleep(0.2)
        with sync_playwright() as p:
            browser = p.chromium.launch(
                executable_path=shutil.which("chromium"),
                args=["--no-sandbox", "--disable-gpu", "--disable-background-networking",
                      "--disable-component-update", "--no-first-run", "--disable-sync"],
            )
            signed_in: dict = {}
            for name, path, lang, user, follow, *size in PAGES:
                if args.only not in name:
                    continue
                phone = bool(size) and size[0].startswith("phone")
                # One sign-in per user (a second factor's code is good only once).
                context = browser.new_context(
                    viewport=PHONE if phone else {"width": args.width, "height": 900},
                    storage_state=signed_in.get(user))
                context.add_cookies([{"name": "django_language", "value": lang,
                                      "url": base}])
                page = context.new_page()
                if user in signed_in:
                    page.goto(f"{base}{path}")
                else:
                    sign_in(page, base, user, env, peacebuild)
                    signed_in[user] = context.storage_state()
                    page.goto(f"{base}{path}")
                if follow:
                    page.locator("main table tr").filter(has_text=follow).locator("a").first.click()
                    page.wait_for_load_state()
                if size == ["phone-menu"]:
                    page.click("[data-nav-toggle]")
                page.screenshot(path=str(out / f"{name}.png"), full_page=not phone)
                print(out / f"{name}.png")
                context.close()
            browser.close()
    finally:
        server.terminate()
        server.wait(timeout=10)
        shutil.rmtree(data, ignore_errors=True)


if __name__ == "__main__":
    main()

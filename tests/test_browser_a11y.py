"""Issue 12's "done when" for everyone who does not use a mouse on a wide screen in a
left-to-right language: axe-core finds no serious or critical WCAG 2.1 AA violation on any
main page in English, Arabic and Chinese; the Arabic interface is mirrored and keeps user
text and numbers in order; the main pages fit a 360-pixel phone; and the main flows work
with the keyboard alone.

Cost, kept bounded: one browser context per test, the pages visited in a loop."""

import datetime as dt

import pytest
from axe_playwright_python.sync_playwright import Axe
from playwright.sync_api import Page, expect

from conftest import PASSWORD
from peacebuild.accounts.permissions import SYSTEM
from peacebuild.activities.models import Centre
from peacebuild.activities.services import Cell, activity_create
from peacebuild.demo.figures import figure_definitions
from peacebuild.mandates.models import Document, MandatePeriod
from peacebuild.partners.models import ActionPoint, Group, GroupMeeting, Organisation
from peacebuild.programmes.models import Indicator, Outcome, Output
from peacebuild.reporting import services as reports

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

# A Latin title with an Arabic name inside: in an Arabic page, without isolation, its
# words would be laid out right to left ("Khujand in <name> with Meeting").
MIXED_TITLE = "Meeting with مركز السلام in Khujand"
WCAG_AA = {"runOnly": ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"],
           "resultTypes": ["violations"]}


@pytest.fixture
def world(office, users, programme, activity_type, places):
    """One record of every kind the main pages show; returns the main pages' paths, as the
    programme officer sees them, then the head of office's (audit log, approval)."""
    figure_definitions(office, skip_missing=True)
    doc = Document.objects.create(office=office, symbol="S/2004/331", kind="letter",
                                  title="Letter dated 23 April 2004 from the Secretary-General",
                                  dated_on=dt.date(2004, 4, 23))
    MandatePeriod.objects.create(office=office, starts_on=dt.date(2000, 6, 1),
                                 ends_on=dt.date(2004, 6, 1), document=doc,
                                 decision=MandatePeriod.Decision.APPROVED)
    MandatePeriod.objects.create(office=office, starts_on=dt.date(2004, 6, 2),
                                 ends_on=dt.date(2005, 6, 1),
                                 decision=MandatePeriod.Decision.PROPOSED)
    activity = activity_create(
        actor=SYSTEM, office=office, partners=None, type=activity_type, programme=programme,
        title=MIXED_TITLE, starts_on=dt.date(2003, 10, 9), ends_on=dt.date(2003, 10, 9),
        place=places["TJ-SU"], participants_total=150,  # the letter rounds it to hundreds
        attendance={Cell("party", "f"): 60, Cell("party", "m"): 90})
    output = Output.objects.create(
        outcome=Outcome.objects.create(programme=programme, code="1", title="Dialogue"),
        code="1.1", title="Clubs meet")
    Indicator.objects.create(output=output, code="1.1.1", title="Club meetings held",
                             kind=Indicator.Kind.COUNT,
                             rule={"measure": "activities", "filters": {}})
    org = Organisation.objects.create(office=office, name="OSCE Centre in Dushanbe",
                                      kind="international")
    Centre.objects.create(office=office, name="Peace centre", kind=Centre.Kind.values[0],
                          place=places["TJ-SU"], partner=org, opened_on=dt.date(2001, 3, 1))
    group = Group.objects.create(office=office, name="Human-rights thematic group",
                                 code="hr", chaired_by_office=True)
    meeting = GroupMeeting.objects.create(group=group, held_on=dt.date(2004, 3, 1))
    ActionPoint.objects.create(meeting=meeting, text="Share the detention figures",
                               owner=org, due_on=dt.date(2004, 4, 1))
    report = reports.report_create(actor=users["head"], office=office, kind="letter",
                                   period_start=dt.date(2003, 6, 1),
                                   period_end=dt.date(2004, 5, 31),
                                   dated_on=dt.date(2004, 4, 23))
    section = report.sections.first()
    return {
        "overview": "/", "activities": "/activities/", "activity": f"/activities/{activity.pk}/",
        "activity form": "/activities/new/", "dashboard": "/results/",
        "programme dashboard": f"/results/programme/{programme.pk}/",
        "results framework": "/results/framework/", "reports": "/reports/",
        "report": f"/reports/{report.pk}/",
        "report editor": f"/reports/{report.pk}/sections/{section.pk}/?lang=en",
        "groups": "/partners/groups/", "group": f"/partners/groups/{group.pk}/",
        "meetings": "/partners/meetings/", "meeting": f"/partners/meetings/{meeting.pk}/",
        "action points": "/partners/actions/?status=", "partners": "/partners/",
        "centres": "/activities/centres/", "documents": "/mandate/documents/",
        "document": f"/mandate/documents/{doc.pk}/",
        "head:report": f"/reports/{report.pk}/", "head:audit log": "/accounts/audit/",
    }


def visit(page: Page, base: str, language: str, world: dict[str, str]):
    """Each main page in turn, signed in as whom it is for: yields (name, path)."""
    user = None
    for name, path in world.items():
        wanted = "head" if name.startswith("head:") else "programme"
        if wanted != user:
            page.context.clear_cookies()
            sign_in(page, base, language, wanted)
            user = wanted
        page.goto(base + path)
        yield name, path


def sign_in(page: Page, base: str, language: str, username: str) -> None:
    """Sign in with the interface in `language` (by field ids: the labels are translated)."""
    page.context.add_cookies([{"name": "django_language", "value": language, "url": base}])
    page.goto(f"{base}/login/")
    page.fill("#id_username", username)
    page.fill("#id_password", PASSWORD)
    page.click("button[type=submit]")
    expect(page.locator("h1")).to_contain_text("Test Office")


def serious(results) -> list[str]:
    return [f"{v['id']} ({v['impact']}): {v['help']} — {[n['target'] for n in v['nodes'][:3]]}"
            for v in results.response["violations"] if v["impact"] in ("serious", "critical")]


@pytest.mark.parametrize("language", ["en", "ar", "zh-hans"])
def test_no_serious_accessibility_violations(browser, live_server, world, language):
    context = browser.new_context(bypass_csp=True)  # axe is injected as a script
    page = context.new_page()
    axe = Axe()
    base = live_server.url
    page.context.add_cookies([{"name": "django_language", "value": language, "url": base}])
    page.goto(f"{base}/login/")
    found = {"login": serious(axe.run(page, options=WCAG_AA))}
    for name, _path in visit(page, base, language, world):
        found[name] = serious(axe.run(page, options=WCAG_AA))
    context.close()
    assert {k: v for k, v in found.items() if v} == {}


def test_arabic_is_mirrored_and_keeps_text_in_order(page: Page, live_server, world):
    base = live_server.url
    sign_in(page, base, "en", "programme")
    assert page.locator("html").get_attribute("dir") == "ltr"
    # The language switcher submits on its own (a static script, no inline handler).
    with page.expect_navigation():
        page.locator("#language-switch").select_option("ar")
    assert page.locator("html").get_attribute("dir") == "rtl"
    assert page.locator("html").get_attribute("lang") == "ar"
    nav, main = page.locator("nav.sidenav").bounding_box(), page.locator("main").bounding_box()
    assert nav["x"] > main["x"], "the navigation is on the right"
    # The timeline reads from right to left: its first year is the rightmost.
    years = page.locator(".timeline svg text[text-anchor=middle]")
    xs = {int(t.text_content()): float(t.get_attribute("x")) for t in years.all()}
    assert xs[min(xs)] > xs[max(xs)]
    assert xs[2000] == max(xs.values())

    page.goto(f"{base}/activities/")
    link = page.get_by_role("link", name=MIXED_TITLE)
    # Inside the isolated title the words keep their left-to-right order.
    order = link.evaluate(r"""(el) => {
        const node = document.createTreeWalker(el, NodeFilter.SHOW_TEXT).nextNode();
        const x = (word) => { const r = document.createRange(),
            i = node.data.search(new RegExp("\\b" + word + "\\b"));
            r.setStart(node, i); r.setEnd(node, i + word.length);
            return r.getBoundingClientRect().left; };
        return ["Meeting", "with", "in", "Khujand"].map(x); }""")
    assert order == sorted(order), order


def test_main_pages_fit_a_phone(browser, live_server, world):
    context = browser.new_context(viewport={"width": 360, "height": 780})
    page = context.new_page()
    base = live_server.url
    too_wide = {}
    for language in ("en", "ar"):
        for name, _path in visit(page, base, language, world):
            width = page.evaluate("document.scrollingElement.scrollWidth")
            if width > 360:
                too_wide[f"{name} ({language})"] = width
    assert too_wide == {}
    # The navigation folds behind a Menu button and opens with it.
    nav = page.locator("nav.sidenav")
    expect(nav).to_be_hidden()
    page.locator("[data-nav-toggle]").click()
    expect(nav.get_by_role("link").first).to_be_visible()
    context.close()


def tab_to(page: Page, selector: str, presses: int = 120) -> None:
    """Press Tab until the element matching `selector` has the focus."""
    for _ in range(presses):
        page.keyboard.press("Tab")
        if page.evaluate("(s) => document.activeElement.matches(s)", selector):
            return
    raise AssertionError(f"{selector} cannot be reached with the Tab key")


def test_keyboard_only_flows(page: Page, live_server, world):
    base = live_server.url
    sign_in(page, base, "en", "programme")

    # Record an activity, the attendance grid included.
    page.goto(f"{base}/activities/new/")
    tab_to(page, "#id_title")
    page.keyboard.type("Keyboard club")
    tab_to(page, "#id_type")
    page.keyboard.type("Political")
    tab_to(page, "#id_starts_on")
    page.keyboard.type("10092003")
    tab_to(page, "#id_ends_on")
    page.keyboard.type("10092003")
    for cell, n in [("att-party-f", "4"), ("att-party-m", "6")]:
        tab_to(page, f'input[name="{cell}"]')
        page.keyboard.type(n)
    expect(page.locator("[data-grand-total]")).to_have_text("10")
    tab_to(page, "#id_participants_total")
    page.keyboard.type("10")
    tab_to(page, "form.record-form button[type=submit]")
    with page.expect_navigation():
        page.keyboard.press("Enter")
    expect(page.locator("h1")).to_have_text("Keyboard club")

    # Read a dashboard: open a chart's numbers and reach them.
    page.goto(f"{base}/results/")
    tab_to(page, ".chart-data summary")
    page.keyboard.press("Enter")
    tab_to(page, ".chart-data a")
    assert page.evaluate("document.activeElement.closest('details').open")

    # Edit a section of a report, save it, approve the report.
    page.context.clear_cookies()
    sign_in(page, base, "en", "head")
    page.goto(base + world["report"])
    tab_to(page, "[data-edit-section]")
    with page.expect_navigation():
        page.keyboard.press("Enter")
    tab_to(page, "#id_text")
    page.keyboard.press("End")
    page.keyboard.type(" Typed with the keyboard.")
    tab_to(page, "form button[type=submit].primary")
    with page.expect_navigation():
        page.keyboard.press("Enter")
    expect(page.locator(".messages")).to_contain_text("The section was saved.")
    tab_to(page, "form[action$='/approve/'] button")
    with page.expect_navigation():
        page.keyboard.press("Space")
    expect(page.locator("[data-status]")).to_have_text("approved")

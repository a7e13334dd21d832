"""The demo's invented human-rights cases: two case teams whose officers see only their
own team's cases, every aggregate of them disclosure-controlled so that no withheld cell
can be worked out, and the letter's sentence bound to their interventions."""

import itertools

import pytest
from django.test import Client

from peacebuild.accounts.models import User
from peacebuild.activities.queries import ActivityFilter
from peacebuild.casework.models import Event, Intervention
from peacebuild.casework.permissions import visible_events, visible_persons
from peacebuild.demo.files import read
from peacebuild.demo.loader import SEED_YEAR, load_demo
from peacebuild.figures.casework import CASE_DIMENSIONS
from peacebuild.figures.disclosure import audit
from peacebuild.figures.engine import FigureQuery, compute
from peacebuild.figures.tests.test_disclosure import determined_by_subtraction
from peacebuild.reporting.models import Report
from peacebuild.reporting.render import content_for

pytestmark = pytest.mark.django_db

CASES = read("cases.json")["cases"]
# Everything a case says about people: none of it may reach an outsider's page.
IDENTIFYING = [row["title"] for row in CASES] + [
    p["name"] for row in CASES for p in row["persons"].values()]


def shapes():
    """Every table the engine gives of the demo's cases: each measure without a
    breakdown, by each of its breakdowns, and by each pair (with the year for period: a
    month or quarter splits the same records further and withholds more)."""
    for measure, dims in CASE_DIMENSIONS.items():
        yield measure, ()
        for d in dims:
            yield measure, (d,)
        for a, b in itertools.combinations([d for d in dims if d not in ("month", "quarter")],
                                           2):
            yield measure, (a, b)


def test_no_withheld_cell_of_any_demo_aggregate_can_be_recovered():
    office = load_demo().office
    # The whole life and the letter's year (the page's and the letter's tables).
    windows = [ActivityFilter(), ActivityFilter(date_from=SEED_YEAR[0], date_to=SEED_YEAR[1])]
    tables = withheld = 0
    for flt in windows:
        for measure, by in shapes():
            p = compute(office, FigureQuery(measure, flt, by=by)).protected
            tables += 1
            withheld += len(p.withheld)
            assert not audit(p), (measure, by, flt)  # no cell pinned to one value
            assert not determined_by_subtraction(p), (measure, by, flt)
            assert all(p.values[k] >= 5 for k in p.complementary)
            assert all(v >= 5 or v == 0 for k, v in p.values.items() if k not in p.withheld)
    assert tables > 50 and withheld > 100  # small demo numbers: most cells are withheld


def test_each_human_rights_officer_sees_only_their_own_teams_invented_cases():
    office = load_demo().office
    first, second = (User.objects.get(username=u) for u in ("humanrights", "humanrights2"))
    mine = set(visible_events(first, office))
    theirs = set(visible_events(second, office))
    assert len(mine) == 5 and len(theirs) == 1 and not mine & theirs
    assert mine | theirs == set(Event.objects.filter(office=office))
    assert {e.team.name for e in mine} == {"Human-rights team (demo)"}
    assert not set(visible_persons(second, office)) & set(visible_persons(first, office))
    for user in User.objects.filter(username__in=["head", "programme", "monitoring",
                                                  "viewer", "admin"]):
        assert not visible_events(user, office).exists(), user.username
    for event in Event.objects.filter(office=office):  # clearly invented, every one
        assert "(invented)" in event.title and "nvented" in event.description
    # Interventions in the letter's year with outcomes, and a follow-up still due.
    made = Intervention.objects.filter(event__office=office, made_on__range=SEED_YEAR)
    assert {i.outcome for i in made} >= {"resolved", "partial", "refused", "pending"}
    assert any(e.follow_ups.filter(done_on=None).exists() for e in mine)


def test_the_letter_says_a_number_of_and_the_figures_page_hides_every_name():
    office = load_demo().office
    letter = Report.objects.get(office=office, kind="letter", period_start=SEED_YEAR[0])
    content = content_for(letter, "en")
    text = "".join(s["text"] for section in content["sections"]
                    for p in section["paragraphs"] for s in p)
    assert ("successfully intervened with the authorities on a number of politically "
            "sensitive incidents") in text
    client = Client()
    client.force_login(User.objects.get(username="viewer"))
    page = client.get("/results/human-rights/?date_from=2003-06-01&date_to=2004-05-31")
    html = page.content.decode()
    assert page.status_code == 200 and "&lt;5" in html
    assert "/cases/" not in html
    for value in IDENTIFYING:
        assert value not in html, value

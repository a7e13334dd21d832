"""The demo's results framework: the letter's figures are indicator actuals computed from
the demo records by rules; targets and assessments are marked as invented."""

import pytest
from django.urls import reverse

from peacebuild.demo.loader import load_demo
from peacebuild.demo.results import SEED_MANDATE_YEAR
from peacebuild.mandates.models import Office, SourceKind
from peacebuild.programmes import periods, queries
from peacebuild.programmes.models import Actual, Benchmark, Indicator, Target

pytestmark = pytest.mark.django_db


@pytest.fixture
def untop() -> Office:
    return load_demo().office


def actuals(office: Office) -> dict[str, object]:
    year = periods.resolve(office, "mandate", SEED_MANDATE_YEAR)
    return {iv.indicator.code: iv for iv in queries.indicator_values(office, year)}


def test_the_letters_figures_are_computed(untop):
    values = actuals(untop)
    assert values["1.1.1"].value == 11  # political discussion club meetings
    assert values["1.1.2"].value > 1300  # participants
    assert values["1.1.3"].value == 2  # recommendations on two laws to parliament
    assert values["2.1.1"].value == 90  # trained in conflict prevention
    assert 190 <= values["3.1.1"].value <= 210  # about 200 school teachers
    assert values["4.1.1"].value == 4  # education centres
    assert values["4.1.2"].value == 1  # plus the resource centre
    for code in ("1.1.1", "1.1.2", "1.1.3", "2.1.1", "3.1.1", "4.1.1", "4.1.2"):
        assert values[code].figure is not None, code  # computed, not typed
    assert values["5.1.1"].entered is not None and values["5.1.1"].value == 1
    assert not Actual.objects.filter(indicator__rule__isnull=False).exclude(
        indicator__rule={}).exists()


def test_targets_and_assessments_are_marked_invented(untop):
    targets = Target.objects.filter(indicator__output__outcome__programme__office=untop)
    assert targets.count() == Indicator.objects.filter(
        output__outcome__programme__office=untop).count()
    assert set(targets.values_list("source_kind", flat=True)) == {SourceKind.INVENTED}
    benchmark = Benchmark.objects.get(office=untop)
    assert "2005" in benchmark.title
    assessments = list(benchmark.assessments.all())
    assert len(assessments) == 2
    assert {a.source_kind for a in assessments} == {SourceKind.INVENTED}


def test_demo_dashboard_defaults_to_the_letters_year(untop, client):
    from peacebuild.accounts.models import User

    client.force_login(User.objects.get(username="viewer"))
    response = client.get(reverse("programmes:dashboard"))
    assert response.context["dflt"].period.key == SEED_MANDATE_YEAR
    page = response.content.decode()
    assert 'data-figure="indicator-1.1.1">11<' in page
    assert 'data-figure="indicator-2.1.1">90<' in page
    assert page.count('class="region"') == 5

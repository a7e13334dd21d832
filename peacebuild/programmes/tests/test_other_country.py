"""An office in another country sees its own regions, never Tajikistan's, and no Tajik map:
regions and maps follow the office's country (Office.country)."""

import datetime as dt

import pytest
from django.test import Client
from django.urls import reverse

from conftest import make_user
from peacebuild.accounts.roles import Role
from peacebuild.mandates.models import Office
from peacebuild.places import maps
from peacebuild.places.models import Place


@pytest.fixture
def kyrgyz_office(places) -> Office:  # Tajikistan's places are in the database too
    country = Place.objects.create(code="KG", name="Kyrgyzstan", level=Place.Level.COUNTRY)
    for code, name in (("KG-GB", "Bishkek"), ("KG-C", "Chüy Region")):
        region = Place.objects.create(code=code, name=name, level=Place.Level.REGION,
                                      parent=country)
    Place.objects.create(code="KG-C-ALM", name="Alamüdün", level=Place.Level.DISTRICT,
                         parent=region)
    return Office.objects.create(code="kgo", name="Office in Kyrgyzstan", country="KG",
                                 established_on=dt.date(2000, 1, 1))


@pytest.fixture
def kyrgyz_client(kyrgyz_office) -> Client:
    client = Client()
    client.force_login(make_user("kg-programme", kyrgyz_office, Role.PROGRAMME))
    return client


def test_the_dashboard_lists_and_maps_only_the_offices_country(kyrgyz_client):
    response = kyrgyz_client.get(reverse("programmes:dashboard"))
    assert response.status_code == 200
    assert [row[0].code for row in response.context["regions"]] == ["KG-C", "KG-GB"]
    page = response.content.decode()
    assert "There is no map of this country" in page
    assert "TJ-" not in page and "Sughd" not in page and "Khatlon" not in page


def test_the_activity_pages_offer_only_the_offices_regions(kyrgyz_client):
    listing = kyrgyz_client.get(reverse("activities:list")).content.decode()
    assert "Bishkek" in listing and "Chüy Region" in listing
    assert "Sughd" not in listing and "Khatlon" not in listing
    form = kyrgyz_client.get(reverse("activities:create")).content.decode()
    assert "Alamüdün" in form
    assert "Sughd" not in form and "Khatlon" not in form and "Dushanbe" not in form


def test_a_tajik_office_still_gets_the_tajik_map(places):
    assert maps.has_map("TJ") and not maps.has_map("KG") and not maps.has_map("")

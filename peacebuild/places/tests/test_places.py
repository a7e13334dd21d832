"""The place hierarchy loaded from the boundary data: country → ISO 3166-2 regions →
districts, names in the user's language, and the region any place lies in."""

import csv
from importlib.resources import files

import pycountry
import pytest
from django.db import IntegrityError, transaction
from django.utils import translation

from peacebuild.places.models import Place
from peacebuild.places.services import places_load_tajikistan

DISTRICTS = list(csv.DictReader(
    files("peacebuild.places").joinpath("data/tjk_adm2_parent.csv")
    .read_text("utf-8").splitlines()))


@pytest.fixture
def loaded(db) -> int:
    return places_load_tajikistan()


def test_one_country_five_regions_and_every_district_of_the_boundary_file(loaded):
    levels = [Place.objects.filter(level=level).count() for level in Place.Level]
    assert levels == [1, 5, len(DISTRICTS), 0]
    assert loaded == Place.objects.count() == 1 + 5 + len(DISTRICTS)


def test_regions_carry_the_iso_3166_2_codes_of_the_country(loaded):
    regions = set(Place.objects.filter(level=Place.Level.REGION)
                  .values_list("code", flat=True))
    iso = {s.code for s in pycountry.subdivisions.get(country_code="TJ")}
    assert regions == iso
    assert Place.objects.get(level=Place.Level.COUNTRY).code == "TJ"


def test_each_district_lies_in_the_region_the_boundary_file_names(loaded):
    for row in DISTRICTS:
        district = Place.objects.get(boundary_id=row["adm2_shapeID"])
        assert district.level == Place.Level.DISTRICT
        assert district.parent.code == row["adm1_shapeISO"]
        assert district.code.startswith(row["adm1_shapeISO"] + "-")
        assert district.name == row["adm2_shapeName"].removesuffix(" District")
        assert district.region == district.parent
        assert district.parent.parent.code == "TJ"


def test_loading_again_changes_nothing(loaded):
    before = list(Place.objects.order_by("code").values())
    assert places_load_tajikistan() == loaded
    assert list(Place.objects.order_by("code").values()) == before


@pytest.mark.parametrize(("language", "country", "region"), [
    ("en", "Tajikistan", "Sughd Region"),
    ("ru", "Таджикистан", "Согдийская область"),
    ("tg", "Тоҷикистон", "Вилояти Суғд"),
    ("zh-hans", "塔吉克斯坦", "索格德州"),
    ("ar", "طاجيكستان", "ولاية سُغد"),
    ("fr", "Tadjikistan", "Région de Sughd"),
    ("es", "Tayikistán", "Región de Sughd"),
    # A language with no names falls back to the English name.
    ("de", "Tajikistan", "Sughd Region"),
])
def test_names_follow_the_language(loaded, language, country, region):
    with translation.override(language):
        assert str(Place.objects.get(code="TJ")) == country
        assert str(Place.objects.get(code="TJ-SU")) == region


def test_districts_without_translations_keep_their_name_in_every_language(loaded):
    district = Place.objects.get(boundary_id=DISTRICTS[0]["adm2_shapeID"])
    with translation.override("ru"):
        assert str(district) == district.name


def test_region_of_a_region_is_itself_and_a_country_has_none(loaded):
    sughd = Place.objects.get(code="TJ-SU")
    assert sughd.region == sughd
    assert Place.objects.get(code="TJ").region is None


def test_a_region_must_be_part_of_something(loaded):
    with pytest.raises(IntegrityError), transaction.atomic():
        Place.objects.create(code="TJ-XX", name="Nowhere", level=Place.Level.REGION)
    assert not Place.objects.filter(code="TJ-XX").exists()

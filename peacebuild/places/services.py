"""Loading the place hierarchy of Tajikistan: regions from ISO 3166-2 (pycountry),
districts from the geoBoundaries ADM2 list shipped in `places/data/`."""

import csv
from importlib.resources import files

import pycountry
from django.db import transaction

from .models import Place

COUNTRY_CODE = "TJ"
COUNTRY_NAMES = {"ru": "Таджикистан", "tg": "Тоҷикистон", "zh": "塔吉克斯坦", "ar": "طاجيكستان",
                 "fr": "Tadjikistan", "es": "Tayikistán"}

# ISO 3166-2 codes with the English names of the geoBoundaries ADM1 layer; pycountry's
# names for TJ are romanised Tajik ("nohiyahoi tobei jumhurí"), not what users read.
REGION_NAMES: dict[str, dict[str, str]] = {
    "TJ-DU": {"en": "Dushanbe", "ru": "Душанбе", "tg": "Душанбе", "zh": "杜尚别",
              "ar": "دوشانبي", "fr": "Douchanbé", "es": "Dusambé"},
    "TJ-SU": {"en": "Sughd Region", "ru": "Согдийская область", "tg": "Вилояти Суғд",
              "zh": "索格德州", "ar": "ولاية سُغد", "fr": "Région de Sughd",
              "es": "Región de Sughd"},
    "TJ-KT": {"en": "Khatlon Region", "ru": "Хатлонская область", "tg": "Вилояти Хатлон",
              "zh": "哈特隆州", "ar": "ولاية خَتلان", "fr": "Région de Khatlon",
              "es": "Región de Jatlón"},
    "TJ-GB": {"en": "Gorno-Badakhshan Autonomous Region",
              "ru": "Горно-Бадахшанская автономная область",
              "tg": "Вилояти Мухтори Кӯҳистони Бадахшон", "zh": "戈尔诺-巴达赫尚自治州",
              "ar": "ولاية غورنو - باداخشان المتمتعة بالحكم الذاتي",
              "fr": "Région autonome du Haut-Badakhchan",
              "es": "Región Autónoma de Alto Badajshán"},
    "TJ-RA": {"en": "Districts of Republican Subordination",
              "ru": "Районы республиканского подчинения",
              "tg": "Ноҳияҳои тобеи ҷумҳурӣ", "zh": "中央直属区",
              "ar": "المقاطعات الخاضعة للحكومة المركزية",
              "fr": "Districts de subordination républicaine",
              "es": "Distritos de Subordinación Republicana"},
}


@transaction.atomic
def places_load_tajikistan() -> int:
    """Create or update Tajikistan, its regions and districts. Returns the number of places."""
    country_data = pycountry.countries.get(alpha_2=COUNTRY_CODE)
    assert country_data is not None, COUNTRY_CODE  # a code of ISO 3166-1
    country, _ = Place.objects.update_or_create(
        code=COUNTRY_CODE,
        defaults={
            "name": country_data.name,
            "names": COUNTRY_NAMES,
            "level": Place.Level.COUNTRY,
            "parent": None,
        },
    )
    regions: dict[str, Place] = {}
    iso_codes = {sub.code for sub in pycountry.subdivisions.get(country_code=COUNTRY_CODE)}
    for code, names in REGION_NAMES.items():
        assert code in iso_codes, code  # the table below must follow ISO 3166-2
        regions[code], _ = Place.objects.update_or_create(
            code=code,
            defaults={
                "name": names["en"],
                "names": {k: v for k, v in names.items() if k != "en"},
                "level": Place.Level.REGION,
                "parent": country,
            },
        )
    rows = files("peacebuild.places").joinpath("data/tjk_adm2_parent.csv").read_text("utf-8")
    for row in csv.DictReader(rows.splitlines()):
        name = row["adm2_shapeName"].removesuffix(" District")
        Place.objects.update_or_create(
            code=f"{row['adm1_shapeISO']}-{row['adm2_shapeID'][-6:]}",
            defaults={
                "name": name,
                "level": Place.Level.DISTRICT,
                "parent": regions[row["adm1_shapeISO"]],
                "boundary_id": row["adm2_shapeID"],
            },
        )
    return Place.objects.filter(code__startswith=COUNTRY_CODE).count()

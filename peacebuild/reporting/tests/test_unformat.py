"""Numbers and dates as UN documents write them, per language."""

import datetime as dt

import pytest

from peacebuild.lib import unformat

NB = "\u00a0"
DAY = dt.date(2004, 4, 23)


@pytest.mark.parametrize(("lang", "number", "date", "month"), [
    ("en", "1,300", "23 April 2004", "April 2004"),
    ("zh", f"1{NB}300", "2004 年 4 月 23 日", "2004 年 4 月"),
    ("fr", f"1{NB}300", "23 avril 2004", "avril 2004"),
    ("es", "1.300", "23 de abril de 2004", "abril de 2004"),
    ("ru", f"1{NB}300", "23 апреля 2004 года", "апреле 2004 года"),
    ("ar", "1,300", "23 نيسان/أبريل 2004", "نيسان/أبريل 2004"),
    ("tg", f"1{NB}300", "23 апрели соли 2004", "моҳи апрели соли 2004"),
])
def test_formats(lang, number, date, month):
    assert unformat.format_number(1300, lang) == number
    assert unformat.format_date(DAY, lang) == date
    assert unformat.format_month(DAY, lang) == month


def test_french_first_of_the_month():
    assert unformat.format_date(dt.date(2000, 6, 1), "fr") == "1er juin 2000"


def test_rounding_and_words():
    assert unformat.floor_to(1318, 100) == 1300
    assert unformat.floor_to(1046, 100) == 1000
    assert unformat.round_to(198, 10) == 200
    assert unformat.number_words(4, "en") == "four"
    assert unformat.number_words(4, "zh") == "四"
    assert unformat.number_words(4, "ar") == "4"  # digits: Arabic numerals agree with nouns
    assert unformat.number_words(13000, "en") == "13,000"


def test_unknown_language_is_refused():
    with pytest.raises(ValueError):
        unformat.format_number(1, "de")

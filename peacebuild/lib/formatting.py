"""Numbers and dates in the reader's language, through Babel (CLDR).

Django language codes (zh-hans, ru, tg) map to Babel locales (zh_Hans, ru, tg).
"""

import datetime as dt
import functools
from decimal import Decimal

from babel import Locale, UnknownLocaleError
from babel.dates import format_date as _babel_date
from babel.numbers import format_decimal, format_percent

# UN English is British English: "23 April 2004", not "April 23, 2004".
DJANGO_TO_BABEL = {"en": "en_GB", "zh-hans": "zh_Hans", "zh-hant": "zh_Hant"}


@functools.lru_cache(maxsize=64)  # a dashboard formats hundreds of numbers: parse once
def babel_locale(language: str | None) -> Locale:
    code = DJANGO_TO_BABEL.get((language or "en").lower(), (language or "en").replace("-", "_"))
    try:
        return Locale.parse(code)
    except (UnknownLocaleError, ValueError):
        return Locale.parse("en")


def format_number(value: int | float | Decimal | None, language: str | None) -> str:
    if value is None:
        return "—"
    return format_decimal(value, locale=babel_locale(language))


def format_share(value: float | None, language: str | None) -> str:
    if value is None:
        return "—"
    return format_percent(value, locale=babel_locale(language))


def format_day(value: dt.date | None, language: str | None, style: str = "long") -> str:
    """A date as the language writes it: 23 April 2004, 23 апреля 2004 г., 2004年4月23日."""
    if value is None:
        return "—"
    return _babel_date(value, format=style, locale=babel_locale(language))

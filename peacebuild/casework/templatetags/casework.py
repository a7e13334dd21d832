"""Dates of case records as precisely as they are known: a day, a month or a year."""

import datetime as dt

from babel.dates import format_skeleton
from django import template
from django.utils.translation import get_language

from peacebuild.lib.formatting import babel_locale, format_day

from ..models import Precision

register = template.Library()


@register.filter
def approx(value: dt.date | None, precision: str = Precision.DAY) -> str:
    """23 April 2004, April 2004 or 2004, in the reader's language."""
    if value is None:
        return "—"
    language = get_language()
    if precision == Precision.YEAR:
        return format_skeleton("y", value, locale=babel_locale(language))
    if precision == Precision.MONTH:
        return format_skeleton("yMMMM", value, locale=babel_locale(language))
    return format_day(value, language)

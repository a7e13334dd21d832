"""Template filters for locale-aware numbers and dates, and for keeping query strings."""

import datetime as dt
from typing import Any

from django import template
from django.http import QueryDict
from django.utils.translation import get_language

from peacebuild.lib.bidi import isolate
from peacebuild.lib.formatting import format_day, format_number

register = template.Library()


@register.filter
def num(value: Any) -> str:
    """1300 → 1,300 (en), 1 300 (ru), 1,300 (zh)."""
    return format_number(value, get_language())


@register.filter
def day(value: dt.date | None, style: str = "long") -> str:
    return format_day(value, get_language(), style)


@register.simple_tag(takes_context=True)
def query_with(context: dict[str, Any], **changes: Any) -> str:
    """The current query string with some parameters replaced (None removes one)."""
    query: QueryDict = context["request"].GET.copy()
    for key, value in changes.items():
        if value is None or value == "":
            query.pop(key, None)
        else:
            query[key] = str(value)
    encoded = query.urlencode()
    return f"?{encoded}" if encoded else "?"


@register.filter(name="isolate")
def isolate_filter(value: Any) -> str:
    """User text where <bdi> cannot go (an <option>, a <title>): between FSI and PDI."""
    return isolate(value)

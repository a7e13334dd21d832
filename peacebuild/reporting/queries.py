"""Reads for reports: lists, and the catalogue of figures with their values for a period."""

import datetime as dt
from dataclasses import dataclass

from django.db.models import QuerySet
from django.utils import translation

from peacebuild.lib import unformat
from peacebuild.mandates.models import Office

from .catalogue import Cache, NotComputable
from .content import period_of
from .models import Report


def reports_of(office: Office) -> QuerySet[Report]:
    return Report.objects.filter(office=office).select_related("issued", "approved_by")


@dataclass(frozen=True)
class CatalogueEntry:
    name: str
    description: str
    text: str  # the value as the language writes it, or ""
    url: str
    error: str


def catalogue_for(report: Report, language: str, cache: Cache | None = None
                  ) -> list[CatalogueEntry]:
    """Every named figure, computed for the report's period: the editor's figure picker."""
    cache = cache or Cache(period_of(report))
    out = []
    ui = translation.get_language() or "en"
    shown_in = {"zh-hans": "zh"}.get(ui, ui)  # the page's language, as a document code
    for name, definition in cache.definitions.items():
        described = definition.description_in(shown_in)
        try:
            value = cache.get(name)
        except NotComputable as error:
            out.append(CatalogueEntry(name, described, "", "", str(error)))
            continue
        if isinstance(value.value, dt.date):
            text = unformat.format_date(value.value, language)
        else:
            text = unformat.format_number(value.value, language)
        out.append(CatalogueEntry(name, described, text, value.url, ""))
    return out

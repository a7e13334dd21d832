"""Reads for reports: lists, and the catalogue of figures with their values for a period."""

from dataclasses import dataclass

from django.db.models import QuerySet

from peacebuild.lib import unformat
from peacebuild.mandates.models import Office

from .catalogue import CATALOGUE, Cache, NotComputable
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
    for name, definition in CATALOGUE.items():
        try:
            value = cache.get(name)
        except NotComputable as error:
            out.append(CatalogueEntry(name, str(definition.description), "", "", str(error)))
            continue
        text = (unformat.format_date(value.value, language) if definition.is_date
                else unformat.format_number(value.value, language))  # type: ignore[arg-type]
        out.append(CatalogueEntry(name, str(definition.description), text, value.url, ""))
    return out

"""A report in one language as plain data: masthead, title, sections of resolved segments,
signature and the figures used. The HTML, DOCX and PDF renderers all write this out, and
an issued version stores it (for every language) so it never changes again."""

import datetime as dt
from collections.abc import Iterable
from typing import Any

from django.utils import translation

from peacebuild.activities.queries import ActivityFilter
from peacebuild.lib import unformat
from peacebuild.lib.bidi import confine
from peacebuild.mandates.models import Translated
from peacebuild.places.maps import ATTRIBUTION
from peacebuild.programmes.charts import map_svg, trend_svg

from .catalogue import Cache, Period
from .models import IssuedVersion, Report, Section
from .narrative import WITHHELD, errors_of, resolve
from .texts import strings, text

# Django's interface languages, for the annex's definitions (gettext); others fall back.
DJANGO_LANGUAGE = {"zh": "zh-hans", "ru": "ru", "tg": "tg", "en": "en", "ar": "ar", "fr": "fr",
                   "es": "es"}


def record_name(record: Translated, attr: str, language: str, standard: str = "") -> str:
    """A record's name in the document's language, not the reader's interface: its own
    translation, else the standard text's (`standard`), else its English name. In English,
    the record's own name."""
    if language == "en":
        return str(getattr(record, attr))
    return record.translation(attr, language) or standard or str(getattr(record, attr))


def period_of(report: Report) -> Period:
    return Period(report.office, report.period_start, report.period_end, report.as_of)


def build_content(report: Report, sections: Iterable[Section], language: str,
                  cache: Cache, *, issued: IssuedVersion | None = None) -> dict[str, Any]:
    language = unformat.check(language)
    office_name = record_name(report.office, "name", language, text(language, "office.name"))

    def day(d: dt.date | None) -> str:
        return unformat.format_date(d, language) if d else "…"

    block_lang = text(language, "block.date_language") or language
    issued_on = issued.issued_on if issued else None
    if report.kind == Report.Kind.LETTER:
        title = text(language, "title.letter", date=day(report.dated_on))
    else:
        title = text(language, f"title.{report.kind}", office=office_name,
                     start=day(report.period_start), end=day(report.period_end))
    out_sections = []
    errors = []
    used: dict[str, dict[str, str]] = {}
    for section in sections:
        paragraphs = resolve((section.texts or {}).get(language, ""), language, cache)
        for seg in errors_of(paragraphs):
            errors.append({"section": section.key, "source": seg.source, "error": seg.error})
        for para in paragraphs:
            for seg in para:
                if seg.figure and not seg.error and seg.figure not in used:
                    used[seg.figure] = {"name": seg.figure, "value": seg.value, "url": seg.url}
        heading = ""
        if report.kind != Report.Kind.LETTER and section.key not in ("opening", "closing"):
            known = f"heading.{section.key}" in strings("en")  # a standard programme's
            standard = text(language, f"heading.{section.key}") if known else ""
            heading = (record_name(section.programme, "name", language, standard)
                       if section.programme is not None else standard or section.key)
        out_sections.append({
            "key": section.key, "heading": heading,
            "paragraphs": [[s.as_dict() for s in p] for p in paragraphs],
        })
    figures = []
    with translation.override(DJANGO_LANGUAGE.get(language, "en")):
        for name, fig in used.items():
            definition = cache.definitions[name]
            value = fig["value"]
            if definition.casework:  # a phrase; a withheld count stays "<5"
                shown = value if value == WITHHELD else unformat.format_number(
                    int(value), language)
            elif definition.is_date:
                shown = unformat.format_date(dt.date.fromisoformat(value), language)
            else:
                shown = unformat.format_number(int(value), language)
            figures.append({**fig, "definition": definition.description_in(language),
                            "text": shown})
    with translation.override(DJANGO_LANGUAGE.get(language, language)):
        pictures = _pictures(report, language)
    signatory = report.signatory_in(language)
    original = text(block_lang, f"language.{report.language}")
    return {
        "language": language,
        "rtl": unformat.is_rtl(language),
        "original_language": report.language,
        "kind": report.kind,
        "draft": issued is None,
        "un": text(language, "masthead.un"),
        "organ": text(language, "masthead.organ") if report.kind == Report.Kind.LETTER else "",
        "symbol": issued.symbol if issued else text(language, "draft"),
        "block": [
            text(block_lang, f"distr.{issued.distribution if issued else 'General'}"),
            unformat.format_date(issued_on, block_lang) if issued_on else
            (text(block_lang, "draft") if not issued else ""),
            text(block_lang, f"language.{language}"),
            text(block_lang, "original", language=original),
        ],
        "title": title,
        "sections": out_sections,
        "signature": text(language, "signed", name=confine(signatory)) if signatory else "",
        "figures": figures,
        "errors": errors,
        "annex_title": text(language, "annex.title"),
        "annex_columns": text(language, "annex.columns").split("|"),
        "pictures_title": text(language, "pictures.title"),
        "pictures": pictures,
        "period": [report.period_start.isoformat(), report.period_end.isoformat()],
        "office": report.office.code,
    }


def _pictures(report: Report, language: str) -> list[dict[str, str]]:
    """The dashboard's pictures for the report's period (the same SVG as the results
    pages): participants by quarter and by region. Stored with an issued version, so they
    never change either."""
    flt = ActivityFilter(date_from=report.period_start, date_to=report.period_end)

    def fmt(value: object) -> str:  # numbers as the document's language writes them
        return unformat.format_number(value or 0, language)  # type: ignore[arg-type]

    return [
        {"key": "quarters", "title": text(language, "picture.quarters"),
         "svg": trend_svg(report.office, flt, "participants", fmt=fmt, rtl=False)},
        {"key": "regions", "title": text(language, "picture.regions"),
         "svg": map_svg(report.office, flt, "participants", fmt=fmt, rtl=False),
         "credit": ATTRIBUTION},
    ]

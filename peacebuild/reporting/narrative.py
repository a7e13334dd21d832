"""Narrative text with live figures: parsing `{name}`, `{name|floor:100}`, `{name|month}`
and resolving them, per language, into segments the renderers write out.

Text is plain text: paragraphs are separated by a blank line; anything else, markup
included, is text and each renderer escapes it.
"""

import datetime as dt
import re
from dataclasses import dataclass

from babel import Locale, UnknownLocaleError
from django.utils.translation import gettext as _

from peacebuild.lib import unformat
from peacebuild.lib.bidi import confine

from .catalogue import Cache, NotComputable, Value
from .standard import strings

# Anything in braces is meant as a placeholder; a brace pair that does not parse is an
# error rather than text, so a typo never reaches the Council.
BRACES = re.compile(r"\{([^{}\n]*)\}")
PLACEHOLDER = re.compile(r"^\s*([a-z_][a-z0-9_]*)\s*(?:\|\s*([a-z]+)\s*(?::\s*(\d+))?\s*)?$")
PARAGRAPH_BREAK = re.compile(r"\n\s*\n")
MODIFIERS = {"floor", "round", "words", "month", "year", "date"}


@dataclass(frozen=True)
class Segment:
    text: str
    figure: str = ""  # the placeholder's name, when this segment is a figure
    source: str = ""  # the placeholder as written
    url: str = ""
    value: str = ""  # the exact value, ISO date or integer, for the annex and tooltips
    error: str = ""

    def as_dict(self) -> dict[str, str]:
        return {k: v for k, v in self.__dict__.items() if v}

    @classmethod
    def from_dict(cls, data: dict[str, str]) -> "Segment":
        return cls(**data)


def placeholders(text: str) -> list[str]:
    """The names used in a text (those that parse)."""
    names = []
    for match in BRACES.finditer(text):
        parsed = PLACEHOLDER.match(match.group(1))
        if parsed:
            names.append(parsed.group(1))
    return names


def paragraphs(text: str) -> list[str]:
    return [p.strip() for p in PARAGRAPH_BREAK.split(text.replace("\r\n", "\n")) if p.strip()]


def resolve(text: str, language: str, cache: Cache) -> list[list[Segment]]:
    """The text as paragraphs of segments, each figure computed and formatted."""
    return [_resolve_paragraph(p, language, cache) for p in paragraphs(text)]


def _resolve_paragraph(text: str, language: str, cache: Cache) -> list[Segment]:
    out: list[Segment] = []
    last = 0
    for match in BRACES.finditer(text):
        if match.start() > last:
            out.append(Segment(confine(" ".join(text[last:match.start()].split("\n")))))
        out.append(_figure(match.group(0), match.group(1), language, cache))
        last = match.end()
    if last < len(text):
        out.append(Segment(confine(" ".join(text[last:].split("\n")))))
    return out


def _figure(source: str, inner: str, language: str, cache: Cache) -> Segment:
    parsed = PLACEHOLDER.match(inner)
    if parsed is None:
        return Segment(source, source=source, error=_(
            "“%(text)s” is not a figure: write a name from the list, e.g. {club_meetings}, "
            "optionally with |floor:100, |round:10, |words, |month or |year.")
            % {"text": source})
    name, modifier, arg = parsed.group(1), parsed.group(2) or "", parsed.group(3)
    try:
        value = cache.get(name)
    except NotComputable as error:
        return Segment(source, figure=name, source=source, error=str(error))
    try:
        text = format_value(name, value, modifier, int(arg) if arg else None, language)
    except ValueError as error:
        return Segment(source, figure=name, source=source, url=value.url, error=str(error))
    raw = value.value.isoformat() if isinstance(value.value, dt.date) else str(value.value)
    if value.withheld:  # never the exact count, not even in a tooltip
        raw = WITHHELD
    return Segment(text, figure=name, source=source, url=value.url, value=raw)


WITHHELD = "<5"


def format_value(name: str, value: Value, modifier: str, arg: int | None,
                 language: str) -> str:
    if value.phrase:
        if modifier:
            raise ValueError(_("“%(name)s” is written as a phrase of the standard texts; write "
                               "it without a modifier.") % {"name": name})
        return phrase(value, language)
    if modifier and modifier not in MODIFIERS:
        raise ValueError(_("“%(modifier)s” is not a way of writing a figure; use floor, round, "
                           "words, month or year.") % {"modifier": modifier})
    if isinstance(value.value, dt.date):  # a mandate fact
        day = value.value
        if modifier in ("", "date"):
            return unformat.format_date(day, language)
        if modifier == "month":
            return unformat.format_month(day, language)
        if modifier == "year":
            return unformat.format_year(day, language)
        raise ValueError(_("“%(name)s” is a date: write it as it is, or with |month or "
                           "|year.") % {"name": name})
    number = value.value
    assert isinstance(number, int)
    if modifier in ("month", "year"):
        if not value.months:
            raise ValueError(_("No records date “%(name)s”.") % {"name": name})
        first = dt.date.fromisoformat(value.months[0] + "-01")
        if modifier == "year":
            years = {m[:4] for m in value.months}
            if len(years) > 1:
                raise ValueError(_("The records behind “%(name)s” span several years; write the "
                                   "years in the text.") % {"name": name})
            return unformat.format_year(first, language)
        if len(value.months) > 1:
            raise ValueError(_("The records behind “%(name)s” fall in several months "
                               "(%(months)s); write the months in the text.")
                             % {"name": name, "months": ", ".join(value.months)})
        return unformat.format_month(first, language)
    if modifier in ("floor", "round"):
        if not arg:
            raise ValueError(_("Say to what to round, e.g. |floor:100."))
        number = unformat.floor_to(number, arg) if modifier == "floor" else \
            unformat.round_to(number, arg)
        if number <= 0:
            raise ValueError(_("Rounded this way, “%(name)s” would be zero.") % {"name": name})
        return unformat.format_number(number, language)
    if modifier == "words":
        return unformat.number_words(number, language)
    return unformat.format_number(number, language)


def phrase(value: Value, language: str) -> str:
    """A casework figure as words: "on a number of politically sensitive incidents" when
    the count is withheld, else "on 7 politically sensitive incidents", the noun in the
    plural form Babel gives the number in that language."""
    texts = strings(language)
    if value.withheld:
        return texts[f"phrase.{value.phrase}.some"]
    number = value.value
    assert isinstance(number, int)
    try:
        form = Locale.parse(language).plural_form(number)
    except (UnknownLocaleError, ValueError):
        form = "other"
    template = texts.get(f"phrase.{value.phrase}.{form}") or \
        texts[f"phrase.{value.phrase}.other"]
    return template.replace("{n}", unformat.format_number(number, language))


def errors_of(paragraph_list: list[list[Segment]]) -> list[Segment]:
    return [s for p in paragraph_list for s in p if s.error]

"""Reads of activities: one filter, used by the list, its CSV export and the figures engine."""

import datetime as dt
import json
import re
import time
from collections.abc import Collection, Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from dataclasses import asdict, dataclass, fields
from typing import Any, NamedTuple

from django.core.exceptions import ValidationError
from django.db import connections
from django.db.models import Exists, F, OuterRef, Q, QuerySet, TextField, Value
from django.db.models.expressions import RawSQL
from django.db.models.functions import Coalesce, Concat, StrIndex
from django.db.models.lookups import GreaterThan, IContains, Lookup
from django.http import QueryDict
from django.utils.dateparse import parse_date
from django.utils.translation import gettext as _

from peacebuild.lib.ids import parse_id
from peacebuild.mandates.models import Office

from .models import Activity, ActivityType, Attendance, ParticipantCategory, Sex


@dataclass(frozen=True)
class ActivityFilter:
    """What a user can filter activities by. Empty fields do not filter."""

    programme: int | None = None
    type: int | None = None
    category: str = ""  # ActivityType.Category
    region: int | None = None
    partner: int | None = None
    date_from: dt.date | None = None
    date_to: dt.date | None = None
    q: str = ""
    # Who took part: activities whose attendance holds people of this sex / category.
    # For the attendance measure these select the attendance cells themselves.
    sex: str = ""
    participant_category: str = ""

    @classmethod
    def from_query(cls, query: QueryDict | dict[str, Any]) -> "ActivityFilter":
        """Parse a query string; raises ValidationError naming the bad parameter."""
        errors: dict[str, str] = {}
        values: dict[str, Any] = {}
        for name in ("programme", "type", "region", "partner"):
            raw = (query.get(name) or "").strip()
            if raw:
                if (pk := parse_id(raw)) is not None:
                    values[name] = pk
                else:
                    errors[name] = _("“%(value)s” is not a valid choice.") % {"value": raw}
        for name in ("date_from", "date_to"):
            raw = (query.get(name) or "").strip()
            if raw:
                try:
                    parsed = parse_date(raw)
                except ValueError:
                    parsed = None
                if parsed is None:
                    errors[name] = _("“%(value)s” is not a date (write YYYY-MM-DD).") % {
                        "value": raw
                    }
                else:
                    values[name] = parsed
        values["q"] = (query.get("q") or "").strip()[:200]
        for name, choices in (("category", ActivityType.Category.values), ("sex", Sex.values),
                              ("participant_category", ParticipantCategory.values)):
            raw = (query.get(name) or "").strip()
            if raw and raw not in choices:
                errors[name] = _("“%(value)s” is not a valid choice.") % {"value": raw}
            elif raw:
                values[name] = raw
        result = cls(**values)
        if result.date_from and result.date_to and result.date_to < result.date_from:
            errors["date_to"] = _("The end of the date range is before its start.")
        if errors:
            raise ValidationError(errors)
        return result

    def as_query(self) -> dict[str, str]:
        """The filter as query parameters (only those set), for links to the records."""
        out: dict[str, str] = {}
        for f in fields(self):
            value = getattr(self, f.name)
            if value not in (None, ""):
                out[f.name] = value.isoformat() if isinstance(value, dt.date) else str(value)
        return out

    def is_empty(self) -> bool:
        return not any(asdict(self).values())


def filter_activities(office: Office, flt: ActivityFilter, *,
                      for_page: bool = False) -> QuerySet[Activity]:
    """Activities of the office matching the filter. An activity belongs to the period in
    which it starts, so that it is counted once, in one month, quarter and year.

    `for_page`: the rows are for `activities_page`, read in list order from a cursor.
    """
    qs = Activity.objects.filter(office=office)
    if flt.programme:
        qs = qs.filter(programme_id=flt.programme)
    if flt.type:
        qs = qs.filter(type_id=flt.type)
    if flt.category and for_page and connections[qs.db].vendor == "sqlite":
        # A kind is a few types. For a page past the first, SQLite's planner ranges the
        # type index once per type, reading every row of the kind before the cursor, and
        # sorts them (35 ms at a 90 % page of a million activities); `type_id + 0` is no
        # index's column, so it walks the list index from the cursor (4 ms). Counts keep
        # the type index, which serves them (1 ms against 11 for a year, so: pages only).
        kind_types = ActivityType.objects.filter(category=flt.category).values("pk")
        qs = qs.alias(type_no_index=F("type_id") + 0).filter(type_no_index__in=kind_types)
    elif flt.category:
        qs = qs.filter(type__category=flt.category)
    if flt.region:
        qs = qs.filter(region_id=flt.region)
    if flt.partner:
        qs = qs.filter(partners__id=flt.partner)
    if flt.date_from:
        qs = qs.filter(starts_on__gte=flt.date_from)
    if flt.date_to:
        qs = qs.filter(starts_on__lte=flt.date_to)
    if flt.q:
        matches = _shared_matches(office, flt.q, qs.db)
        if matches is None:
            qs = qs.filter(text_contains(flt.q, using=qs.db))
        else:
            qs = qs.filter(IdsIn(F("pk"), [m.pk for m in matches])).alias(
                **{FEW_KNOWN_ROWS: Value(len(matches))})
    if flt.sex or flt.participant_category:
        cells = Attendance.objects.filter(activity=OuterRef("pk"))
        if flt.sex:
            cells = cells.filter(sex=flt.sex)
        if flt.participant_category:
            cells = cells.filter(category=flt.participant_category)
        qs = qs.filter(Exists(cells))
    return qs


# The shortest query the text index answers (a trigram); shorter ones scan the rows.
TEXT_INDEX_MIN = 3


def text_contains(q: str, *, using: str) -> Q:
    """Activities whose title or description contains `q`, ignoring case in every
    alphabet (Cyrillic included), as a substring: the predicate of the list's text filter.

    PostgreSQL: Django's `icontains` (`UPPER(col) LIKE UPPER(q)`), answered by the trigram
    GIN indexes on those expressions; a text with a common word asks the index for its
    other words (`_uncommon_words`). SQLite: the FTS5 trigram table `activities_activity
    _fts` (migration 0007), whose case folding is Unicode's, as a phrase of the literal
    text (its double quotes doubled, so nothing in it is FTS syntax). SQLite's own LIKE
    folds only ASCII, so a query under three characters, which no trigram can answer, is
    matched against each of its case variants with `instr`: the same answer, by a scan.
    """
    if connections[using].vendor != "sqlite":
        whole = Q(title__icontains=q) | Q(description__icontains=q)
        uncommon = _uncommon_words(q, using)
        if not uncommon:
            return whole
        # the index asked for the uncommon words; the whole text tested on the rows found,
        # through an expression no index serves (else the planner asks the index for it)
        found, tested = Q(), Q()
        for column in ("title", "description"):
            found |= Q(*(Q(**{f"{column}__icontains": part}) for part in uncommon))
            tested |= Q(IContains(Concat(column, Value(""), output_field=TextField()), q))
        return found & tested
    if len(q) >= TEXT_INDEX_MIN:
        phrase = '"' + q.replace('"', '""') + '"'
        return Q(pk__in=RawSQL(
            "SELECT rowid FROM activities_activity_fts WHERE activities_activity_fts MATCH %s",
            (phrase,)))
    variants = [""]
    for char in q:
        forms = {form for form in (char, char.lower(), char.upper()) if len(form) == 1}
        variants = [v + form for v in variants for form in sorted(forms)]
    found = Q()
    for variant in variants:
        for column in ("title", "description"):
            found |= Q(GreaterThan(StrIndex(column, Value(variant)), 0))
    return found


# pg_trgm's index finds a substring by intersecting the lists of rows of its trigrams. A
# trigram most texts share ("ACT" of "activity") has a list as long as the table: 30 ms to
# read at a million activities, whatever few rows match ("activity 424": 1,111). Where
# the text holds such a common word beside uncommon ones, the index is asked for the
# uncommon words (each with the spaces around it in the text, whose trigrams are the
# rarest) and the whole text is tested on the rows they find (41 -> 8 ms). How common a
# word is comes from what ANALYZE keeps of the indexed expressions (pg_stats: its most
# common values and a hundred-odd others); without statistics the whole text is asked.

COMMON_WORD = 0.1  # a word held by a tenth of the texts or more
TEXT_INDEXES = ("textidx_activity_title_trgm", "textidx_activity_description_trgm")
STATS_TTL = 300.0  # seconds a database's statistics are kept here before read again


@dataclass(frozen=True)
class _TextSample:
    """What ANALYZE keeps of one indexed text expression."""

    common: tuple[tuple[str, float], ...]  # the most common values, with their shares
    others: tuple[str, ...]  # a sample of the other values (the histogram's bounds)
    others_share: float  # the share of the rows the others are

    def share_holding(self, text: str) -> float:
        """The estimated share of the rows whose value holds `text`."""
        share = sum(f for value, f in self.common if text in value)
        if self.others:
            share += self.others_share * sum(text in v for v in self.others) / len(self.others)
        return share


_text_samples: dict[str, tuple[float, list[_TextSample]]] = {}


def _uncommon_words(q: str, using: str) -> list[str]:
    """The parts of `q` (a word with the separators around it) that the text indexes are
    asked for instead of `q`: its uncommon words, where `q` also holds a common one;
    else none (the index is asked for `q`)."""
    words = list(re.finditer(r"\w+", q))
    if len(words) < 2:
        return []
    samples = _text_index_samples(using)
    if not samples:
        return []
    parts = [q[max(w.start() - 1, 0):w.end() + 1] for w in words]
    # how long a word's trigram lists are: how many texts hold the word
    common = [sum(s.share_holding(word[0].upper()) for s in samples) >= COMMON_WORD
              for word in words]
    # only parts with a trigram (pg_trgm pads a word with two spaces where a separator
    # precedes it, one where one follows): with none it would read the whole index
    uncommon = [part for part, word, is_common in zip(parts, words, common, strict=True)
                if not is_common and (word.start() > 0 or len(word[0]) >= TEXT_INDEX_MIN
                                      or word.end() < len(q) and len(word[0]) == 2)]
    return uncommon if uncommon and any(common) else []


def _text_index_samples(using: str) -> list[_TextSample]:
    """The text indexes' statistics, read once every STATS_TTL seconds."""
    now = time.monotonic()
    cached = _text_samples.get(using)
    if cached is None or now - cached[0] > STATS_TTL:
        with connections[using].cursor() as cursor:
            cursor.execute(
                "SELECT most_common_vals::text::text[], most_common_freqs, "
                "histogram_bounds::text::text[], null_frac FROM pg_stats "
                "WHERE schemaname = current_schema() AND tablename = ANY(%s)",
                [list(TEXT_INDEXES)])
            samples = [_TextSample(tuple(zip(common or (), freqs or (), strict=True)),
                                   tuple(others or ()), 1.0 - null_frac - sum(freqs or ()))
                       for common, freqs, others, null_frac in cursor.fetchall()]
        cached = (now, samples)
        _text_samples[using] = cached
    return cached[1]


# Per-page work once: a page that only reads (the activity list) asks the same free text
# three times, for its rows, its count and its participants. On PostgreSQL each asking
# walks the trigram index's posting lists, long for the trigrams every title shares
# (35 ms each at a million activities, whatever few rows match). Within
# `shared_text_lookups` the text is looked up once and its matches are shared: their ids,
# which the rows query is given, and their own columns, from which the figures count the
# activities and participants of a filter on those columns (`known_matches`).
# Only where nothing is written: an activity saved after the lookup would be missed.
#
# A page of shared matches sorts them (at most SHARED_MATCHES_MAX) rather than walk the
# (office, starts_on, id) index from the newest day and test each row against them: that
# walk is long when the matches are old (PostgreSQL chose it for 1,111 matches, 150-240 ms
# at a million activities, where fetching and sorting them costs a few).

SHARED_MATCHES_MAX = 10_000  # more matches than this: each query keeps the predicate
FEW_KNOWN_ROWS = "shared_text_matches"  # the alias that marks a queryset of shared matches


class IdsIn(Lookup[list[int]]):
    """`column IN ids` with the ids as one parameter (PostgreSQL `= ANY(array)`, SQLite
    `json_each`): Django writes and quotes a placeholder per id for `__in`, 9 ms for the
    1,111 ids of a shared text's matches, where one array costs nothing."""

    lookup_name = "ids_in"
    prepare_rhs = False

    def as_sql(self, compiler: Any, connection: Any) -> tuple[str, list[Any]]:
        lhs, params = self.process_lhs(compiler, connection)
        ids = [int(pk) for pk in self.rhs]
        if connection.vendor == "sqlite":
            return f"{lhs} IN (SELECT value FROM json_each(%s))", [*params, json.dumps(ids)]
        return f"{lhs} = ANY(%s)", [*params, ids]


class TextMatch(NamedTuple):
    """An activity whose text matched, with the columns of its own that the list's other
    filters and its figures read."""

    pk: int
    starts_on: dt.date
    programme_id: int
    type_id: int
    region_id: int | None
    participants_total: int | None


_matches: ContextVar[dict[tuple[str, int, str], tuple[TextMatch, ...] | None] | None] = \
    ContextVar("activities_text_matches", default=None)


@contextmanager
def shared_text_lookups() -> Iterator[None]:
    """Within it, each free text is looked up once per office and its matches (up to
    SHARED_MATCHES_MAX of them) shared by every query of the filter. For pages that only
    read; nested, it shares the outer lookups."""
    if _matches.get() is not None:
        yield
        return
    token = _matches.set({})
    try:
        yield
    finally:
        _matches.reset(token)


def _shared_matches(office: Office, q: str, using: str) -> tuple[TextMatch, ...] | None:
    """The office's activities whose text holds q, looked up once within
    `shared_text_lookups`; None outside it or over SHARED_MATCHES_MAX matches."""
    found = _matches.get()
    if found is None:
        return None
    key = (using, office.pk, q)
    if key not in found:
        predicate = text_contains(q, using=using)
        first = tuple(map(TextMatch._make, Activity.objects.using(using)
                          .filter(office=office).filter(predicate).order_by()
                          .values_list(*TextMatch._fields)[:SHARED_MATCHES_MAX + 1]))
        found[key] = first if len(first) <= SHARED_MATCHES_MAX else None
    return found[key]


def known_matches(office: Office, flt: ActivityFilter, *, using: str,
                  kind_types: Collection[int]) -> list[TextMatch] | None:
    """The activities of `flt`, known from its text's shared lookup with no further query:
    the matches narrowed by the filters an activity's own columns answer (programme,
    type, kind, region, dates). None where they are not known so: no text, outside
    `shared_text_lookups`, over SHARED_MATCHES_MAX matches, or a filter on partners or
    on who took part (other tables answer those). `kind_types`: the activity types of
    the filter's kind, when it names one (the caller's vocabulary has them)."""
    if not flt.q or flt.partner or flt.sex or flt.participant_category:
        return None
    matches = _shared_matches(office, flt.q, using)
    if matches is None:
        return None
    kind = set(kind_types) if flt.category else None
    return [m for m in matches
            if (not flt.programme or m.programme_id == flt.programme)
            and (not flt.type or m.type_id == flt.type)
            and (kind is None or m.type_id in kind)
            and (not flt.region or m.region_id == flt.region)
            and (not flt.date_from or m.starts_on >= flt.date_from)
            and (not flt.date_to or m.starts_on <= flt.date_to)]


def activities_page(
    qs: QuerySet[Activity], *, after: str | None, size: int = 50
) -> tuple[list[Activity], str | None]:
    """One page in (starts_on desc, id desc) order, from a keyset cursor "YYYY-MM-DD.id".

    Keyset pagination costs the same on page 1 and page 20,000: the index on
    (office, starts_on, id) is entered at the cursor, never scanned from the top.
    """
    # Shared matches are few and known: order by an expression no index serves, so that
    # the database fetches them and sorts rather than walk the date index for them.
    by_day = Coalesce("starts_on", "starts_on") if FEW_KNOWN_ROWS in qs.query.annotations \
        else F("starts_on")
    qs = qs.order_by(by_day.desc(), "-id").select_related("type", "programme", "region", "place")
    if after:
        day_raw, _sep, pk_raw = after.partition(".")
        try:
            day = parse_date(day_raw) if day_raw else None
        except ValueError:  # well formed but impossible: 2004-13-45
            day = None
        pk = parse_id(pk_raw)
        if day is None or pk is None:
            raise ValidationError({"after": _("This page link is broken; start from page one.")})
        # The plain bound on starts_on lets the index range-scan from the cursor; the OR
        # alone would make some planners scan from the top.
        qs = qs.filter(starts_on__lte=day).filter(
            Q(starts_on__lt=day) | Q(starts_on=day, id__lt=pk)
        )
    rows = list(qs[: size + 1])
    more = len(rows) > size
    rows = rows[:size]
    cursor = f"{rows[-1].starts_on.isoformat()}.{rows[-1].pk}" if more and rows else None
    return rows, cursor

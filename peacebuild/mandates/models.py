import datetime as dt
import re
import zoneinfo
from typing import Any

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.utils import timezone
from django.utils.deconstruct import deconstructible
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _

from peacebuild.lib.names import OTHER_LANGUAGES, language_key, names_problems, pick_name

# UN document symbols: a series (S, A, E, SC…) then parts separated by "/", and for
# resolutions an optional year in brackets: S/2004/331, S/RES/1274 (1999), SC/6417.
SYMBOL_RE = re.compile(r"^[A-Z]{1,6}(/[A-Z0-9][A-Za-z0-9.\-]*)+( \(\d{4}\))?$")

# No UN record predates the Charter; nothing is planned more than a decade ahead.
EARLIEST_DATE = dt.date(1945, 6, 26)


def validate_symbol(value: str) -> None:
    if not SYMBOL_RE.match(value):
        raise ValidationError(
            _("“%(value)s” is not a UN document symbol. Write it like S/2004/331 or "
              "S/RES/1274 (1999): capital letters and numbers separated by slashes."),
            code="invalid_symbol",
            params={"value": value},
        )


def local_today(time_zone: str = "") -> dt.date:
    """Today's date where the office is: in `time_zone` (an office's), or where no office is in
    question (a plausibility bound) in the installation's, settings.TIME_ZONE.

    The one way Peacebuild asks for "today" (`Office.today()` calls it); ruff bans
    `date.today()` and `timezone.localdate()` elsewhere, since an HQ server may hold missions
    in several time zones and the server's own date is nobody's."""
    zone = zoneinfo.ZoneInfo(time_zone) if time_zone else None
    return timezone.localdate(timezone=zone)


def default_time_zone() -> str:
    return settings.TIME_ZONE


def default_country() -> str:
    return settings.OFFICE_COUNTRY


def validate_time_zone(value: str) -> None:
    if value not in zoneinfo.available_timezones():
        raise ValidationError(
            _("“%(value)s” is not a time zone. Write it as in the IANA database, like "
              "Asia/Dushanbe or America/New_York."),
            code="invalid_time_zone", params={"value": value},
        )


IATI_ORG_ID_RE = re.compile(r"^[A-Za-z0-9]{2}-[A-Za-z0-9]+(-[^\s/&|?]+)*$")


def validate_iati_org_id(value: str) -> None:
    """An IATI organisation identifier: agency prefix (XM-DAC, GB-CHC…) then the id, no
    spaces and none of / & | ? (rules 1.14.1 and 1.14.13 of the IATI Standard)."""
    if value and not IATI_ORG_ID_RE.match(value):
        raise ValidationError(
            _("“%(value)s” is not an IATI organisation identifier. Write the registration "
              "agency's prefix and the number it gave, like XM-DAC-41114, without spaces or "
              "the characters / & | ?."),
            code="invalid_iati_org_id", params={"value": value},
        )


def validate_plausible_date(value: dt.date) -> None:
    latest = local_today() + dt.timedelta(days=3653)
    if value is not None and not (EARLIEST_DATE <= value <= latest):
        raise ValidationError(
            _("%(value)s is outside the range Peacebuild accepts (%(first)s to %(last)s)."),
            code="implausible_date",
            params={"value": value, "first": EARLIEST_DATE, "last": latest},
        )


class SourceKind(models.TextChoices):
    ENTERED = "entered", _("entered by staff")
    DOCUMENT = "document", _("from a document")
    PUBLIC = "public", _("from a public source")
    INVENTED = "invented", _("invented by the demo for plausibility")


@deconstructible
class TranslationsValidator:
    """A translations field holds {language: text} for the six other languages, each text
    trimmed, without NUL and no longer than the English column allows."""

    def __init__(self, max_length: int | None = None) -> None:
        self.max_length = max_length

    def __call__(self, value: object) -> None:
        problems = names_problems(value, self.max_length)
        if problems:
            raise ValidationError(
                _("Translations are written as {\"ru\": \"…\", \"zh\": \"…\"} with the "
                  "language codes %(codes)s, each a trimmed text of at most %(max)s "
                  "characters: %(problems)s."),
                code="invalid_translations",
                params={"codes": ", ".join(OTHER_LANGUAGES), "max": self.max_length or "∞",
                        "problems": "; ".join(problems)})

    def __eq__(self, other: object) -> bool:
        return isinstance(other, TranslationsValidator) and other.max_length == self.max_length


def translations(verbose_name: Any, max_length: int | None = None) -> models.JSONField:
    """The JSON field beside a translatable column: its text in the other languages."""
    return models.JSONField(verbose_name, default=dict, blank=True,
                            validators=[TranslationsValidator(max_length)],
                            help_text=_('By language code, e.g. {"ru": "…", "zh": "…"}; '
                                        "a language left out shows the English text."))


class Translated:
    """A record whose names carry translations. `translated` maps each translatable
    column to the JSON field that holds it in other languages ({"name": "names"}).
    Fallback: the language asked for (the interface's unless said), else English."""

    translated: dict[str, str] = {}

    def in_language(self, attr: str, language: str | None = None) -> str:
        return pick_name(getattr(self, attr), getattr(self, self.translated[attr]),
                         language or get_language())

    def translation(self, attr: str, language: str) -> str:
        """Only the translation into `language`, without falling back: "" if there is none."""
        return (getattr(self, self.translated[attr]) or {}).get(language_key(language), "")

    @property
    def localized_name(self) -> str:
        return self.in_language("name")

    @property
    def localized_title(self) -> str:
        return self.in_language("title")

    @property
    def localized_description(self) -> str:
        return self.in_language("description")

    @property
    def localized_purpose(self) -> str:
        return self.in_language("purpose")

    @property
    def localized_unit(self) -> str:
        return self.in_language("unit")


class Sourced(models.Model):
    """Where a record comes from: a document, a public source, or the demo's invention."""

    source_kind = models.CharField(
        _("source"), max_length=10, choices=SourceKind.choices, default=SourceKind.ENTERED
    )
    source_document = models.ForeignKey(
        "mandates.Document",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name=_("source document"),
    )
    source_note = models.CharField(_("source note"), max_length=300, blank=True)

    class Meta:
        abstract = True

    @property
    def source_label(self) -> str:
        parts = [str(self.get_source_kind_display())]
        if self.source_document_id:
            parts.append(str(self.source_document))
        if self.source_note:
            parts.append(self.source_note)
        return " — ".join(parts)


class Office(Translated, Sourced):
    translated = {"name": "names", "short_name": "short_names"}

    code = models.SlugField(_("code"), max_length=20, unique=True)
    name = models.CharField(_("name"), max_length=200)
    names = translations(_("name in other languages"), max_length=200)
    short_name = models.CharField(
        _("short name"), max_length=40, blank=True,
        help_text=_("The office's acronym as documents write it, e.g. UNTOP."))
    short_names = translations(_("short name in other languages"), max_length=40)
    country = models.CharField(_("country (ISO 3166-1)"), max_length=2, default=default_country)
    seat = models.ForeignKey(
        "places.Place", null=True, blank=True, on_delete=models.PROTECT, related_name="+",
        verbose_name=_("seat"),
    )
    established_on = models.DateField(_("established on"), validators=[validate_plausible_date])
    closed_on = models.DateField(
        _("closed on"), null=True, blank=True, validators=[validate_plausible_date]
    )
    predecessor = models.ForeignKey(
        "self", null=True, blank=True, on_delete=models.SET_NULL, related_name="successors",
        verbose_name=_("predecessor"),
    )
    successor_note = models.CharField(_("successor"), max_length=300, blank=True)
    iati_org_id = models.CharField(
        _("IATI organisation identifier"), max_length=100, blank=True,
        validators=[validate_iati_org_id],
        help_text=_("The office's identifier as an IATI publisher: a registration agency's "
                    "prefix and the number it gave, e.g. XM-DAC-41114. It begins every "
                    "activity identifier the office exports."),
    )
    time_zone = models.CharField(
        _("time zone"), max_length=64, default=default_time_zone,
        validators=[validate_time_zone],
        help_text=_("Where the office works, e.g. Asia/Dushanbe: it decides the office's "
                    "today."),
    )

    class Meta:
        verbose_name = _("office")
        verbose_name_plural = _("offices")
        ordering = ["established_on", "code"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(closed_on__isnull=True)
                | models.Q(closed_on__gte=models.F("established_on")),
                name="office_closes_after_it_opens",
                violation_error_message=_("An office cannot close before it is established."),
            ),
        ]

    def __str__(self) -> str:
        return self.localized_name

    @property
    def localized_short_name(self) -> str:
        """The acronym in the active language, else the English one, else the code."""
        return self.in_language("short_name") or self.code.upper()

    def clean(self) -> None:
        if self.closed_on and self.established_on and self.closed_on < self.established_on:
            raise ValidationError(
                {"closed_on": _("An office cannot close before it is established.")}
            )

    def today(self) -> dt.date:
        """Today's date at the office, in its time zone."""
        return local_today(self.time_zone)

    def life_range(self) -> tuple[dt.date, dt.date]:
        """The dates an office's records may carry: its life, with a year's margin either side
        for preparation and follow-up."""
        margin = dt.timedelta(days=366)
        end = self.closed_on or self.today()
        return self.established_on - margin, end + margin

    def dates_outside_life(self, **dates: dt.date | None) -> dict[str, str]:
        """For each named date outside `life_range()`, the message that says so (a date
        typed as 1900 or 2900 is a slip, wherever it is typed)."""
        first, last = self.life_range()
        return {
            name: _("%(date)s is far outside the life of %(office)s (%(first)s to %(last)s).")
            % {"date": value, "office": self.code.upper(), "first": first, "last": last}
            for name, value in dates.items() if value and not first <= value <= last
        }


class Document(Sourced):
    class Kind(models.TextChoices):
        LETTER = "letter", _("letter")
        RESOLUTION = "resolution", _("resolution")
        REPORT = "report", _("report")
        PRESS_RELEASE = "press_release", _("press release")
        NEWS = "news", _("news article")
        OTHER = "other", _("other")

    office = models.ForeignKey(
        Office, null=True, blank=True, on_delete=models.CASCADE, related_name="documents",
        verbose_name=_("office"),
    )
    symbol = models.CharField(
        _("document symbol"), max_length=60, blank=True, validators=[validate_symbol],
        help_text=_("The UN symbol, e.g. S/2004/331. Leave blank when the document has none "
                    "or it is not known."),
    )
    title = models.CharField(_("title"), max_length=300)
    kind = models.CharField(_("type"), max_length=20, choices=Kind.choices, default=Kind.LETTER)
    dated_on = models.DateField(
        _("date"), null=True, blank=True, validators=[validate_plausible_date]
    )
    issued_on = models.DateField(
        _("issued on"), null=True, blank=True, validators=[validate_plausible_date]
    )
    original_language = models.CharField(_("original language"), max_length=10, default="en")
    languages = models.JSONField(
        _("available languages"), default=list, blank=True,
        help_text=_("Language codes of the versions held, e.g. [\"en\", \"zh\"]."),
    )
    file = models.FileField(_("file"), upload_to="documents/%Y/", blank=True)
    url = models.URLField(_("web address"), blank=True)

    class Meta:
        verbose_name = _("document")
        verbose_name_plural = _("documents")
        ordering = ["-dated_on", "-id"]
        constraints = [
            models.UniqueConstraint(
                fields=["symbol"], condition=~models.Q(symbol=""), name="unique_document_symbol"
            ),
            models.CheckConstraint(
                condition=models.Q(issued_on__isnull=True)
                | models.Q(dated_on__isnull=True)
                | models.Q(issued_on__gte=models.F("dated_on")),
                name="document_issued_after_dated",
                violation_error_message=_(
                    "A document cannot be issued before the date it bears."),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.symbol} — {self.title}" if self.symbol else self.title

    def clean(self) -> None:
        if self.issued_on and self.dated_on and self.issued_on < self.dated_on:
            raise ValidationError({"issued_on": _("A document cannot be issued before its date.")})


class MandatePeriod(Sourced):
    """A period of an office's mandate, as proposed and then decided.

    The status is not stored: it follows from the dates and the decision, so the
    timeline can be shown as the office saw it on any past day.
    """

    class Decision(models.TextChoices):
        PROPOSED = "proposed", _("proposed, not yet decided")
        APPROVED = "approved", _("approved")
        WITHDRAWN = "withdrawn", _("withdrawn or rejected")

    office = models.ForeignKey(
        Office, on_delete=models.CASCADE, related_name="periods", verbose_name=_("office")
    )
    starts_on = models.DateField(_("starts on"), validators=[validate_plausible_date])
    ends_on = models.DateField(
        _("ends on"), validators=[validate_plausible_date],
        help_text=_("The day the mandate expires, as the deciding letter states it."),
    )
    decision = models.CharField(
        _("decision"), max_length=10, choices=Decision.choices, default=Decision.PROPOSED
    )
    proposed_on = models.DateField(
        _("proposed on"), null=True, blank=True, validators=[validate_plausible_date],
        help_text=_("When the extension was proposed (e.g. the date of the letter)."),
    )
    decided_on = models.DateField(
        _("decided on"), null=True, blank=True, validators=[validate_plausible_date],
        help_text=_("When the Council approved or took note. Blank if not known: an approved "
                    "period then counts as decided from its start."),
    )
    document = models.ForeignKey(
        Document, null=True, blank=True, on_delete=models.SET_NULL, related_name="periods",
        verbose_name=_("authorising document"),
    )
    decided_by = models.CharField(
        _("decided by"), max_length=300, blank=True,
        help_text=_("How it was decided when there is no document on record, "
                    "e.g. “letter of May 2002”."),
    )

    class Meta:
        verbose_name = _("mandate period")
        verbose_name_plural = _("mandate periods")
        ordering = ["office", "starts_on"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(ends_on__gt=models.F("starts_on")),
                name="period_ends_after_start",
                violation_error_message=_("A mandate period ends after it starts."),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.office.code}: {self.starts_on} – {self.ends_on}"

    def clean(self) -> None:
        if self.starts_on and self.ends_on and self.ends_on <= self.starts_on:
            raise ValidationError({"ends_on": _("A mandate period must end after it starts.")})
        if self.decided_on and self.proposed_on and self.decided_on < self.proposed_on:
            raise ValidationError(
                {"decided_on": _("A decision cannot come before the proposal.")}
            )

    def known_on(self, day: dt.date) -> bool:
        """Whether the office knew of this period on `day` (proposed or decided by then)."""
        first = self.proposed_on or self.decided_on or self.starts_on
        return first <= day

    def approved_by(self, day: dt.date) -> bool:
        if self.decision != self.Decision.APPROVED:
            return False
        return (self.decided_on or self.starts_on) <= day

    def status_on(self, day: dt.date) -> str:
        """proposed / approved (not started) / in force / ended / withdrawn, as seen on `day`."""
        if self.decision == self.Decision.WITHDRAWN and (self.decided_on or day) <= day:
            return "withdrawn"
        if not self.approved_by(day):
            return "proposed"
        if day < self.starts_on:
            return "approved"
        if day < self.ends_on:
            return "in_force"
        return "ended"


class HeadOfOffice(Translated, Sourced):
    translated = {"title": "titles"}

    office = models.ForeignKey(Office, on_delete=models.CASCADE, related_name="heads")
    name = models.CharField(_("name"), max_length=200)
    title = models.CharField(_("title"), max_length=300, blank=True)
    titles = translations(_("title in other languages"), max_length=300)
    starts_on = models.DateField(_("from"), null=True, blank=True)
    ends_on = models.DateField(_("to"), null=True, blank=True)
    dates_note = models.CharField(
        _("dates as known"), max_length=200, blank=True,
        help_text=_("When exact dates are not known, e.g. “named in the 2001 and 2002 letters”."),
    )

    class Meta:
        verbose_name = _("head of office")
        verbose_name_plural = _("heads of office")
        ordering = ["office", "starts_on"]

    def __str__(self) -> str:
        return self.name

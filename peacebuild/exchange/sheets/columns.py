"""The activity sheet's columns and the office's vocabularies they take codes from: what the
template offers, the importer reads and the XLSX export writes (so an export re-imports)."""

from __future__ import annotations

from dataclasses import dataclass

from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from peacebuild.accounts.permissions import Actor, SystemActor, allows
from peacebuild.accounts.queries import membership_for
from peacebuild.accounts.roles import Can
from peacebuild.activities.models import ActivityType, AgeGroup, ParticipantCategory, Sex
from peacebuild.mandates.models import Office
from peacebuild.partners.models import Organisation
from peacebuild.places.models import Place
from peacebuild.programmes.models import Programme

# The activity's own columns, in the template's order, with what each holds.
FIELDS: dict[str, object] = {
    "programme": _("Programme code (drop-down list)."),
    "type": _("Activity type code (drop-down list)."),
    "title": _("Title, at most 300 characters."),
    "starts_on": _("First day, e.g. 2004-04-23 or 23 April 2004."),
    "ends_on": _("Last day (the same as the first for a one-day activity)."),
    "place": _("Region or district code (drop-down list); may be left empty."),
    "partners": _("Partner organisations by acronym or name, separated by “;”; may be left "
                  "empty."),
    "participants_total": _("Participants in all; may be left empty when the breakdown is "
                            "filled in (it must then equal the breakdown's sum)."),
    "description": _("Description; may be left empty."),
    "outputs": _("Outputs; may be left empty."),
    "follow_up": _("Follow-up, e.g. recommendations sent to parliament; may be left empty."),
}
REQUIRED = ("programme", "type", "title", "starts_on", "ends_on")
TEXT_LIMITS = {"title": 300}
LONG_TEXT = 32_767  # what one spreadsheet cell holds
CODE_COLUMNS = ("programme", "type", "place", "partners")
SEPARATOR = " — "  # a drop-down entry is "code — name"; the code is what counts


def attendance_key(category: str, sex: str, age_group: str = AgeGroup.UNKNOWN) -> str:
    """The column of one attendance cell: "youth/f", or "youth/f/18-29" by age."""
    if age_group == AgeGroup.UNKNOWN:
        return f"{category}/{sex}"
    return f"{category}/{sex}/{age_group}"


# The template's attendance columns: category × sex, age not recorded (see docs/import.md).
ATTENDANCE = [attendance_key(c, s) for c in ParticipantCategory.values for s in Sex.values]
# Every attendance column the importer accepts (age groups may be added by hand).
ALL_ATTENDANCE = {attendance_key(c, s, a): (c, s, a) for c in ParticipantCategory.values
                  for s in Sex.values for a in AgeGroup.values}
COLUMNS = [*FIELDS, *ATTENDANCE]


def normalise_header(text: object) -> str:
    return " ".join(str(text or "").split()).lower().rstrip("*").strip()


@dataclass
class Vocabulary:
    """An office's codes as the sheet spells them, and the programmes the actor may
    record activities for."""

    office: Office
    programmes: dict[str, Programme]
    writable: set[int]
    types: dict[str, ActivityType]
    places: dict[str, Place]
    partners: dict[str, Organisation | None]  # casefolded acronym or name; None: ambiguous
    partner_list: list[Organisation]

    @classmethod
    def of(cls, office: Office, actor: Actor) -> Vocabulary:
        programmes = {p.code: p for p in Programme.objects.filter(office=office).order_by(
            "code")}
        if isinstance(actor, SystemActor):
            writable = {p.pk for p in programmes.values()}
        else:
            membership = membership_for(actor, office)
            writable = {p.pk for p in programmes.values()
                        if allows(membership, Can.EDIT_ACTIVITIES, p.pk)}
        places = Place.objects.filter(
            Q(level=Place.Level.REGION, parent__code=office.country)
            | Q(level=Place.Level.DISTRICT, parent__parent__code=office.country)
        ).select_related("parent__parent").order_by("code")
        organisations = list(Organisation.objects.filter(office=office).order_by("name"))
        partners: dict[str, Organisation | None] = {}
        for org in organisations:
            for key in {org.name.casefold(), org.acronym.casefold()} - {""}:
                partners[key] = None if key in partners and partners[key] != org else org
        return cls(office, programmes, writable,
                   {t.code: t for t in ActivityType.objects.order_by("code")},
                   {p.code: p for p in places}, partners, organisations)

    def partner_label(self, org: Organisation) -> str:
        """How the sheet names a partner: its acronym when that is unambiguous."""
        key = org.acronym.casefold()
        return org.acronym if key and self.partners.get(key) == org else org.name

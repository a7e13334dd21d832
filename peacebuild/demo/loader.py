"""The demo office: UNTOP, the United Nations Tajikistan Office of Peace-building (2000–2007).

`load_demo()` deletes the offices "untop" and "unmot" and loads them again, in one
transaction, through the services (actor None, so the audit log shows the system).

What it loads is data, not code: `data/*.json` in this package, one file per kind of record
(offices and heads, documents, mandate periods, programmes, partners, centres, activity
types, the activities of each year, users, the report bindings). This module reads them in
order and calls the services; `results.py` and `reports.py` add the results framework and
the reports.

Every record says where it comes from (`source` in the data files: kind, document, note):

- source_kind "document": the fact is in the seed letter S/2004/331 (Chinese version of
  the Secretary-General's letter of 23 April 2004), and source_document is that letter.
  When only the exact dates are the demo's (the letter gives a month or nothing), the
  record stays "document" and its source_note says which dates were invented.
- source_kind "public": the fact is in `shared/seed/UNTOP-HISTORY.md`; source_note names
  the public source (e.g. "UN News, 2001-05") and source_document is that item.
- source_kind "invented": the demo made up what defines the record (a breakdown of a
  reported total over several meetings, a place, a partner NGO, a name); source_document
  still points at the letter or news item whose fact it illustrates, and the note says
  what is real and what is not.

An activity's attendance is given as its reported total, the shares of each participant
category (`mix`) and the share of women; `breakdown()` turns them into whole numbers that
add up exactly.

The figures the letter reports come out of `figures.engine`, not from this package:
11 discussion-club meetings with more than 1,300 participants, 90 trained in conflict
prevention in October 2003, about 200 teachers, four education centres and a resource
centre, and the 2004–2005 figures of the May 2005 letter.
"""

from __future__ import annotations

import datetime as dt
from base64 import b32decode
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from typing import Any

from django.contrib.auth.hashers import make_password
from django.db import transaction
from django_otp.plugins.otp_totp.models import TOTPDevice

from peacebuild.accounts.audit import save_audited
from peacebuild.accounts.models import Membership, User
from peacebuild.accounts.permissions import SYSTEM
from peacebuild.accounts.roles import Role
from peacebuild.accounts.services import recovery_codes_set
from peacebuild.activities.models import Activity, ActivityType, Centre
from peacebuild.activities.services import Cell, activity_create, centre_save
from peacebuild.demo.cases import load_cases
from peacebuild.demo.coordination import load_coordination
from peacebuild.demo.figures import figure_definitions
from peacebuild.demo.files import read
from peacebuild.demo.reports import load_demo_reports
from peacebuild.demo.results import load_results
from peacebuild.mandates.models import (
    Document,
    HeadOfOffice,
    MandatePeriod,
    Office,
)
from peacebuild.mandates.services import document_save, office_delete, office_save, period_save
from peacebuild.partners.models import ActionPoint, GroupMeeting, Organisation
from peacebuild.partners.services import organisation_save
from peacebuild.places.models import Place
from peacebuild.places.services import places_load_tajikistan
from peacebuild.programmes.models import Programme

OFFICE_CODE = "untop"
PREDECESSOR_CODE = "unmot"
SEED_SYMBOL = "S/2004/331"
SEED_DATE = dt.date(2004, 4, 23)
SEED_YEAR = (dt.date(2003, 6, 1), dt.date(2004, 5, 31))
YEAR_2004_2005 = (dt.date(2004, 6, 1), dt.date(2005, 5, 31))
PASSWORD = "peacebuild-demo"
# INSECURE BY DESIGN, FOR THE DEMO ONLY: the demo human-rights officer's authenticator secret
# and recovery code are fixed and printed by `peacebuild demo`, so that a tester can add
# the secret to an authenticator app (or compute a code) and sign in with two factors. A real
# account's secret is random, shown once at enrolment, and never printed.
DEMO_TOTP_USER = "humanrights"
DEMO_TOTP_SECRET = "DEMODEMODEMODEMODEMODEMODEMODEMO"  # base32, 160 bits
DEMO_RECOVERY_CODE = "demo0-recov"
# The second human-rights officer, of another case team: the same arrangement.
DEMO_TOTP_USER_2 = "humanrights2"
DEMO_TOTP_SECRET_2 = "DEMOTWODEMOTWODEMOTWODEMOTWODEMO"  # base32, 160 bits
DEMO_RECOVERY_CODE_2 = "demo2-recov"
# username → (secret, recovery code), for every demo user who signs in with two factors.
DEMO_TOTP = {DEMO_TOTP_USER: (DEMO_TOTP_SECRET, DEMO_RECOVERY_CODE),
             DEMO_TOTP_USER_2: (DEMO_TOTP_SECRET_2, DEMO_RECOVERY_CODE_2)}

@dataclass
class DemoSummary:
    office: Office
    counts: dict[str, int] = field(default_factory=dict)
    users: list[tuple[str, str, str]] = field(default_factory=list)  # username, role, name
    password: str = PASSWORD
    totp_user: str = DEMO_TOTP_USER
    totp_secret: str = DEMO_TOTP_SECRET
    recovery_code: str = DEMO_RECOVERY_CODE

    @property
    def otpauth_uri(self) -> str:
        return otpauth_uri(self.totp_user, self.totp_secret)

    @property
    def two_factor(self) -> list[tuple[str, str, str, str]]:
        """(username, secret, otpauth URI, recovery code) of each two-factor demo user."""
        return [(user, secret, otpauth_uri(user, secret), code)
                for user, (secret, code) in DEMO_TOTP.items()]

    def lines(self) -> list[str]:
        return [f"{name}: {n}" for name, n in self.counts.items()]


def otpauth_uri(user: str, secret: str) -> str:
    return (f"otpauth://totp/Peacebuild%20demo:{user}?secret={secret}"
            "&issuer=Peacebuild%20demo&algorithm=SHA1&digits=6&period=30")


@dataclass(frozen=True)
class Source:
    kind: str
    document: Document | None
    note: str

    def fields(self) -> dict[str, Any]:
        return {"source_kind": self.kind, "source_document": self.document,
                "source_note": self.note[:300]}


def split(total: int, weights: Iterable[int]) -> list[int]:
    """`total` shared out in proportion to `weights`, whole numbers adding up exactly
    (largest remainders first; ties to the earlier weight)."""
    weights = list(weights)
    whole = sum(weights)
    exact = [total * w / whole for w in weights]
    parts = [int(x) for x in exact]
    order = sorted(range(len(weights)), key=lambda i: (-(exact[i] - parts[i]), i))
    for i in order[: total - sum(parts)]:
        parts[i] += 1
    return parts


def breakdown(total: int, mix: dict[str, int], women_pct: int) -> dict[Cell, int]:
    """Attendance cells (category × sex) adding up to `total`."""
    cells: dict[Cell, int] = {}
    for category, n in zip(mix, split(total, mix.values()), strict=True):
        women, men = split(n, [women_pct, 100 - women_pct])
        for sex, count in (("f", women), ("m", men)):
            if count:
                cells[Cell(category, sex)] = count
    return cells


def d(text: str) -> dt.date:
    return dt.date.fromisoformat(text)


class _Loader:
    def __init__(self) -> None:
        self.docs: dict[str, Document] = {}
        self.types: dict[str, ActivityType] = {}
        self.programmes: dict[str, Programme] = {}
        self.orgs: dict[str, Organisation] = {}
        self.places: dict[str, Place] = {}
        self.centre_rows: dict[str, Centre] = {}

    # ---- sources ---------------------------------------------------------------------
    def source(self, spec: dict[str, Any]) -> Source:
        """`{"kind": "invented", "doc": "letter", "note": "…"}` from a data file."""
        doc = spec.get("doc")
        return Source(spec["kind"], self.docs[doc] if doc else None, spec["note"])

    # ---- steps -----------------------------------------------------------------------
    def clear(self) -> None:
        offices = Office.objects.filter(code__in=[OFFICE_CODE, PREDECESSOR_CODE])
        for office in offices.order_by("-established_on"):
            office_delete(actor=SYSTEM, office=office)
        # Unattached copies of the demo's documents would block their unique symbols.
        symbols = [row["symbol"] for row in read("documents.json")["documents"]]
        Document.objects.filter(symbol__in=symbols, office=None).delete()

    def reference(self) -> None:
        places_load_tajikistan()
        for row in read("activity_types.json")["activity_types"]:
            self.types[row["code"]], _created = ActivityType.objects.update_or_create(
                code=row["code"], defaults={"name": row["name"], "category": row["category"],
                                            "names": row["names"]}
            )
        for place in Place.objects.filter(code__startswith="TJ", level__lte=2):
            self.places[place.code if place.level < 2 else place.name] = place

    def place(self, key: str) -> Place:
        return self.places[key]

    def _office(self, row: dict[str, Any], **extra: Any) -> Office:
        """An office from its data; its source document is set once documents exist."""
        fields = {k: v for k, v in row.items() if k not in ("source", "seat")}
        for name in ("established_on", "closed_on"):
            fields[name] = d(fields[name]) if fields.get(name) else None
        return office_save(actor=SYSTEM, office=Office(
            **fields, seat=self.place(row["seat"]) if row.get("seat") else None,
            source_kind=row["source"]["kind"], source_note=row["source"]["note"], **extra))

    def offices(self) -> Office:
        data = read("offices.json")
        self.unmot = self._office(data["predecessor"])
        self.office = self._office(data["office"], predecessor=self.unmot)
        return self.office

    def _document(self, row: dict[str, Any]) -> Document:
        source = row["source"]
        doc = source.get("doc")
        return document_save(actor=SYSTEM, document=Document(
            office=self.unmot if row["office"] == PREDECESSOR_CODE else self.office,
            symbol=row["symbol"], title=row["title"], kind=row["kind"],
            dated_on=d(row["dated_on"]) if row["dated_on"] else None,
            issued_on=d(row["issued_on"]) if row["issued_on"] else None,
            original_language=row["original_language"], languages=row["languages"],
            url=row["url"], source_kind=source["kind"],
            # A document that is its own source (the letter) gets itself once saved.
            source_document=self.docs[doc] if doc and doc != row["key"] else None,
            source_note=source["note"],
        ))

    def documents(self) -> None:
        data = read("documents.json")
        for row in data["documents"]:
            self.docs[row["key"]] = self._document(row)
        for row in data["documents"]:
            if row["source"].get("doc") == row["key"]:
                doc = self.docs[row["key"]]
                doc.source_document = doc
                document_save(actor=SYSTEM, document=doc)
        # The offices were saved before their documents existed.
        offices = read("offices.json")
        self.office.source_document = self.docs[offices["office"]["source"]["doc"]]
        office_save(actor=SYSTEM, office=self.office)
        self.unmot.source_document = self.docs[offices["predecessor"]["source"]["doc"]]
        office_save(actor=SYSTEM, office=self.unmot)
        for row in data["news"]:
            self.docs[row["key"]] = self._document(row)

    def periods(self) -> None:
        for row in read("mandate_periods.json")["mandate_periods"]:
            period_save(actor=SYSTEM, period=MandatePeriod(
                office=self.office, starts_on=d(row["starts_on"]), ends_on=d(row["ends_on"]),
                decision=row["decision"],
                proposed_on=d(row["proposed_on"]) if row["proposed_on"] else None,
                document=self.docs[row["document"]] if row["document"] else None,
                decided_by=row["decided_by"], **self.source(row["source"]).fields(),
            ))

    def heads(self) -> None:
        for row in read("offices.json")["heads"]:
            save_audited(actor=SYSTEM, before=None, instance=HeadOfOffice(
                office=self.office, name=row["name"], title=row["title"],
                titles=row.get("titles", {}),
                starts_on=d(row["starts_on"]) if row["starts_on"] else None,
                ends_on=d(row["ends_on"]) if row["ends_on"] else None,
                dates_note=row["dates_note"], **self.source(row["source"]).fields(),
            ))

    def programme_rows(self) -> None:
        for row in read("programmes.json")["programmes"]:
            programme = Programme(office=self.office, code=row["code"], name=row["name"],
                                  names=row["names"], description=row["description"],
                                  descriptions=row["descriptions"],
                                  dac_sector=row.get("dac_sector", "15220"),
                                  **self.source(row["source"]).fields())
            save_audited(actor=SYSTEM, before=None, instance=programme)
            self.programmes[row["code"]] = programme

    def organisations(self) -> None:
        for row in read("partners.json")["organisations"]:
            self.orgs[row["key"]] = organisation_save(actor=SYSTEM, organisation=Organisation(
                office=self.office, name=row["name"], acronym=row["acronym"], kind=row["kind"],
                country=row["country"], **self.source(row["source"]).fields(),
            ))

    def centres(self) -> dict[str, Centre]:
        for row in read("centres.json")["centres"]:
            self.centre_rows[row["key"]] = centre_save(actor=SYSTEM, centre=Centre(
                office=self.office, name=row["name"], names=row["names"], kind=row["kind"],
                place=self.place(row["place"]),
                partner=self.orgs[row["partner"]] if row["partner"] else None,
                programme=self.programmes[row["programme"]], opened_on=d(row["opened_on"]),
                **self.source(row["source"]).fields(),
            ))
        return self.centre_rows

    def activity(self, row: dict[str, Any]) -> Activity:
        """One activity of a data file; a centre's session takes place at the centre."""
        total = row.get("participants")
        mix = row.get("mix")
        attendance = breakdown(total, mix, row["women_percent"]) if total and mix else None
        centre = self.centre_rows[row["centre"]] if row.get("centre") else None
        place = centre.place if centre else (self.place(row["place"]) if row.get("place")
                                             else None)
        extra = {k: row[k] for k in ("description", "follow_up") if k in row}
        if centre is not None:
            extra["centre"] = centre
        return activity_create(
            actor=SYSTEM, office=self.office, attendance=attendance,
            partners=[self.orgs[k] for k in row["partners"]],
            type=self.types[row["type"]], programme=self.programmes[row["programme"]],
            title=row["title"], language="en",  # the demo's texts are written in English
            starts_on=d(row["starts_on"]), ends_on=d(row["ends_on"]),
            place=place, participants_total=total,
            **self.source(row["source"]).fields(), **extra,
        )

    def activities(self, name: str) -> None:
        for row in read(name)["activities"]:
            self.activity(row)

    def activities_2000_2003(self) -> None:
        self.activities("activities_2000_2003.json")

    def activities_seed_year(self, centres: dict[str, Centre] | None = None) -> None:
        # 11 discussion-club meetings, more than 1,300 participants, in all regions.
        self.activities("activities_2003_2004.json")

    def activities_2004_2005(self) -> None:
        self.activities("activities_2004_2005.json")

    def users(self) -> list[tuple[str, str, str]]:
        rows = []
        hashed = make_password(PASSWORD)  # once: hashing is slow on purpose
        for row in read("users.json")["users"]:
            username, first, last, role = (row["username"], row["first_name"],
                                           row["last_name"], row["role"])
            user, _created = User.objects.get_or_create(username=username)
            user.first_name, user.last_name = first, last
            user.email = f"{username}@demo.invalid"
            user.is_active = True
            user.is_staff = user.is_superuser = username == "admin"
            user.password = hashed
            user.save()
            membership = Membership.objects.create(user=user, office=self.office, role=role)
            if row.get("programmes"):
                membership.programmes.set([self.programmes[k] for k in row["programmes"]])
            if username in DEMO_TOTP:
                secret, code = DEMO_TOTP[username]
                TOTPDevice.objects.filter(user=user).delete()
                TOTPDevice.objects.create(user=user, name="demo authenticator", confirmed=True,
                                          key=b32decode(secret).hex())
                recovery_codes_set(user, [code])
            label = str(Role(role).label) + (" + superuser" if user.is_superuser else "")
            rows.append((username, label, f"{first} {last}"))
        return rows


def load_demo(progress: Callable[[str], None] | None = None) -> DemoSummary:
    """Delete and reload the UNTOP demo office; returns what was loaded."""
    say = progress or (lambda _line: None)
    loader = _Loader()
    with transaction.atomic():
        say("Removing the previous demo office…")
        loader.clear()
        say("Places of Tajikistan and activity types…")
        loader.reference()
        say("Offices UNMOT and UNTOP, documents, mandate periods, heads of office…")
        office = loader.offices()
        loader.documents()
        loader.periods()
        loader.heads()
        say("Programmes, partners, centres…")
        loader.programme_rows()
        loader.organisations()
        centres = loader.centres()
        say("Activities 2000–2003…")
        loader.activities_2000_2003()
        say("Activities of the year of S/2004/331 (June 2003 – May 2004)…")
        loader.activities_seed_year(centres)
        say("Activities 2004–2005…")
        loader.activities_2004_2005()
        load_results(office)
        say("Demo users…")
        users = loader.users()
        say("Coordination groups, their meetings and action points…")
        load_coordination(office, loader.orgs, loader.source)
        say("Invented human-rights cases in two case teams…")
        case_counts = load_cases(office, loader.orgs)
        say("Report figures bound to the demo's codes, and the demo's reports…")
        figure_definitions(office)
        load_demo_reports(office)
    counts = {
        "documents": Document.objects.filter(office__in=[office, loader.unmot]).count(),
        "mandate periods": office.periods.count(),
        "heads of office": office.heads.count(),
        "programmes": office.programmes.count(),
        "organisations": office.organisations.count(),
        "coordination groups": office.groups.count(),
        "group meetings": GroupMeeting.objects.filter(group__office=office).count(),
        "action points": ActionPoint.objects.filter(meeting__group__office=office).count(),
        "centres": office.centres.count(),
        "activities": office.activities.count(),
        "users": len(users),
        **case_counts,
    }
    return DemoSummary(office=office, counts=counts, users=users)

"""The demo office: UNTOP, the United Nations Tajikistan Office of Peace-building (2000–2007).

`load_demo()` deletes the offices "untop" and "unmot" and loads them again, in one
transaction, through the services (actor None, so the audit log shows the system).

Every record says where it comes from (`Sourced`):

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

The figures the letter reports come out of `figures.engine`, not from this file:
11 discussion-club meetings with more than 1,300 participants, 90 trained in conflict
prevention in October 2003, about 200 teachers, four education centres and a resource
centre, and the 2004–2005 figures of the May 2005 letter.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from typing import Any

from django.contrib.auth.hashers import make_password
from django.db import transaction

from peacebuild.accounts.audit import save_audited
from peacebuild.accounts.models import Membership, User
from peacebuild.accounts.roles import Role
from peacebuild.activities.models import Activity, ActivityType, Centre
from peacebuild.activities.services import Cell, activity_create, centre_save
from peacebuild.demo.figures import figure_definitions
from peacebuild.demo.reports import load_demo_reports
from peacebuild.demo.results import load_results
from peacebuild.mandates.models import (
    Document,
    HeadOfOffice,
    MandatePeriod,
    Office,
    SourceKind,
)
from peacebuild.mandates.services import document_save, office_delete, office_save, period_save
from peacebuild.partners.models import Group, GroupMeeting, Organisation
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

# username → (first name, last name, role); every name is fictional.
DEMO_USERS: dict[str, tuple[str, str, str]] = {
    "head": ("Demo", "Head of Office", Role.HEAD),
    "programme": ("Demo", "Programme Officer", Role.PROGRAMME),
    "monitoring": ("Demo", "M&E Officer", Role.MONITORING),
    "humanrights": ("Demo", "Human-Rights Officer", Role.HUMAN_RIGHTS),
    "viewer": ("Demo", "Viewer", Role.VIEWER),
    "admin": ("Demo", "Administrator", Role.HEAD),
}

ACTIVITY_TYPES: list[tuple[str, str, str, dict[str, str]]] = [
    ("discussion-club", "Political discussion club meeting", ActivityType.Category.DIALOGUE,
     {"ru": "Заседание политического дискуссионного клуба",
      "tg": "Ҷаласаи клуби мубоҳисаҳои сиёсӣ", "zh": "政治讨论俱乐部会议"}),
    ("training", "Training course", ActivityType.Category.TRAINING,
     {"ru": "Учебный курс", "tg": "Курси омӯзишӣ", "zh": "培训班"}),
    ("roundtable", "Roundtable", ActivityType.Category.ROUNDTABLE,
     {"ru": "Круглый стол", "tg": "Мизи мудаввар", "zh": "圆桌会议"}),
    ("media-training", "Media training", ActivityType.Category.MEDIA,
     {"ru": "Тренинг для СМИ", "tg": "Омӯзиш барои расонаҳо", "zh": "媒体培训"}),
    ("advisory", "Advisory work", ActivityType.Category.ADVISORY,
     {"ru": "Консультативная работа", "tg": "Кори машваратӣ", "zh": "咨询工作"}),
    ("assessment-mission", "Assessment mission", ActivityType.Category.ASSESSMENT,
     {"ru": "Миссия по оценке потребностей", "tg": "Миссияи арзёбӣ", "zh": "需要评估团"}),
    ("centre-session", "Centre session", ActivityType.Category.CENTRE,
     {"ru": "Занятие в центре", "tg": "Машғулият дар марказ", "zh": "中心活动"}),
    ("recommendations", "Recommendations submitted", ActivityType.Category.ADVOCACY,
     {"ru": "Представление рекомендаций", "tg": "Пешниҳоди тавсияҳо", "zh": "提交建议"}),
    ("coordination-meeting", "Coordination meeting", ActivityType.Category.COORDINATION,
     {"ru": "Координационное совещание", "tg": "Ҷаласаи ҳамоҳангсозӣ", "zh": "协调会议"}),
    ("election-support", "Electoral support", ActivityType.Category.ADVISORY,
     {"ru": "Содействие выборам", "tg": "Дастгирии интихобот", "zh": "选举支助"}),
    ("reintegration", "Reintegration support", ActivityType.Category.OTHER,
     {"ru": "Содействие реинтеграции", "tg": "Дастгирии ҳамгироии дубора",
      "zh": "重返社会支助"}),
]

# Who sat in the discussion clubs (the letter: central government, local administration,
# party leaders, civil society); shares and the share of women are the demo's.
CLUB_MIX = {"central_government": 20, "local_administration": 30, "party": 25,
            "civil_society": 25}


@dataclass
class DemoSummary:
    office: Office
    counts: dict[str, int] = field(default_factory=dict)
    users: list[tuple[str, str, str]] = field(default_factory=list)  # username, role, name
    password: str = PASSWORD

    def lines(self) -> list[str]:
        return [f"{name}: {n}" for name, n in self.counts.items()]


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

    # ---- sources ---------------------------------------------------------------------
    def letter(self, note: str = "") -> Source:
        return Source(SourceKind.DOCUMENT, self.docs["letter"], note or "S/2004/331")

    def public(self, doc: str, note: str) -> Source:
        return Source(SourceKind.PUBLIC, self.docs[doc], note)

    def invented(self, note: str, doc: str | None = "letter") -> Source:
        return Source(SourceKind.INVENTED, self.docs[doc] if doc else None, note)

    # ---- steps -----------------------------------------------------------------------
    def clear(self) -> None:
        offices = Office.objects.filter(code__in=[OFFICE_CODE, PREDECESSOR_CODE])
        for office in offices.order_by("-established_on"):
            office_delete(actor=None, office=office)
        # Unattached copies of the demo's documents would block their unique symbols.
        Document.objects.filter(symbol__in=[s for s, *_ in SYMBOLS], office=None).delete()

    def reference(self) -> None:
        places_load_tajikistan()
        for code, name, category, names in ACTIVITY_TYPES:
            self.types[code], _created = ActivityType.objects.update_or_create(
                code=code, defaults={"name": name, "category": category, "names": names}
            )
        for place in Place.objects.filter(code__startswith="TJ", level__lte=2):
            self.places[place.code if place.level < 2 else place.name] = place

    def place(self, key: str) -> Place:
        return self.places[key]

    def offices(self) -> Office:
        unmot = office_save(actor=None, office=Office(
            code=PREDECESSOR_CODE,
            name="United Nations Mission of Observers in Tajikistan",
            established_on=d("1999-11-12"),
            closed_on=d("2000-05-15"),
            source_kind=SourceKind.PUBLIC,
            source_note=(
                "SC/6750, 12 Nov 1999: mandate extended to 15 May 2000 by resolution 1274 "
                "(1999). Founding date not in our sources: 12 Nov 1999 is the earliest date "
                "on record here, entered because the field is required."
            ),
        ))
        self.office = office_save(actor=None, office=Office(
            code=OFFICE_CODE,
            name="United Nations Tajikistan Office of Peace-building",
            country="TJ",
            seat=self.place("TJ-DU"),
            established_on=d("2000-06-01"),
            closed_on=d("2007-07-31"),
            predecessor=unmot,
            successor_note=(
                "UN Regional Centre for Preventive Diplomacy for Central Asia, Ashgabat, "
                "announced to the Council on 7 May 2007 (S/2007/279)"
            ),
            source_kind=SourceKind.DOCUMENT,
            source_note=(
                "Established 1 June 2000 (S/2004/331); flag lowered in Dushanbe at the end of "
                "July 2007 (UN News, 2007-08)"
            ),
        ))
        self.unmot = unmot
        return self.office

    def documents(self) -> None:
        for symbol, key, title, kind, dated, issued, office, note in SYMBOLS:
            is_letter = key == "letter"
            doc = Document(
                office=self.unmot if office == PREDECESSOR_CODE else self.office,
                symbol=symbol, title=title, kind=kind,
                dated_on=d(dated) if dated else None,
                issued_on=d(issued) if issued else None,
                original_language="en",
                languages=["en", "zh"] if is_letter else ["en"],
                url=f"https://undocs.org/{symbol.replace(' ', '')}"
                if symbol.startswith("S/") else "",
                source_kind=SourceKind.DOCUMENT if is_letter else SourceKind.PUBLIC,
                source_note=note,
            )
            self.docs[key] = document_save(actor=None, document=doc)
        letter = self.docs["letter"]
        letter.source_document = letter
        document_save(actor=None, document=letter)
        # The offices were saved before their documents existed.
        self.office.source_document = letter
        office_save(actor=None, office=self.office)
        self.unmot.source_document = self.docs["SC/6750"]
        office_save(actor=None, office=self.unmot)
        for key, title, dated, note in NEWS:
            self.docs[key] = document_save(actor=None, document=Document(
                office=self.office, symbol="", title=title, kind=Document.Kind.NEWS,
                dated_on=d(dated) if dated else None, original_language="en",
                languages=["en"], source_kind=SourceKind.PUBLIC, source_note=note,
            ))

    def periods(self) -> None:
        rows = [
            ("2000-06-01", "2001-06-01", None, "",
             "Established with the Security Council's support after UNMOT withdrew",
             self.letter("S/2004/331; also UN News, 2001-05")),
            ("2001-06-01", "2002-06-01", None, "",
             "Secretary-General's letter of May 2001 (“important and very positive role”)",
             self.public("news-2001-05", "UN News, 2001-05")),
            ("2002-06-01", "2003-06-01", None, "",
             "Letter of May 2002; the Council President (Singapore) replied that members "
             "took note “with appreciation”",
             self.public("news-2002-05", "UN News, 2002-05")),
            ("2003-06-01", "2004-06-01", None, "",
             "Secretary-General's letter of May 2003, proposed by the Government",
             self.letter("S/2004/331 (“last May I decided…”); IRIN, 2003-06-06")),
            ("2004-06-01", "2005-06-01", "letter", "2004-04-23", "",
             self.letter("S/2004/331, dated 23 April 2004, issued 29 April 2004; the date "
                         "the Council took note is not on record; UN News, 2004-04")),
            ("2005-06-01", "2006-06-01", None, "", "Exchange of letters, May 2005",
             self.public("news-2005-05", "UN News, 2005-05")),
            ("2006-06-01", "2007-07-31", None, "",
             "Further extension; flag lowered in Dushanbe at the end of July 2007",
             self.public("news-2007-08", "UN News, 2007-08")),
        ]
        for starts, ends, doc, proposed, decided_by, source in rows:
            period_save(actor=None, period=MandatePeriod(
                office=self.office, starts_on=d(starts), ends_on=d(ends),
                decision=MandatePeriod.Decision.APPROVED,
                proposed_on=d(proposed) if proposed else None,
                document=self.docs[doc] if doc else None,
                decided_by=decided_by, **source.fields(),
            ))

    def heads(self) -> None:
        title = "Representative of the Secretary-General and Head of Office"
        save_audited(actor=None, before=None, instance=HeadOfOffice(
            office=self.office, name="Ivo Petrov", title=title,
            dates_note="Named in the Secretary-General's letters of May 2001 and May 2002",
            **self.public("news-2002-05", "UN News, 2001-05 and 2002-05").fields(),
        ))
        save_audited(actor=None, before=None, instance=HeadOfOffice(
            office=self.office, name="Vladimir Sotirov", title=title,
            ends_on=d("2007-07-31"),
            dates_note="Head from 2003 to the closure of the office (end of July 2007)",
            **self.public("news-2007-08", "UNTOP history (public sources): head from 2003 "
                          "to closure; UN News, 2007-08").fields(),
        ))

    def programme_rows(self) -> None:
        rows = [
            ("dialogue", "Dialogue and national reconciliation",
             "Political discussion clubs across the country, contacts with the parties to "
             "the 1997 General Agreement, recommendations to government and parliament."),
            ("democratic-institutions", "Democratic institutions and conflict prevention",
             "Training in conflict prevention and resolution for state officials, party "
             "staff and community leaders; training for media and press secretaries."),
            ("rule-of-law", "Rule of law",
             "Police adviser with the Ministry of the Interior, forensic training, "
             "humanitarian standards for law-enforcement officers, the draft militia law, "
             "reintegration of former combatants."),
            ("human-rights", "Human rights",
             "Treaty reporting, human-rights education for school teachers, the "
             "information and documentation centre, the human-rights thematic group."),
            ("youth", "Youth",
             "Conflict-prevention and human-rights education centres in former conflict "
             "areas and a resource centre in Dushanbe, for young people at risk of drug "
             "trafficking and political extremism."),
            ("elections", "Elections",
             "Support to the June 2003 constitutional referendum and the February 2005 "
             "parliamentary elections.\n\nBenchmark (S/2004/331): free and non-violent "
             "parliamentary elections in early 2005 — an important goal of the office and "
             "a marker of the achievement of its objectives. (Recorded here until "
             "programmes has a Benchmark model.)"),
        ]
        source = self.letter("The letter's lines of work; the grouping into programmes is "
                             "the demo's")
        for code, name, description in rows:
            programme = Programme(office=self.office, code=code, name=name,
                                  description=description, **source.fields())
            save_audited(actor=None, before=None, instance=programme)
            self.programmes[code] = programme

    def organisations(self) -> None:
        real_role = "Real organisation; its part in the demo's records is invented"
        fictional = "Fictional organisation invented for the demo"
        rows = [
            ("government", "Government of Tajikistan", "", Organisation.Kind.GOVERNMENT,
             self.letter()),
            ("moi", "Ministry of Internal Affairs", "MoI", Organisation.Kind.GOVERNMENT,
             self.letter("The police adviser works closely with the Ministry")),
            ("parliament", "Majlisi Oli (Parliament of Tajikistan)", "",
             Organisation.Kind.GOVERNMENT,
             self.letter("Recommendations on two laws were submitted to parliament")),
            ("ccer", "Central Commission on Elections and Referenda", "CCER",
             Organisation.Kind.GOVERNMENT,
             self.letter("Central and local election commissions (June 2003 referendum); "
                         "the commission's name is public record")),
            ("uncountry", "United Nations country team", "UNCT", Organisation.Kind.UN,
             self.letter("Coordinated through the human-rights thematic group")),
            ("ead", "UN Department of Political Affairs, Electoral Assistance Division",
             "DPA/EAD", Organisation.Kind.UN,
             self.letter("Led the April 2004 needs-assessment mission")),
            ("uto", "United Tajik Opposition", "UTO", Organisation.Kind.OTHER,
             self.public("SC/6417", "SC/6417, 12 Sep 1997: party to the General Agreement")),
            ("undp", "United Nations Development Programme", "UNDP", Organisation.Kind.UN,
             self.invented(real_role)),
            ("ohchr", "Office of the UN High Commissioner for Human Rights", "OHCHR",
             Organisation.Kind.UN, self.invented(real_role)),
            ("osce", "OSCE Centre in Dushanbe", "OSCE", Organisation.Kind.INTERNATIONAL,
             self.invented(real_role)),
            ("ec", "European Commission", "EC", Organisation.Kind.DONOR,
             self.invented(real_role)),
            ("sdc", "Swiss Agency for Development and Cooperation", "SDC",
             Organisation.Kind.DONOR, self.invented(real_role)),
            ("pdpt", "People's Democratic Party of Tajikistan", "PDPT",
             Organisation.Kind.PARTY, self.invented(real_role)),
            ("irpt", "Islamic Renaissance Party of Tajikistan", "IRPT",
             Organisation.Kind.PARTY, self.invented(real_role)),
            ("cpt", "Communist Party of Tajikistan", "CPT", Organisation.Kind.PARTY,
             self.invented(real_role)),
            ("dpt", "Democratic Party of Tajikistan", "DPT", Organisation.Kind.PARTY,
             self.invented(real_role)),
            ("sdpt", "Social Democratic Party of Tajikistan", "SDPT",
             Organisation.Kind.PARTY, self.invented(real_role)),
            ("khovar", "Khovar National Information Agency", "Khovar",
             Organisation.Kind.MEDIA, self.invented(real_role)),
            ("ngo-bokhtar", "Bridges of Bokhtar Youth Association", "",
             Organisation.Kind.NGO, self.invented(fictional)),
            ("ngo-kulob", "Kulob Harmony Circle", "", Organisation.Kind.NGO,
             self.invented(fictional)),
            ("ngo-rasht", "Rasht Valley Young Citizens", "", Organisation.Kind.NGO,
             self.invented(fictional)),
            ("ngo-pamir", "Pamir Peace Teachers' Circle", "", Organisation.Kind.NGO,
             self.invented(fictional)),
            ("ngo-dushanbe", "Dushanbe Youth Resource Network", "", Organisation.Kind.NGO,
             self.invented(fictional)),
            ("media-fictional", "Sadoi Dialog Weekly", "", Organisation.Kind.MEDIA,
             self.invented(fictional)),
        ]
        for key, name, acronym, kind, source in rows:
            self.orgs[key] = organisation_save(actor=None, organisation=Organisation(
                office=self.office, name=name, acronym=acronym, kind=kind,
                country="" if kind in {Organisation.Kind.UN, Organisation.Kind.INTERNATIONAL,
                                       Organisation.Kind.DONOR} else "TJ",
                **source.fields(),
            ))

    def group(self) -> None:
        group = Group(
            office=self.office, name="Human-rights thematic group",
            purpose="Coordinates the human-rights activities of the UN country team, "
                    "donors and international organisations.",
            chaired_by_office=True,
            **self.letter("The office coordinates through its human-rights thematic "
                          "group").fields(),
        )
        save_audited(actor=None, before=None, instance=group)
        group.members.set([self.orgs[k] for k in ("uncountry", "undp", "ohchr", "osce", "ec",
                                                  "sdc")])
        meetings = [
            ("2003-07-16", "Exchange on treaty reporting; who supports which report."),
            ("2003-10-15", "Human-rights education in schools: plans for the teacher "
                           "trainings."),
            ("2004-01-21", "Monitoring of politically sensitive cases; joint messages to "
                           "the authorities."),
            ("2004-04-14", "Preparing human-rights input to the electoral needs "
                           "assessment."),
        ]
        for held, summary in meetings:
            save_audited(actor=None, before=None, instance=GroupMeeting(
                group=group, held_on=d(held), summary=summary,
                **self.invented("Meeting dates and summaries invented; the group is in "
                                "S/2004/331").fields(),
            ))

    def centres(self) -> dict[str, Centre]:
        centres: dict[str, Centre] = {}
        rows = [
            ("hr-doc", "Human-rights information and documentation centre",
             Centre.Kind.DOCUMENTATION, "TJ-DU", None, "human-rights", "2002-09-02",
             self.letter("Hosted by the office in the capital; opening date invented")),
            ("edu-bokhtar", "Conflict-prevention and human-rights education centre, Bokhtar",
             Centre.Kind.EDUCATION, "Bokhtar", "ngo-bokhtar", "youth", "2003-09-01",
             self.invented("The letter reports four centres in former conflict areas with "
                           "local NGOs; place, partner and date invented")),
            ("edu-kulob", "Conflict-prevention and human-rights education centre, Kulob",
             Centre.Kind.EDUCATION, "Kulob", "ngo-kulob", "youth", "2003-10-01",
             self.invented("The letter reports four centres in former conflict areas with "
                           "local NGOs; place, partner and date invented")),
            ("edu-rasht", "Conflict-prevention and human-rights education centre, Rasht",
             Centre.Kind.EDUCATION, "Rasht", "ngo-rasht", "youth", "2003-11-03",
             self.invented("The letter reports four centres in former conflict areas with "
                           "local NGOs; place, partner and date invented")),
            ("edu-khorog", "Conflict-prevention and human-rights education centre, Khorog",
             Centre.Kind.EDUCATION, "Shughnon", "ngo-pamir", "youth", "2003-12-01",
             self.invented("The letter reports four centres in former conflict areas with "
                           "local NGOs; place, partner and date invented")),
            ("resource", "Youth resource centre, Dushanbe", Centre.Kind.RESOURCE, "TJ-DU",
             "ngo-dushanbe", "youth", "2004-02-02",
             self.invented("The letter reports a resource centre in Dushanbe; partner, "
                           "name and date invented")),
        ]
        for key, name, kind, place, partner, programme, opened, source in rows:
            centres[key] = centre_save(actor=None, centre=Centre(
                office=self.office, name=name, kind=kind, place=self.place(place),
                partner=self.orgs[partner] if partner else None,
                programme=self.programmes[programme], opened_on=d(opened),
                **source.fields(),
            ))
        return centres

    def activity(self, *, type: str, programme: str, title: str, starts: str,
                 ends: str | None = None, place: str | Place | None = None, source: Source,
                 total: int | None = None, mix: dict[str, int] | None = None,
                 women: int = 30, partners: Iterable[str] = (), **fields: Any) -> Activity:
        attendance = breakdown(total, mix, women) if total is not None and mix else None
        return activity_create(
            actor=None, office=self.office, attendance=attendance,
            partners=[self.orgs[k] for k in partners],
            type=self.types[type], programme=self.programmes[programme], title=title,
            starts_on=d(starts), ends_on=d(ends or starts),
            place=self.place(place) if isinstance(place, str) else place,
            participants_total=total,
            **source.fields(), **fields,
        )

    def activities_2000_2003(self) -> None:
        src = self.invented("UN News 2001-05 and 2002-05 report discussion-club meetings "
                            "with officials, parties, civil society and media; dates, places "
                            "and numbers invented", doc="news-2001-05")
        mix = {"central_government": 20, "local_administration": 25, "party": 25,
               "civil_society": 20, "journalist": 10}
        for starts, place, total, theme in [
            ("2001-03-15", "TJ-DU", 64, "the role of political parties after the peace "
                                        "agreement"),
            ("2001-10-18", "Bokhtar", 72, "local government and citizens"),
            ("2002-03-21", "Ghafurov", 81, "economic recovery and political stability"),
        ]:
            self.activity(type="discussion-club", programme="dialogue", starts=starts,
                          place=place, title=f"Political discussion club: {theme}",
                          total=total, mix=mix, women=25, source=src,
                          partners=["government", "pdpt", "irpt"])
        self.activity(
            type="recommendations", programme="dialogue", starts="2001-11-20",
            title="Discussion-club recommendations brought to the Government",
            follow_up="Several recommendations implemented (UN News, 2002-05).",
            source=self.public("news-2002-05", "UN News, 2001-05 and 2002-05; date "
                               "invented"), partners=["government"])
        self.activity(
            type="coordination-meeting", programme="dialogue", starts="2001-09-12",
            place="TJ-DU",
            title="Support to mobilising international resources for recovery",
            source=self.public("news-2001-05", "UN News, 2001-05; date invented"),
            partners=["uncountry", "undp", "ec"])
        self.activity(
            type="reintegration", programme="rule-of-law", starts="2001-06-01",
            ends="2002-05-31",
            title="Employment and retraining of former irregular fighters",
            source=self.public("news-2002-05", "UN News, 2001-05 and 2002-05; dates span "
                               "the mandate year"), partners=["government", "undp"])

    def activities_seed_year(self, centres: dict[str, Centre]) -> None:
        # 11 discussion-club meetings, more than 1,300 participants, in all regions.
        clubs = [
            ("2003-06-18", "TJ-DU", 118, "political pluralism in Tajikistan"),
            ("2003-07-10", "Ghafurov", 124, "democratisation and local government"),
            ("2003-08-14", "Bokhtar", 109, "consolidating peace in the former conflict "
                                           "areas"),
            ("2003-09-11", "Shughnon", 131, "political pluralism and the role of parties"),
            ("2003-10-09", "Rasht", 115, "consolidating peace: the view from Rasht"),
            ("2003-11-13", "Kulob", 127, "reform of the law on local governance"),
            ("2003-12-11", "TJ-DU", 112, "reform of the law on parliamentary elections"),
            ("2004-01-22", "Istaravshan", 121, "accountability and transparency of local "
                                               "government"),
            ("2004-02-19", "Vahdat", 119, "partnership between state and civil society"),
            ("2004-03-18", "Vakhsh", 122, "political tolerance and dialogue"),
            ("2004-04-15", "Panjakent", 120, "preparing for the 2005 parliamentary "
                                             "elections"),
        ]
        src = self.invented("S/2004/331: 11 meetings, more than 1,300 participants, in all "
                            "regions; dates, places and each meeting's numbers invented")
        parties = ["pdpt", "irpt", "cpt", "dpt", "sdpt"]
        for i, (starts, place, total, theme) in enumerate(clubs):
            self.activity(
                type="discussion-club", programme="dialogue", starts=starts, place=place,
                title=f"Political discussion club: {theme}", total=total, mix=CLUB_MIX,
                women=28, source=src,
                partners=["government", parties[i % 5], parties[(i + 2) % 5]],
                description="Officials of central government and local administration, "
                            "party leaders and civil society.",
            )
        self.activity(
            type="election-support", programme="elections", starts="2003-06-01",
            ends="2003-06-30",
            title="Support to party representation in election commissions for the "
                  "constitutional referendum",
            description="For the first time, party representatives, including the "
                        "opposition, sat on central and local election commissions.",
            source=self.letter("June 2003 (S/2004/331); days within the month not known"),
            partners=["ccer", "irpt", "dpt", "sdpt", "cpt"])
        for starts, law in [("2003-12-18", "the law on local governance"),
                            ("2004-02-26", "the law on parliamentary elections")]:
            self.activity(
                type="recommendations", programme="dialogue", starts=starts,
                title=f"Discussion-club recommendations on reform of {law}",
                follow_up="Specific recommendations submitted to parliament.",
                source=self.letter("S/2004/331; date invented"),
                partners=["parliament"])
        self.activity(
            type="advisory", programme="dialogue", starts="2003-06-01", ends="2004-04-22",
            title="Contacts with the parties to the 1997 General Agreement",
            description="Close contact with the parties to support political compromise, "
                        "dialogue and fragile trust.",
            source=self.letter("S/2004/331; dates span the year"),
            partners=["government", "irpt", "uto"])
        # October 2003: conflict prevention and resolution, 90 trained.
        src = self.invented("S/2004/331: a series in October 2003, 90 trained; split over "
                            "three courses, places and breakdown invented")
        mix = {"central_government": 35, "party": 35, "community_leader": 30}
        for starts, ends, place, total in [("2003-10-06", "2003-10-08", "TJ-DU", 32),
                                           ("2003-10-14", "2003-10-16", "Bokhtar", 28),
                                           ("2003-10-21", "2003-10-23", "Ghafurov", 30)]:
            self.activity(
                type="training", programme="democratic-institutions", starts=starts,
                ends=ends, place=place,
                title="Training course in conflict prevention and resolution",
                description="Strategies for resolving potentially explosive local issues.",
                total=total, mix=mix, women=25, source=src,
                partners=["government", "pdpt", "irpt", "sdpt"])
        self.activity(
            type="media-training", programme="democratic-institutions", starts="2003-11-25",
            ends="2003-11-27", place="TJ-DU",
            title="Training for media representatives and press secretaries of key "
                  "government bodies",
            description="Similar issues to the conflict-prevention courses. The letter "
                        "gives no number of participants.",
            source=self.letter("S/2004/331; dates invented"),
            partners=["khovar", "media-fictional", "government"])
        # Rule of law.
        self.activity(
            type="advisory", programme="rule-of-law", starts="2003-06-01", ends="2004-04-22",
            place="TJ-DU", title="Police adviser to the Ministry of Internal Affairs",
            description="Close work with the Ministry on the transition to peacetime "
                        "policing.",
            source=self.letter("S/2004/331; dates span the year"), partners=["moi"])
        self.activity(
            type="training", programme="rule-of-law", starts="2003-09-15",
            ends="2003-09-26", place="TJ-DU",
            title="Forensic training and technical assistance",
            source=self.letter("S/2004/331; dates invented, no number given"),
            partners=["moi"])
        self.activity(
            type="training", programme="rule-of-law", starts="2004-02-09",
            ends="2004-02-13", place="TJ-DU",
            title="Training of law-enforcement officers in humanitarian standards",
            source=self.letter("S/2004/331; dates invented, no number given"),
            partners=["moi"])
        self.activity(
            type="roundtable", programme="rule-of-law", starts="2004-03-04", place="TJ-DU",
            title="Roundtable on the draft “Militia law”",
            follow_up="Provisions drafted in line with the relevant international legal "
                      "norms.",
            source=self.letter("S/2004/331; date invented"), partners=["moi", "parliament"])
        self.activity(
            type="reintegration", programme="rule-of-law", starts="2003-06-01",
            ends="2004-04-22", title="Support to the reintegration of former combatants",
            source=self.letter("S/2004/331; dates span the year"),
            partners=["government", "undp"])
        # Human rights.
        self.activity(
            type="advisory", programme="human-rights", starts="2003-06-01", ends="2004-04-22",
            place="TJ-DU", title="Treaty-reporting project",
            description="Helping the State meet its international human-rights obligations "
                        "through better legislation and policy.",
            source=self.letter("S/2004/331; dates span the year"),
            partners=["government", "ohchr"])
        src = self.invented("S/2004/331: about 200 school teachers trained; four courses, "
                            "places and breakdown invented")
        for starts, ends, place, total in [("2003-09-22", "2003-09-26", "TJ-DU", 48),
                                           ("2003-11-24", "2003-11-28", "Ghafurov", 52),
                                           ("2004-01-26", "2004-01-30", "Bokhtar", 50),
                                           ("2004-03-22", "2004-03-26", "Shughnon", 48)]:
            self.activity(
                type="training", programme="human-rights", starts=starts, ends=ends,
                place=place, title="Human-rights education for school teachers",
                total=total, mix={"teacher": 1}, women=55, source=src,
                partners=["ngo-pamir"] if place == "Shughnon" else [])
        # Youth: one session per centre.
        src = self.invented("The letter reports the centres' work with young people; these "
                            "sessions and their numbers are invented")
        for key, partner, starts, total in [
            ("edu-bokhtar", "ngo-bokhtar", "2003-10-20", 34),
            ("edu-kulob", "ngo-kulob", "2003-11-17", 28),
            ("edu-rasht", "ngo-rasht", "2004-01-19", 31),
            ("edu-khorog", "ngo-pamir", "2004-02-16", 26),
            ("resource", "ngo-dushanbe", "2004-03-15", 40),
        ]:
            centre = centres[key]
            self.activity(
                type="centre-session", programme="youth", starts=starts, place=centre.place,
                centre=centre, title=f"Youth session on conflict prevention: {centre.name}",
                total=total, mix={"youth": 1}, women=45, source=src, partners=[partner])
        # Elections.
        self.activity(
            type="assessment-mission", programme="elections", starts="2004-04-05",
            ends="2004-04-16", place="TJ-DU",
            title="Electoral needs-assessment mission led by the DPA Electoral Assistance "
                  "Division",
            description="At the Government's request, ahead of the 2005 parliamentary "
                        "elections: transparency and credibility of the elections, "
                        "democratisation within the peacebuilding framework.",
            source=self.letter("April 2004 (S/2004/331); days within the month invented"),
            partners=["ead", "government", "ccer"])

    def activities_2004_2005(self) -> None:
        src = self.invented("UN News, 2005-05: sessions across the country with more than "
                            "1,000 participants; dates, places and numbers invented",
                            doc="news-2005-05")
        parties = ["pdpt", "irpt", "cpt", "dpt", "sdpt"]
        for i, (starts, place, total) in enumerate([
            ("2004-06-24", "TJ-DU", 128), ("2004-08-19", "Ghafurov", 134),
            ("2004-09-23", "Kulob", 121), ("2004-10-21", "Rasht", 137),
            ("2004-11-18", "Shughnon", 126), ("2005-01-20", "Bokhtar", 133),
            ("2005-03-17", "Istaravshan", 129), ("2005-04-14", "TJ-DU", 138),
        ]):
            self.activity(
                type="discussion-club", programme="dialogue", starts=starts, place=place,
                title="Political discussion club: the parliamentary elections and after",
                total=total, mix=CLUB_MIX, women=30, source=src,
                partners=["government", parties[i % 5]])
        src = self.invented("UN News, 2005-05: more than 250 media representatives trained "
                            "in electoral procedures and law; split and dates invented",
                            doc="news-2005-05")
        for starts, ends, place, total in [("2004-11-15", "2004-11-17", "TJ-DU", 130),
                                           ("2005-01-18", "2005-01-20", "Ghafurov", 122)]:
            self.activity(
                type="media-training", programme="elections", starts=starts, ends=ends,
                place=place, title="Media training in electoral procedures and law",
                total=total, mix={"journalist": 1}, women=35, source=src,
                partners=["khovar", "media-fictional"])
        src = self.invented("UN News, 2005-05: 300 district election commissioners in 41 "
                            "electoral districts; split and dates invented",
                            doc="news-2005-05")
        for starts, ends, place, total in [("2004-12-06", "2004-12-08", "TJ-DU", 104),
                                           ("2004-12-13", "2004-12-15", "Ghafurov", 98),
                                           ("2004-12-20", "2004-12-22", "Bokhtar", 98)]:
            self.activity(
                type="training", programme="elections", starts=starts, ends=ends,
                place=place, title="Training of district election commissioners",
                description="Part of the training of the district election commissions of "
                            "all 41 electoral districts.",
                total=total, mix={"election_official": 1}, women=20, source=src,
                partners=["ccer"])
        src = self.invented("UN News, 2005-05: 13,000 poll workers trained; split by region "
                            "and dates invented", doc="news-2005-05")
        for starts, ends, place, total in [("2005-01-10", "2005-02-20", "TJ-DU", 1400),
                                           ("2005-01-10", "2005-02-20", "TJ-SU", 4200),
                                           ("2005-01-10", "2005-02-20", "TJ-KT", 4600),
                                           ("2005-01-17", "2005-02-20", "TJ-GB", 600),
                                           ("2005-01-17", "2005-02-20", "TJ-RA", 2200)]:
            region = self.place(place)
            self.activity(
                type="training", programme="elections", starts=starts, ends=ends,
                place=place, title=f"Training of poll workers, {region.name}",
                description="Polling-station staff for the February 2005 parliamentary "
                            "elections.",
                total=total, mix={"election_official": 1}, women=40, source=src,
                partners=["ccer"])
        self.activity(
            type="training", programme="rule-of-law", starts="2004-10-11", ends="2004-10-22",
            place="TJ-DU",
            title="Ministry of the Interior staff: human-rights standards, forensic "
                  "techniques and modern law enforcement",
            source=self.public("news-2005-05", "UN News, 2005-05; dates invented, no number "
                               "given"), partners=["moi"])
        self.activity(
            type="advisory", programme="human-rights", starts="2004-06-01",
            ends="2005-04-30", place="TJ-DU",
            title="Help aligning national legislation with treaty obligations",
            source=self.public("news-2005-05", "UN News, 2005-05; dates span the year"),
            partners=["government", "parliament"])

    def users(self) -> list[tuple[str, str, str]]:
        rows = []
        hashed = make_password(PASSWORD)  # once: hashing is slow on purpose
        for username, (first, last, role) in DEMO_USERS.items():
            user, _created = User.objects.get_or_create(username=username)
            user.first_name, user.last_name = first, last
            user.email = f"{username}@demo.invalid"
            user.is_active = True
            user.is_staff = user.is_superuser = username == "admin"
            user.password = hashed
            user.save()
            membership = Membership.objects.create(user=user, office=self.office, role=role)
            if role == Role.PROGRAMME:
                membership.programmes.set([self.programmes["dialogue"],
                                           self.programmes["democratic-institutions"]])
            label = str(Role(role).label) + (" + superuser" if user.is_superuser else "")
            rows.append((username, label, f"{first} {last}"))
        return rows


# symbol, key, title, kind, dated, issued, office, source note
SYMBOLS: list[tuple[str, str, str, str, str, str, str, str]] = [
    (SEED_SYMBOL, "letter",
     "Letter dated 23 April 2004 from the Secretary-General addressed to the President "
     "of the Security Council", Document.Kind.LETTER, "2004-04-23", "2004-04-29", OFFICE_CODE,
     "Seed document: Chinese version, original English (shared/seed/000_4d0068a753fda69a.txt)"),
    ("S/2007/279", "S/2007/279",
     "Letter from the Secretary-General to the President of the Security Council on the UN "
     "Regional Centre for Preventive Diplomacy for Central Asia",
     Document.Kind.LETTER, "2007-05-07", "", OFFICE_CODE,
     "UNTOP history (public sources): announced to the Council on 7 May 2007; title "
     "descriptive, not the official one"),
    ("SC/6417", "SC/6417",
     "Security Council press release on the General Agreement on the Establishment of Peace "
     "and National Accord in Tajikistan", Document.Kind.PRESS_RELEASE, "1997-09-12", "",
     PREDECESSOR_CODE,
     "UNTOP history (public sources): agreement signed 27 June 1997 by the Government and "
     "the United Tajik Opposition; title descriptive"),
    ("SC/6750", "SC/6750",
     "Security Council press release on the extension of UNMOT to 15 May 2000",
     Document.Kind.PRESS_RELEASE, "1999-11-12", "", PREDECESSOR_CODE,
     "UNTOP history (public sources); title descriptive"),
    ("S/RES/1274 (1999)", "S/RES/1274",
     "Security Council resolution 1274 (1999) on the situation in Tajikistan",
     Document.Kind.RESOLUTION, "", "", PREDECESSOR_CODE,
     "UNTOP history: extended UNMOT to 15 May 2000 (SC/6750, 12 Nov 1999); date of "
     "adoption not in our sources"),
]

# key, title, date (blank when only the month is known), source note
NEWS: list[tuple[str, str, str, str]] = [
    ("news-2001-05", "UN News, May 2001: UNTOP extended to 1 June 2002", "",
     "UN News, 2001-05"),
    ("news-2002-05", "UN News, May 2002: UNTOP extended to 1 June 2003", "",
     "UN News, 2002-05"),
    ("irin-2003-06-06", "IRIN, 6 June 2003: UNTOP extended to 1 June 2004", "2003-06-06",
     "IRIN, 2003-06-06"),
    ("news-2004-04", "UN News, April 2004: UNTOP to be extended to 1 June 2005", "",
     "UN News, 2004-04"),
    ("news-2005-05", "UN News, May 2005: UNTOP extended to 1 June 2006", "",
     "UN News, 2005-05"),
    ("news-2007-08", "UN News, August 2007: UNTOP closes; flag lowered in Dushanbe", "",
     "UN News, 2007-08"),
]


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
        say("Programmes, partners, the human-rights thematic group, centres…")
        loader.programme_rows()
        loader.organisations()
        loader.group()
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
        "centres": office.centres.count(),
        "activities": office.activities.count(),
        "users": len(users),
    }
    return DemoSummary(office=office, counts=counts, users=users)

"""IATI 2.03 export of an office: one `<iati-activity>` per programme (docs/iati.md says
why), with its results computed now by the figures engine, checked against the official
schema and the IATI Standard's rules before it is offered.

`build(office)` gives the files (split below `MAX_FILE_BYTES`) and their report; `run` is
the exchange job's runner (`Job.Kind.IATI_EXPORT`).
"""

from __future__ import annotations

import datetime as dt
import io
import zipfile
from collections.abc import Callable, Iterable
from dataclasses import dataclass, replace
from decimal import Decimal
from typing import Any

from django.core.exceptions import ValidationError
from django.db.models import Max, Min
from django.utils import timezone
from django.utils.translation import gettext as _
from lxml import etree

from peacebuild.accounts.models import AuditEntry
from peacebuild.accounts.permissions import Actor, check_actor
from peacebuild.accounts.roles import Can
from peacebuild.activities.models import Activity
from peacebuild.figures import engine as figures
from peacebuild.mandates.models import Document, Office
from peacebuild.partners.models import Organisation
from peacebuild.places.models import Place
from peacebuild.programmes import periods, queries, rules
from peacebuild.programmes.models import Indicator, Programme

from ..jobs import JobFailed, Progress
from ..models import IatiActivity, IatiActualRow, Job
from .reader import Report, check_file

MAX_FILE_BYTES = 59_000_000  # below the IATI Registry's 60 MB, with room for the root
LANGUAGE = "en"  # the language of the records' own names and descriptions
XML_LANG = "{http://www.w3.org/XML/1998/namespace}lang"

MEASURES: dict[str, str] = {Indicator.Kind.COUNT: "1", Indicator.Kind.PERCENTAGE: "2",
            Indicator.Kind.YES_NO: "3", Indicator.Kind.QUALITATIVE: "5"}
ORG_TYPES: dict[str, str] = {Organisation.Kind.GOVERNMENT: "10", Organisation.Kind.NGO: "22",
             Organisation.Kind.UN: "40", Organisation.Kind.INTERNATIONAL: "40",
             Organisation.Kind.DONOR: "10", Organisation.Kind.PARTY: "90",
             Organisation.Kind.MEDIA: "70", Organisation.Kind.OTHER: "90"}
DOCUMENT_CATEGORIES: dict[str, str] = {Document.Kind.RESOLUTION: "A02", Document.Kind.REPORT: "A07",
                       Document.Kind.LETTER: "A07"}
# Attendance splits by these, each combination one <actual> beside the total.
DISAGGREGATE = ("sex", "category")


@dataclass
class Export:
    files: list[tuple[str, bytes]]
    report: Report
    activities: int


def _sub(parent: Any, tag: str, text: str | None = None, **attrs: str) -> Any:
    el = etree.SubElement(parent, tag, {k.replace("_", "-"): v for k, v in attrs.items()})
    if text is not None:
        el.text = text
    return el


def _narratives(parent: Any, tag: str, default: str, others: dict[str, str], **attrs: str
                ) -> Any:
    el = _sub(parent, tag, **attrs)
    _sub(el, "narrative", default.strip())
    for lang, text in sorted(others.items()):
        if text.strip() and lang != LANGUAGE:
            _sub(el, "narrative", text.strip()).set(XML_LANG, lang)
    return el


def number(value: Decimal | int) -> str:
    """10.00 → "10", 12.50 → "12.5"."""
    text = format(Decimal(value).normalize(), "f")
    return text


def identifier_of(office: Office, programme: Programme) -> str:
    record = getattr(programme, "iati", None)
    if isinstance(record, IatiActivity):
        return record.identifier
    return f"{office.iati_org_id}-{programme.code.upper()}"


def last_updated(office: Office) -> dt.datetime:
    """The last change to the office's records: results are computed from all of them."""
    at = AuditEntry.objects.filter(office=office).aggregate(at=Max("at"))["at"]
    return (at or timezone.now()).replace(microsecond=0)


def _status(start: dt.date, end: dt.date | None, today: dt.date) -> str:
    if start > today:
        return "1"  # pipeline
    if end is not None and end < today:
        return "4"  # closed
    return "2"  # implementation


def _span(office: Office, programme: Programme) -> tuple[dt.date, dt.date | None]:
    found = Activity.objects.filter(office=office, programme=programme).aggregate(
        first=Min("starts_on"), last=Max("ends_on"))
    start = programme.starts_on or found["first"] or office.established_on
    end = programme.ends_on or found["last"] or office.closed_on
    if end is not None and end < start:
        end = start
    return start, end


def _participating(office: Office, programme: Programme, kept: list[dict[str, Any]]
                   ) -> list[dict[str, Any]]:
    rows = [{"ref": office.iati_org_id, "role": "2", "type": "40", "name": office.name}]
    orgs = (Organisation.objects.filter(activities__programme=programme, office=office)
            .distinct().order_by("name"))
    for org in orgs:
        role = "1" if org.kind == Organisation.Kind.DONOR else "4"
        rows.append({"ref": "", "role": role, "type": ORG_TYPES.get(org.kind, "90"),
                     "name": str(org)})
    seen = {(r["ref"], r["role"], r["name"]) for r in rows}
    rows += [r for r in kept if (r.get("ref", ""), r.get("role", ""), r.get("name", ""))
             not in seen]
    return rows


def _locations(office: Office, programme: Programme, kept: list[dict[str, Any]]
               ) -> list[dict[str, Any]]:
    regions = Place.objects.filter(
        pk__in=Activity.objects.filter(office=office, programme=programme)
        .values("region")).order_by("code")
    rows = [{"ref": p.code, "name": p.name} for p in regions]
    refs = {r["ref"] for r in rows}
    return rows + [r for r in kept if r.get("ref") not in refs]


def _documents(office: Office, kept: list[dict[str, Any]]) -> list[dict[str, Any]]:
    docs = (Document.objects.filter(office=office, kind__in=DOCUMENT_CATEGORIES)
            .exclude(url="").order_by("dated_on", "id"))
    rows = []
    for d in docs:
        on = d.issued_on or d.dated_on
        rows.append({"url": d.url, "title": f"{d.symbol} {d.title}" if d.symbol else d.title,
                     "category": DOCUMENT_CATEGORIES[d.kind],
                     "date": on.isoformat() if on else ""})
    urls = {r["url"] for r in rows}
    return rows + [r for r in kept if r.get("url") not in urls]


def activity_element(office: Office, programme: Programme, *, today: dt.date,
                     updated: dt.datetime, codes: rules.Codes | None) -> Any:
    record = getattr(programme, "iati", None)
    kept: dict[str, Any] = record.kept if isinstance(record, IatiActivity) else {}
    when = record.last_updated if isinstance(record, IatiActivity) and record.last_updated \
        else updated
    act = etree.Element("iati-activity", {"last-updated-datetime": when.isoformat(),
                                          "hierarchy": "1"})
    act.set(XML_LANG, LANGUAGE)
    _sub(act, "iati-identifier", identifier_of(office, programme))
    org = _sub(act, "reporting-org", ref=office.iati_org_id, type="40")
    _sub(org, "narrative", office.name)
    _narratives(act, "title", programme.name, programme.names)
    # IATI requires a description; a programme without one is described by its name.
    _narratives(act, "description", programme.description.strip() or programme.name,
                programme.descriptions if programme.description.strip() else programme.names,
                type="1")
    for row in _participating(office, programme, kept.get("participating", [])):
        attrs = {"role": row["role"]}
        if row.get("ref"):
            attrs["ref"] = row["ref"]
        if row.get("type"):
            attrs["type"] = row["type"]
        el = _sub(act, "participating-org", **attrs)
        if row.get("name"):
            _sub(el, "narrative", row["name"])
    start, end = _span(office, programme)
    _sub(act, "activity-status", code=_status(start, end, today))
    _sub(act, "activity-date", iso_date=start.isoformat(), type="2" if start <= today else "1")
    if end is not None:
        _sub(act, "activity-date", iso_date=end.isoformat(), type="4" if end <= today else "3")
    _sub(act, "recipient-country", code=office.country.upper(), percentage="100")
    for row in _locations(office, programme, kept.get("locations", [])):
        loc = _sub(act, "location", ref=row["ref"])
        _sub(loc, "location-reach", code="1")
        name = _sub(loc, "name")
        _sub(name, "narrative", row["name"])
        _sub(loc, "location-class", code="1")
    sectors = kept.get("sectors") or [{"code": programme.dac_sector}]
    for row in sectors:
        attrs = {"vocabulary": row.get("vocabulary", "1"), "code": row["code"]}
        if len(sectors) > 1 and row.get("percentage"):
            attrs["percentage"] = row["percentage"]
        _sub(act, "sector", **attrs)
    for row in _documents(office, kept.get("documents", [])):
        link = _sub(act, "document-link", url=row["url"], format=row.get("format",
                                                                         "text/html"))
        title = _sub(link, "title")
        _sub(title, "narrative", row["title"])
        _sub(link, "category", code=row["category"])
        if row.get("date"):
            _sub(link, "document-date", iso_date=row["date"])
    _results(act, office, programme, codes)
    return act


def _period_of(office: Office, kind: str, key: str) -> periods.Period | None:
    try:
        return periods.resolve(office, kind, key)
    except ValidationError:
        return None  # a mandate year since withdrawn: nothing to say about it


def _results(act: Any, office: Office, programme: Programme, codes: rules.Codes | None
             ) -> None:
    for outcome in programme.outcomes.all():
        for output in outcome.outputs.all():
            indicators = list(output.indicators.all())
            if not indicators:
                continue  # IATI: a result has at least one indicator
            result = _sub(act, "result", type="1")
            _narratives(result, "title", str(output), {})
            _narratives(result, "description", str(outcome), {})
            for indicator in indicators:
                _indicator(result, office, indicator, codes)


def _indicator(result: Any, office: Office, indicator: Indicator, codes: rules.Codes | None
               ) -> None:
    measure = MEASURES[indicator.kind]
    el = _sub(result, "indicator", measure=measure,
              ascending="0" if indicator.direction == Indicator.Direction.DECREASE else "1")
    _narratives(el, "title", str(indicator), {})
    if indicator.unit:
        _narratives(el, "description", indicator.unit, {})
    if indicator.baseline_on or indicator.baseline_value is not None:
        on = indicator.baseline_on
        attrs = {"year": str(on.year if on else office.established_on.year)}
        if on:
            attrs["iso_date"] = on.isoformat()
        if indicator.baseline_value is not None and measure != "5":
            attrs["value"] = number(indicator.baseline_value)
        base = _sub(el, "baseline", **attrs)
        if indicator.baseline_source:
            comment = _sub(base, "comment")
            _sub(comment, "narrative", indicator.baseline_source)
    targets = {(t.period_kind, t.period_key): t for t in indicator.targets.all()}
    actuals = {(a.period_kind, a.period_key): a for a in indicator.actuals.all()}
    compiled = None
    if indicator.is_computed:
        try:
            compiled = rules.compile_rule(office, indicator.rule, codes)
        except ValidationError:
            compiled = None
    keys = sorted(targets.keys() | (set() if indicator.is_computed else actuals.keys()),
                  key=lambda k: (k[1], k[0]))
    for kind, key in keys:
        period = _period_of(office, kind, key)
        if period is None:
            continue
        per = _sub(el, "period")
        _sub(per, "period-start", iso_date=period.first.isoformat())
        _sub(per, "period-end", iso_date=period.last.isoformat())
        target = targets.get((kind, key))
        if target is not None:
            _value(per, "target", measure, target.value, target.text)
        if compiled is not None:
            for value, dims in computed_actuals(office, compiled, period):
                _value(per, "actual", measure, Decimal(value), "", dims)
        elif (kind, key) in actuals:
            actual = actuals[(kind, key)]
            _value(per, "actual", measure, actual.value, actual.text)
            rows: Iterable[IatiActualRow] = actual.iati_rows.all()
            for row in rows:
                _value(per, "actual", measure, row.value, "",
                       [(str(n), str(v)) for n, v in row.dimensions])


def computed_actuals(office: Office, rule: rules.CompiledRule, period: periods.Period
                     ) -> list[tuple[int, list[tuple[str, str]]]]:
    """The total, then one value per combination of the disaggregating dimensions (only
    the non-zero ones), as the figures engine computes them now."""
    total = rules.evaluate(office, rule, period).total.value
    if total is None:
        return []
    out: list[tuple[int, list[tuple[str, str]]]] = [(total, [])]
    if rule.measure != "attendance":
        return out
    by = tuple(rule.by) + tuple(d for d in DISAGGREGATE if d not in rule.by)
    flt = replace(rule.filters, date_from=period.first, date_to=period.last)
    result = figures.compute(office, figures.FigureQuery("attendance", flt, by))
    for row in result.rows:
        if row.value:
            out.append((row.value, [(d, str(k)) for d, k in row.breakdown.items()]))
    return out


def _value(parent: Any, tag: str, measure: str, value: Decimal | None, text: str,
           dims: list[tuple[str, str]] | None = None) -> None:
    attrs = {}
    if measure != "5" and value is not None:
        attrs["value"] = number(value)
    el = _sub(parent, tag, **attrs)
    for name, key in dims or []:
        _sub(el, "dimension", name=name, value=key)
    if text.strip():
        comment = _sub(el, "comment")
        _sub(comment, "narrative", text.strip())


def _file(activities: list[bytes], generated: str) -> bytes:
    head = (f'<?xml version="1.0" encoding="UTF-8"?>\n<iati-activities version="2.03" '
            f'generated-datetime="{generated}">\n').encode()
    return head + b"".join(activities) + b"</iati-activities>\n"


def build(office: Office, *, today: dt.date | None = None,
          max_bytes: int = MAX_FILE_BYTES,
          progress: Callable[[int, int], None] | None = None) -> Export:
    """The office's IATI files and the check of each (`report.ok` when all pass)."""
    if not office.iati_org_id:
        raise JobFailed(_("This office has no IATI organisation identifier yet; an "
                          "administrator enters it on the office (for example XM-DAC-41114) "
                          "before the office can publish to IATI."))
    today = today or office.today()
    updated = last_updated(office)
    programmes = list(queries.framework(office).select_related("iati"))
    codes = rules.Codes.of(office)
    parts: list[list[bytes]] = [[]]
    size = 0
    for n, programme in enumerate(programmes, start=1):
        el = activity_element(office, programme, today=today, updated=updated, codes=codes)
        data = etree.tostring(el, encoding="UTF-8", pretty_print=True)
        if parts[-1] and size + len(data) > max_bytes:
            parts.append([])
            size = 0
        parts[-1].append(data)
        size += len(data)
        if progress is not None:
            progress(n, len(programmes))
    generated = timezone.now().replace(microsecond=0).isoformat()
    stem = f"{office.code}-iati"
    files = [(f"{stem}.xml" if len(parts) == 1 else f"{stem}-{i}.xml", _file(part, generated))
             for i, part in enumerate(parts, start=1)]
    report = Report()
    for _name, data in files:
        part = check_file(io.BytesIO(data), today=today)
        for problem in part.problems:
            report.add(problem)
        for severity, count in part.counts.items():
            # add() counted the kept problems; count the rest that a big file may have
            report.counts[severity] += count - sum(1 for p in part.problems
                                                    if p.severity == severity)
        report.activities += part.activities
    return Export(files, report, len(programmes))


def bundle(files: list[tuple[str, bytes]]) -> tuple[str, bytes]:
    """One file as it is; several in a zip."""
    if len(files) == 1:
        return files[0]
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w", zipfile.ZIP_DEFLATED) as zf:
        for name, data in files:
            zf.writestr(name, data)
    return files[0][0].rsplit("-", 1)[0] + ".zip", buf.getvalue()


def run(job: Job, actor: Actor, progress: Progress) -> None:
    office = job.office
    check_actor(actor, office, Can.VIEW_RECORDS)
    progress(0, 0, _("Computing the results…"), force=True)
    export = build(office, progress=lambda done, total: progress(done, total))
    job.report = {"validation": export.report.as_dict(), "activities": export.activities,
                  "files": [{"name": n, "bytes": len(d)} for n, d in export.files],
                  "summary": [_("IATI activities: %(n)s; files: %(files)s; errors: "
                                "%(errors)s; warnings: %(warnings)s.")
                              % {"n": export.activities, "files": len(export.files),
                                 "errors": export.report.counts["error"]
                                 + export.report.counts["critical"],
                                 "warnings": export.report.counts["warning"]}]}
    if not export.report.ok:
        first = next(p for p in export.report.problems if p.severity in ("critical", "error"))
        raise JobFailed(_("The file does not pass the IATI checks, so it is not offered: "
                          "%(id)s %(message)s (%(activity)s)")
                        % {"id": first.id, "message": first.message, "activity": first.activity})
    job.output_name, data = bundle(export.files)
    job.output = data
    progress(export.activities, export.activities, _("Checked: the file passes the IATI "
                                                     "schema and rules."), force=True)

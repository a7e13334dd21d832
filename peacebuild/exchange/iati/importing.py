"""IATI 2.03 import: other publishers' activities (or an office's own export) into an
office's programmes and results frameworks, streamed, all or nothing.

An `<iati-activity>` becomes a programme (matched by its `iati-identifier`), its results
an outcome → output → indicator framework with targets and entered actuals marked as
coming from IATI, the disaggregated actuals kept beside them. What Peacebuild has no
record for (other organisations, locations, document links, other sectors) is kept with
the programme's IATI record, so that exporting it again says the same (docs/iati.md).

One code path for both runs: a dry run imports inside a transaction and rolls it back, so
what it says would be created, updated or left is exactly what the commit does; the commit
applies exactly the dry run's file (same SHA-256) in one transaction: a failure anywhere
leaves the database as it was.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import re
from collections.abc import Callable
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation
from pathlib import Path
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.text import slugify
from django.utils.translation import gettext as _

from peacebuild.accounts.audit import record_many, snapshot
from peacebuild.accounts.models import AuditEntry
from peacebuild.accounts.permissions import Actor, check_actor
from peacebuild.accounts.roles import Can
from peacebuild.mandates.models import Office, SourceKind
from peacebuild.programmes import periods, services
from peacebuild.programmes.models import (
    Actual,
    DacSector,
    Indicator,
    Outcome,
    Output,
    PeriodKind,
    Programme,
    Target,
)

from ..jobs import JobFailed, Progress, still_mine
from ..models import IatiActivity, IatiActualRow, Job
from . import reader
from .exporting import LANGUAGE, XML_LANG, identifier_of

MAX_FILE_BYTES = 2_000_000_000
LISTED = 200  # identifiers listed per heading in a report; counts are complete
CODE_RE = re.compile(r"^(\d+(?:\.\d+)*)\s+(.+)$", re.S)
KINDS = {"1": Indicator.Kind.COUNT, "2": Indicator.Kind.PERCENTAGE, "3": Indicator.Kind.YES_NO,
         "4": Indicator.Kind.COUNT, "5": Indicator.Kind.QUALITATIVE}


class _DryRun(Exception):
    """Raised at the end of a dry run to roll its transaction back."""


@dataclass
class Plan:
    created: list[str] = field(default_factory=list)
    updated: list[str] = field(default_factory=list)
    left: list[tuple[str, str]] = field(default_factory=list)
    counts: dict[str, int] = field(default_factory=lambda: {"created": 0, "updated": 0,
                                                            "left": 0})
    warnings: list[str] = field(default_factory=list)

    def note(self, what: str, identifier: str, reason: str = "") -> None:
        self.counts[what] += 1
        if what == "left":
            if len(self.left) < LISTED:
                self.left.append((identifier, reason))
        else:
            target = self.created if what == "created" else self.updated
            if len(target) < LISTED:
                target.append(identifier)

    def as_dict(self) -> dict[str, Any]:
        return {"counts": dict(self.counts), "created": self.created, "updated": self.updated,
                "left": [{"activity": a, "reason": r} for a, r in self.left],
                "warnings": self.warnings[:LISTED]}


# ---------------------------------------------------------------------------------------
# Reading one activity


def _lang(el: Any, default: str) -> str:
    return str(el.get(XML_LANG) or default).lower()


def narratives(el: Any, default: str) -> dict[str, str]:
    """{language: text} of an element's narratives (the first per language)."""
    out: dict[str, str] = {}
    if el is None:
        return out
    for n in el.findall("narrative"):
        text = (n.text or "").strip()
        if text:
            out.setdefault(_lang(n, default), text)
    return out


def _main(texts: dict[str, str]) -> tuple[str, dict[str, str]]:
    """The text in Peacebuild's language (else the first), and the others by language."""
    if not texts:
        return "", {}
    lang = LANGUAGE if LANGUAGE in texts else next(iter(texts))
    return texts[lang], {k: v for k, v in texts.items() if k != lang}


def _date(text: str | None) -> dt.date | None:
    try:
        return dt.date.fromisoformat((text or "").strip()[:10])
    except ValueError:
        return None


def _datetime(text: str | None) -> dt.datetime | None:
    try:
        when = dt.datetime.fromisoformat((text or "").strip().replace("Z", "+00:00"))
    except ValueError:
        return None
    return when if when.tzinfo else when.replace(tzinfo=dt.UTC)


def _decimal(text: str | None) -> Decimal | None:
    try:
        value = Decimal((text or "").strip())
    except InvalidOperation:
        return None
    return value if value.is_finite() else None


def _coded(text: str, fallback: str) -> tuple[str, str]:
    """"1.2 Title" → ("1.2", "Title"); a title without a number takes `fallback`."""
    match = CODE_RE.match(text.strip())
    if match:
        return match.group(1)[:20], match.group(2).strip()
    return fallback, text.strip()


def _values(el: Any, default: str) -> list[dict[str, Any]]:
    out = []
    for value in el:
        comment = narratives(value.find("comment"), default)
        out.append({"value": _decimal(value.get("value")),
                    "text": _main(comment)[0],
                    "dims": [[d.get("name", ""), d.get("value", "")]
                             for d in value.findall("dimension")]})
    return out


def _attr(el: Any, child: str, name: str, default: str = "") -> str:
    found = el.find(child)
    return str(found.get(name, default)) if found is not None else default


def read_activity(el: Any, default_lang: str) -> dict[str, Any]:
    """What Peacebuild takes from one activity element (before the element is cleared)."""
    lang = _lang(el, default_lang)
    dates = {d.get("type"): _date(d.get("iso-date")) for d in el.findall("activity-date")}
    description = el.find("description[@type='1']")
    if description is None:
        description = el.find("description")
    results = []
    for r_no, result in enumerate(el.findall("result"), start=1):
        indicators = []
        for i_no, ind in enumerate(result.findall("indicator"), start=1):
            base = ind.find("baseline")
            periods_ = []
            for per in ind.findall("period"):
                periods_.append({
                    "start": _date(_attr(per, "period-start", "iso-date")),
                    "end": _date(_attr(per, "period-end", "iso-date")),
                    "targets": _values(per.findall("target"), lang),
                    "actuals": _values(per.findall("actual"), lang)})
            indicators.append({
                "title": _main(narratives(ind.find("title"), lang))[0],
                "unit": _main(narratives(ind.find("description"), lang))[0],
                "measure": ind.get("measure", "1"), "number": i_no,
                "ascending": ind.get("ascending", "1"),
                "baseline": None if base is None else {
                    "year": base.get("year"), "on": _date(base.get("iso-date")),
                    "value": _decimal(base.get("value")),
                    "comment": _main(narratives(base.find("comment"), lang))[0]},
                "periods": periods_})
        results.append({"title": _main(narratives(result.find("title"), lang))[0],
                        "outcome": _main(narratives(result.find("description"), lang))[0],
                        "number": r_no, "indicators": indicators})
    return {
        "identifier": (el.findtext("iati-identifier") or "").strip(),
        "reporting_ref": _attr(el, "reporting-org", "ref").strip(),
        "last_updated": _datetime(el.get("last-updated-datetime")),
        "titles": narratives(el.find("title"), lang),
        "descriptions": narratives(description, lang),
        "start": dates.get("2") or dates.get("1"),
        "end": dates.get("4") or dates.get("3"),
        "participating": [
            {"ref": (p.get("ref") or "").strip(), "role": p.get("role", ""),
             "type": p.get("type", ""), "name": _main(narratives(p, lang))[0]}
            for p in el.findall("participating-org")],
        "locations": [
            {"ref": (loc.get("ref") or "").strip(),
             "name": _main(narratives(loc.find("name"), lang))[0]}
            for loc in el.findall("location") if loc.get("ref")],
        "sectors": [{k: v for k, v in (("vocabulary", s.get("vocabulary", "1")),
                                       ("code", s.get("code", "")),
                                       ("percentage", s.get("percentage", ""))) if v}
                    for s in el.findall("sector") if s.get("code")],
        "documents": [
            {"url": d.get("url", ""), "format": d.get("format", "text/html"),
             "title": _main(narratives(d.find("title"), lang))[0],
             "category": _attr(d, "category", "code", "A12"),
             "date": _attr(d, "document-date", "iso-date")}
            for d in el.findall("document-link") if d.get("url")],
        "results": results,
    }


# ---------------------------------------------------------------------------------------
# Writing the activities, a batch at a time

BATCH = 500  # activities looked up and written together
DAC_CODES = frozenset(DacSector.values)


@dataclass
class _Build:
    """One activity's rows, built in memory before the batch is written."""

    data: dict[str, Any]
    record: IatiActivity | None  # the stored record it updates
    framework: services.Framework
    rows: list[IatiActualRow] = field(default_factory=list)


@dataclass
class Importer:
    """Takes the activities in the file's order and writes them a batch at a time: one
    look-up of the batch's stored records, set-based writes through
    `programmes.services.frameworks_save_many`, which checks every row as the single-row
    services do. An activity whose identifier is already in the batch starts a new batch,
    so that a later copy in the file sees the earlier one stored, as read one by one."""

    office: Office
    actor: Actor
    plan: Plan
    file_name: str
    mandate_years: dict[tuple[dt.date, dt.date], str] = field(default_factory=dict)
    codes: set[str] = field(default_factory=set)
    # in the file's order: an activity's data, or a note or warning already decided
    pending: list[tuple[str, Any]] = field(default_factory=list)
    pending_ids: set[str] = field(default_factory=set)

    def __post_init__(self) -> None:
        check_actor(self.actor, self.office, Can.EDIT_RESULTS)
        self.mandate_years = {(p.first, p.last): p.key
                              for p in periods.mandate_years(self.office)}
        self.codes = set(Programme.objects.filter(office=self.office)
                         .values_list("code", flat=True))
        self.own = {identifier_of(self.office, p): p
                    for p in Programme.objects.filter(office=self.office, iati__isnull=True)}
        self.note = str(_("From IATI: %(id)s (%(file)s)"))  # translated once, not per row

    def warn(self, message: str) -> None:
        self.pending.append(("warning", message))

    def apply(self, data: dict[str, Any]) -> None:
        identifier = data["identifier"]
        if not identifier:
            self.pending.append(("left", ("", _("The activity has no iati-identifier."))))
        elif not _main(data["titles"])[0]:
            self.pending.append(("left", (identifier, _("The activity has no title."))))
        elif identifier in self.own:
            self.pending.append(("left", (identifier, _(
                "This is the office's own programme (from its own export); it is kept as "
                "it is."))))
        else:
            if identifier in self.pending_ids:
                self.flush()
            self.pending.append(("activity", data))
            self.pending_ids.add(identifier)
            if len(self.pending_ids) >= BATCH:
                self.flush()

    def flush(self) -> None:
        """Write the pending activities."""
        pending, self.pending, self.pending_ids = self.pending, [], set()
        ids = [data["identifier"] for what, data in pending if what == "activity"]
        records = {r.identifier: r for r in IatiActivity.objects.select_for_update()
                   .filter(office=self.office, identifier__in=ids)
                   .select_related("programme")} if ids else {}
        builds: list[_Build] = []
        for what, data in pending:
            if what == "warning":
                self.plan.warnings.append(data)
                continue
            if what == "left":
                self.plan.note("left", *data)
                continue
            record = records.get(data["identifier"])
            if record is not None:
                newer = (data["last_updated"] is not None and (
                    record.last_updated is None or data["last_updated"] > record.last_updated))
                if not newer:
                    self.plan.note("left", data["identifier"], _(
                        "Already imported, and the file's version is not newer "
                        "(last-updated-datetime)."))
                    continue
            try:
                builds.append(self._build(data, record))
            except ValidationError as error:
                raise self._failed(data, error) from error
        if not builds:
            return
        stored = [b.record.programme for b in builds if b.record is not None]
        if stored:
            services.frameworks_clear(actor=self.actor, office=self.office,
                                      programmes=stored)
        try:
            services.frameworks_save_many(actor=self.actor, office=self.office,
                                          items=[b.framework for b in builds])
        except services.FrameworkInvalid as error:
            raise self._failed(builds[error.index].data, error) from error
        self._save_records(builds)
        for build in builds:
            self.plan.note("updated" if build.record is not None else "created",
                           build.data["identifier"])

    def _failed(self, data: dict[str, Any], error: ValidationError) -> JobFailed:
        return JobFailed(_("Activity %(id)s cannot be imported: %(error)s")
                         % {"id": data["identifier"], "error": " ".join(error.messages)})

    def _save_records(self, builds: list[_Build]) -> None:
        """The IATI records (identifier, version, what Peacebuild keeps no record of) and
        the disaggregated actuals, with their audit entries."""
        entries: list[tuple[str, Any, dict[str, Any] | None, dict[str, Any] | None]] = []
        new: list[IatiActivity] = []
        changed: list[IatiActivity] = []
        now = timezone.now()
        for build in builds:
            record = build.record
            if record is None:
                new.append(IatiActivity(office=self.office, identifier=build.data["identifier"],
                                        programme=build.framework.programme,
                                        last_updated=build.data["last_updated"],
                                        kept=self._kept(build)))
                continue
            before = snapshot(record)
            record.last_updated, record.kept = build.data["last_updated"], self._kept(build)
            record.full_clean(exclude=["office", "programme"], validate_unique=False,
                              validate_constraints=False)
            if snapshot(record) != before:
                record.imported_at = now
                changed.append(record)
                entries.append((AuditEntry.Action.UPDATE, record, before, snapshot(record)))
        for record in new:
            record.full_clean(exclude=["office", "programme"], validate_unique=False,
                              validate_constraints=False)
        IatiActivity.objects.bulk_create(new, batch_size=500)
        IatiActivity.objects.bulk_update(changed, ["last_updated", "kept", "imported_at"],
                                         batch_size=500)
        rows = [row for build in builds for row in build.rows]
        IatiActualRow.objects.bulk_create(rows, batch_size=1000)
        entries.extend((AuditEntry.Action.CREATE, row, None, snapshot(row))
                       for row in [*new, *rows])
        record_many(actor=self.actor, office=self.office, rows=entries)

    def _kept(self, build: _Build) -> dict[str, Any]:
        data, programme = build.data, build.framework.programme
        sectors = data["sectors"]
        office_ref = self.office.iati_org_id
        return {
            "participating": [p for p in data["participating"]
                              if not (p["ref"] == office_ref and p["role"] == "2")],
            "locations": data["locations"], "documents": data["documents"],
            "sectors": [] if sectors == [{"vocabulary": "1", "code": programme.dac_sector}]
            else sectors,
        }

    def _code(self, data: dict[str, Any]) -> str:
        identifier, ref = data["identifier"], data["reporting_ref"]
        rest = identifier[len(ref) + 1:] if ref and identifier.startswith(ref + "-") else \
            identifier
        base = (slugify(rest) or "iati")[:36].strip("-") or "iati"
        code, n = base, 1
        while code in self.codes:
            n += 1
            code = f"{base[:33]}-{n}"
        self.codes.add(code)
        return code

    def _build(self, data: dict[str, Any], record: IatiActivity | None) -> _Build:
        name, names = _main(data["titles"])
        description, descriptions = _main(data["descriptions"])
        source = {"source_kind": SourceKind.PUBLIC,
                  "source_note": (self.note % {"id": data["identifier"],
                                               "file": self.file_name})[:300]}
        dac = next((s["code"] for s in data["sectors"] if s.get("vocabulary", "1") == "1"
                    and s["code"] in DAC_CODES), DacSector.PEACEBUILDING)
        if record is not None:
            programme = record.programme
        else:
            programme = Programme(office=self.office, code=self._code(data))
        programme.name, programme.names = name[:200], names
        programme.description, programme.descriptions = description, descriptions
        programme.dac_sector = dac
        programme.starts_on, programme.ends_on = data["start"], data["end"]
        if programme.ends_on and programme.starts_on and programme.ends_on < programme.starts_on:
            programme.ends_on = programme.starts_on
        for key, value in source.items():
            setattr(programme, key, value)
        build = _Build(data, record, services.Framework(programme))
        outcomes: dict[str, Outcome] = {}
        output_codes: dict[str, set[str]] = {}
        for result in data["results"]:
            if not result["indicators"]:
                continue
            n = result["number"]
            o_code, o_title = _coded(result["outcome"] or result["title"], str(n))
            outcome = outcomes.get(o_code)
            if outcome is None:
                outcome = outcomes[o_code] = Outcome(
                    programme=programme, code=o_code, title=o_title[:300] or o_code,
                    order=len(outcomes) + 1, **source)
                build.framework.outcomes.append(outcome)
                output_codes[o_code] = set()
            out_code, out_title = _coded(result["title"], f"{o_code}.{n}")
            while out_code in output_codes[o_code]:
                out_code = f"{out_code}-{n}"[:20]
            output_codes[o_code].add(out_code)
            output = Output(outcome=outcome, code=out_code, title=out_title[:300] or out_code,
                            order=len(output_codes[o_code]), **source)
            build.framework.outputs.append(output)
            for ind in result["indicators"]:
                self._indicator(build, output, ind, source)
        return build

    def _indicator(self, build: _Build, output: Output, ind: dict[str, Any],
                   source: dict[str, Any]) -> None:
        code, title = _coded(ind["title"], f"{output.code}.{ind['number']}")
        kind = KINDS.get(ind["measure"], Indicator.Kind.COUNT)
        base = ind["baseline"] or {}
        baseline_on = base.get("on")  # a year alone says no day; the value is kept without
        indicator = Indicator(
            output=output, code=code, title=title[:300] or code, unit=ind["unit"][:60],
            kind=kind, direction=(Indicator.Direction.DECREASE if ind["ascending"] in
                                  ("0", "false") else Indicator.Direction.INCREASE),
            baseline_value=None if kind == Indicator.Kind.QUALITATIVE else base.get("value"),
            baseline_on=baseline_on, baseline_source=str(base.get("comment") or "")[:300],
            order=ind["number"], **source)
        build.framework.indicators.append(indicator)
        for per in ind["periods"]:
            key = self._period(per["start"], per["end"])
            if key is None:
                self.plan.warnings.append(_(
                    "%(indicator)s: the period %(start)s – %(end)s is neither a month, a "
                    "quarter, a year nor one of the office's mandate years; it was left out.")
                    % {"indicator": indicator.code, "start": per["start"], "end": per["end"]})
                continue
            kind_, key_ = key
            plain = [v for v in per["targets"] if not v["dims"]]
            if plain:
                build.framework.targets.append(Target(
                    indicator=indicator, period_kind=kind_, period_key=key_,
                    value=plain[0]["value"], text=plain[0]["text"], **source))
            totals = [v for v in per["actuals"] if not v["dims"]]
            if not totals:
                continue
            actual = Actual(
                indicator=indicator, period_kind=kind_, period_key=key_,
                value=totals[0]["value"], text=totals[0]["text"],
                evidence_note=str(source["source_note"]), **source)
            build.framework.actuals.append(actual)
            for row in per["actuals"]:
                if row["dims"] and row["value"] is not None:
                    value = IatiActualRow(actual=actual, dimensions=row["dims"],
                                          value=row["value"])
                    value.full_clean(exclude=["actual"])
                    build.rows.append(value)

    def _period(self, start: dt.date | None, end: dt.date | None) -> tuple[str, str] | None:
        if start is None or end is None:
            return None
        if (start, end) in self.mandate_years:
            return PeriodKind.MANDATE, self.mandate_years[(start, end)]
        for kind, key in ((PeriodKind.MONTH, f"{start:%Y-%m}"),
                          (PeriodKind.QUARTER, f"{start.year}-Q{(start.month - 1) // 3 + 1}"),
                          (PeriodKind.YEAR, f"{start.year}")):
            period = periods.resolve(self.office, kind, key)
            if (period.first, period.last) == (start, end):
                return kind, key
        return None


# ---------------------------------------------------------------------------------------
# The job


def checksum(path: Path) -> str:
    digest = hashlib.sha256()
    with open(path, "rb") as fh:
        for chunk in iter(lambda: fh.read(1 << 20), b""):
            digest.update(chunk)
    return digest.hexdigest()


def import_file(office: Office, actor: Actor, path: Path, *, name: str, dry_run: bool,
                progress: Progress | None = None, report: reader.Report | None = None,
                plan: Plan | None = None, rules: bool = True,
                before_commit: Callable[[], None] | None = None
                ) -> tuple[reader.Report, Plan]:
    """Import (or, dry, try) the file; raises JobFailed with the report's first critical
    problem when the file cannot be read. The database changes only on a commit that
    reaches the end of the file. `rules=False` leaves out the IATI ruleset (the schema,
    which decides the import's warnings, is always checked): for the commit of a file
    whose dry run reported them. `before_commit` runs inside the transaction, last (a job's
    check that it still owns the work)."""
    check_actor(actor, office, Can.EDIT_RESULTS)
    size = path.stat().st_size
    if size > MAX_FILE_BYTES:
        raise JobFailed(_("The file is larger than %(limit)s MB; split it.")
                        % {"limit": MAX_FILE_BYTES // 1_000_000})
    report = report if report is not None else reader.Report()
    plan = plan if plan is not None else Plan()
    try:
        with transaction.atomic(), open(path, "rb") as fh:
            importer = Importer(office, actor, plan, name)
            default_lang = LANGUAGE
            for checked in reader.activities(fh, report, rules=rules,
                                             codelist_severity="warning"):
                if any(p.id == "0.3.1" for p in checked.problems):
                    importer.warn(_(
                        "%(id)s does not follow the IATI 2.03 schema; what could be read was "
                        "imported (see the validation report).") % {"id": checked.identifier})
                importer.apply(read_activity(checked.element, default_lang))
                if progress is not None:
                    progress(fh.tell(), size)
            importer.flush()
            if dry_run:
                raise _DryRun
            if before_commit is not None:
                before_commit()
    except _DryRun:
        pass
    except reader.Refused as refused:
        raise JobFailed(refused.problem.message) from refused
    return report, plan


def run(job: Job, actor: Actor, progress: Progress) -> None:
    if not job.input_path:
        raise JobFailed(_("The job has no file to import."))
    path = Path(job.input_path)
    if not path.is_file():
        raise JobFailed(_("The uploaded file is no longer there; upload it again."))
    if job.applies_id is not None:
        dry = job.applies
        if dry is None or not dry.dry_run or dry.state != Job.State.DONE:
            raise JobFailed(_("Only a completed dry run can be imported."))
        if checksum(path) != dry.checksum or job.checksum != dry.checksum:
            raise JobFailed(_("The file is not the one the dry run checked (its checksum "
                              "differs); run the dry run again."))
    progress(0, path.stat().st_size, _("Reading the file…"), force=True)
    report, plan = reader.Report(), Plan()
    # A commit applies the very file its dry run checked: the dry run's validation report
    # (the ruleset's verdicts) holds for it, and the ruleset is not run again.
    dry_validation = job.applies.report.get("validation") if job.applies_id is not None \
        and job.applies is not None else None
    try:
        import_file(job.office, actor, path, name=job.input_name or path.name,
                    dry_run=job.dry_run, progress=progress, report=report, plan=plan,
                    rules=dry_validation is None, before_commit=lambda: still_mine(job))
    except JobFailed:
        job.report = {"validation": dry_validation or report.as_dict()}
        raise
    validation = dry_validation or report.as_dict()
    counts = plan.counts
    progress(job.total, None, _("Dry run done: nothing was changed.") if job.dry_run
             else _("Imported."), force=True)
    job.report = {
        "validation": validation, "plan": plan.as_dict(),
        "summary": [(_("Dry run — would be created: %(created)s; updated: %(updated)s; left as "
                       "they are: %(left)s.") if job.dry_run else
                     _("Imported — created: %(created)s; updated: %(updated)s; left as they "
                       "are: %(left)s.")) % counts,
                    _("Validation report — errors: %(errors)s; warnings: %(warnings)s.")
                    % {"errors": validation["counts"]["error"]
                       + validation["counts"]["critical"],
                       "warnings": validation["counts"]["warning"]}]}

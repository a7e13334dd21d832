"""Exchange throughput: imports next to the plain library read of the same file, with peak
memory. One group of measurements per format; each prints its lines and its ratio.

    .venv/bin/python bench/exchange.py [--activities 100000] [--import-activities 10000]
                                       [--group iati] [--database-url URL]

IATI: a synthetic `iati-activities` file (each activity with narratives in two languages,
organisations, dates, a sector, a location and a result with a target, a total actual and
two disaggregated actuals) is read by

1. plain lxml `iterparse` (the reference: the fastest way lxml reads it, elements cleared);
2. Peacebuild's safe reader (DOCTYPE check, hardened parser, per-activity size caps);
3. the reader with the 2.03 schema and the IATI ruleset, as a dry run checks;
4. the whole import, committed into an empty office (programmes, results, audit log);
5. the same without the ruleset: what the commit of a dry run's file does (the dry run's
   verdicts hold for the same bytes; the schema is still checked).

Steps 3 to 5 (checks, and writes through the services) run on `--import-activities` of
them (a file of the same shape) and are compared by rate (activities per second). Each step
runs in a forked process whose peak resident memory (`wait4`'s ru_maxrss) is reported.
The last line is `ratio: X` — the full import's rate over plain iterparse's.

A group is a function `group_<name>(args) -> list[str]` returning its lines, the last one
`<name> ratio: X`; a new format (spreadsheets) adds its function to GROUPS.
"""

from __future__ import annotations

import argparse
import datetime as dt
import os
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

ORG = "XM-DAC-41114"


def prepare_database(url: str, workdir: Path) -> None:
    sys.path.insert(0, str(Path(__file__).resolve().parent))
    import synthetic as data  # bench/synthetic.py: the same database set-up

    data.prepare_database(url, workdir)


def forked(fn: Callable[[], dict[str, float]]) -> dict[str, float]:
    """Run fn in a child process; its result and its peak memory (MB)."""
    from django.db import connections

    connections.close_all()
    read, write = os.pipe()
    pid = os.fork()
    if pid == 0:  # the child
        os.close(read)
        code = 0
        try:
            result = fn()
            payload = repr(result).encode()
        except BaseException as error:  # reported by the parent
            payload = repr({"error": repr(error)}).encode()
            code = 1
        with os.fdopen(write, "wb") as out:
            out.write(payload)
        os._exit(code)
    os.close(write)
    with os.fdopen(read, "rb") as inp:
        payload = inp.read()
    _pid, status, usage = os.wait4(pid, 0)
    result = eval(payload.decode())  # noqa: S307 - our own child's repr of a dict
    if "error" in result:
        raise SystemExit(f"step failed: {result['error']}")
    result["peak_mb"] = usage.ru_maxrss / 1024  # Linux: kilobytes
    return result


# ---------------------------------------------------------------------------------------
# IATI


ACTIVITY = """<iati-activity xml:lang="en" last-updated-datetime="2005-01-01T00:00:00Z">
 <iati-identifier>{org}-A{n}</iati-identifier>
 <reporting-org ref="{org}" type="40"><narrative>Bench publisher</narrative></reporting-org>
 <title><narrative>Programme {n}</narrative>
  <narrative xml:lang="ru">Программа {n}</narrative></title>
 <description type="1">
  <narrative>Dialogue, training and civic education, line {n}.</narrative></description>
 <participating-org ref="{org}" role="2" type="40">
  <narrative>Bench publisher</narrative></participating-org>
 <participating-org role="4" type="22"><narrative>Partner NGO {m}</narrative></participating-org>
 <activity-status code="2"/>
 <activity-date iso-date="2003-01-01" type="2"/>
 <activity-date iso-date="2006-12-31" type="3"/>
 <recipient-country code="TJ" percentage="100"/>
 <location ref="TJ-SU"><location-reach code="1"/>
  <name><narrative>Sughd Region</narrative></name><location-class code="1"/></location>
 <sector vocabulary="1" code="15220"/>
 <result type="1">
  <title><narrative>1.1 People trained</narrative></title>
  <description><narrative>1 Capacity strengthened</narrative></description>
  <indicator measure="1" ascending="1">
   <title><narrative>1.1.1 People trained in conflict prevention</narrative></title>
   <description><narrative>people</narrative></description>
   <baseline year="2003" iso-date="2003-01-01" value="0"/>
   <period><period-start iso-date="2004-01-01"/><period-end iso-date="2004-12-31"/>
    <target value="80"/><actual value="{total}"/>
    <actual value="{women}"><dimension name="sex" value="f"/></actual>
    <actual value="{men}"><dimension name="sex" value="m"/></actual>
   </period>
  </indicator>
 </result>
</iati-activity>
"""


def iati_file(path: Path, n: int) -> int:
    with open(path, "w", encoding="utf-8") as out:
        out.write('<?xml version="1.0" encoding="UTF-8"?>\n'
                  '<iati-activities version="2.03" generated-datetime="2005-01-01T00:00:00Z">\n')
        for i in range(1, n + 1):
            total = 20 + i % 80
            out.write(ACTIVITY.format(org=ORG, n=i, m=i % 50, total=total, women=total // 3,
                                      men=total - total // 3))
        out.write("</iati-activities>\n")
    return path.stat().st_size


def plain_iterparse(path: Path) -> dict[str, float]:
    from lxml import etree

    t0 = time.perf_counter()
    n = 0
    for _event, el in etree.iterparse(str(path), events=("end",), tag="iati-activity"):
        n += 1
        el.clear()
        while el.getprevious() is not None:
            del el.getparent()[0]
    return {"n": n, "seconds": time.perf_counter() - t0}


def safe_read(path: Path, *, checks: bool) -> dict[str, float]:
    from peacebuild.exchange.iati import reader

    t0 = time.perf_counter()
    report = reader.Report()
    n = 0
    with open(path, "rb") as fh:
        for _checked in reader.activities(fh, report, rules=checks, validate=checks):
            n += 1
    return {"n": n, "seconds": time.perf_counter() - t0,
            "errors": report.counts["error"] + report.counts["critical"]}


def full_import(path: Path, *, rules: bool = True) -> dict[str, float]:
    from peacebuild.accounts.permissions import SYSTEM
    from peacebuild.exchange.iati import importing
    from peacebuild.mandates.models import Office

    office = Office.objects.create(code=f"bench-iati-{time.time_ns()}", name="Bench",
                                   country="TJ", established_on=dt.date(2002, 1, 1),
                                   iati_org_id="XX-BENCH")
    t0 = time.perf_counter()
    report, plan = importing.import_file(office, SYSTEM, path, name=path.name,
                                         dry_run=False, rules=rules)
    seconds = time.perf_counter() - t0
    return {"n": plan.counts["created"], "seconds": seconds,
            "errors": report.counts["error"] + report.counts["critical"]}


def group_iati(args: argparse.Namespace) -> list[str]:
    work = Path(args.workdir)
    big, small = work / "bench.xml", work / "bench-import.xml"
    size = iati_file(big, args.activities)
    n_import = min(args.import_activities, args.activities)
    iati_file(small, n_import)
    steps = [
        ("plain lxml iterparse", lambda: plain_iterparse(big)),
        ("safe reader", lambda: safe_read(big, checks=False)),
        ("reader + schema + rules (dry-run checks)", lambda: safe_read(small, checks=True)),
        ("full import, committed", lambda: full_import(small)),
        ("commit of a dry-run-checked file (no ruleset)",
         lambda: full_import(small, rules=False)),
    ]
    lines = [f"IATI: {args.activities:,} activities, {size / 1e6:.1f} MB "
             f"(checks and import: {n_import:,} activities)"]
    rates = []
    for name, fn in steps:
        result = forked(fn)
        rate = result["n"] / result["seconds"]
        rates.append(rate)
        extra = f", {int(result['errors'])} errors" if "errors" in result else ""
        lines.append(f"{name}: {int(result['n']):,} in {result['seconds']:.2f} s = "
                     f"{rate:,.0f}/s, peak {result['peak_mb']:.0f} MB{extra}")
    plain = rates[0]
    lines.append(f"safe reader / plain: {rates[1] / plain:.2f}; with checks / plain: "
                 f"{rates[2] / plain:.3f}")
    lines.append(f"commit after its dry run / plain: {rates[4] / plain:.4f}")
    lines.append(f"iati ratio: {rates[3] / plain:.4f}")
    return lines


GROUPS: dict[str, Callable[[argparse.Namespace], list[str]]] = {"iati": group_iati}


def main() -> int:
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument("--activities", type=int, default=100_000)
    p.add_argument("--import-activities", type=int, default=10_000)
    p.add_argument("--group", choices=sorted(GROUPS) + ["all"], default="all")
    p.add_argument("--database-url", default="")
    args = p.parse_args()
    args.workdir = tempfile.mkdtemp(prefix="peacebuild-bench-exchange-")
    prepare_database(args.database_url, Path(args.workdir))
    last = ""
    for name in sorted(GROUPS) if args.group == "all" else [args.group]:
        lines = GROUPS[name](args)
        for line in lines:
            print(line, flush=True)
        last = lines[-1].split("ratio: ")[1]
    print(f"ratio: {last}")
    return 0


if __name__ == "__main__":
    sys.exit(main())

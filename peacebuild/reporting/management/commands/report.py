"""`peacebuild report --office UNTOP --period 2003-06-01..2004-05-31 --lang zh --format pdf
--out letter.pdf`: render a report from the records, progress on stderr.

The office's saved report of that kind and period is used when there is one (its issued
version, frozen, if it is issued); otherwise a draft is made from the standard text in
memory and nothing is written to the database.
"""

import datetime as dt
import sys
import time
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from peacebuild.lib.unformat import LANGUAGES
from peacebuild.mandates.models import Office
from peacebuild.programmes.models import Programme
from peacebuild.reporting.catalogue import Cache, Period
from peacebuild.reporting.content import build_content, period_of
from peacebuild.reporting.models import Report, Section
from peacebuild.reporting.render import content_for, render
from peacebuild.reporting.texts import draft_sections


class Command(BaseCommand):
    help = "Render a report (letter, progress or donor report) as PDF, DOCX or HTML."

    def add_arguments(self, parser):
        parser.add_argument("--office", required=True, help="Office code, e.g. UNTOP.")
        parser.add_argument("--period", required=True, help="FROM..TO, e.g. "
                            "2003-06-01..2004-05-31.")
        parser.add_argument("--lang", default="en",
                            help=f"One of {', '.join(LANGUAGES)}, or 'all'.")
        parser.add_argument("--format", default="pdf", choices=["pdf", "docx", "html"])
        parser.add_argument("--kind", default="letter", choices=Report.Kind.values)
        parser.add_argument("--out", required=True,
                            help="Output file; with --lang all, {lang} in the name is replaced "
                                 "by each language (default: suffix -<lang>).")
        parser.add_argument("--date", help="Date of the document (YYYY-MM-DD) for a new "
                            "draft; default the end of the period.")
        parser.add_argument("--no-annex", action="store_true",
                            help="Leave out the annex listing every figure.")

    def handle(self, *args, **opts):
        office = Office.objects.filter(code__iexact=opts["office"]).first()
        if office is None:
            raise CommandError(f"No office with the code {opts['office']!r}.")
        try:
            start_raw, end_raw = opts["period"].split("..")
            start, end = dt.date.fromisoformat(start_raw), dt.date.fromisoformat(end_raw)
            dated = dt.date.fromisoformat(opts["date"]) if opts["date"] else None
        except ValueError as exc:
            raise CommandError("Write the period as YYYY-MM-DD..YYYY-MM-DD.") from exc
        if end < start:
            raise CommandError("The period ends before it starts.")
        languages = list(LANGUAGES) if opts["lang"] == "all" else [opts["lang"]]
        if any(lang not in LANGUAGES for lang in languages):
            raise CommandError(f"--lang must be one of {', '.join(LANGUAGES)} or all.")

        say = self._progress
        report = (Report.objects.filter(office=office, kind=opts["kind"], period_start=start,
                                        period_end=end).order_by("-id").first())
        if report is not None:
            say(f"Using report {report.pk} ({report.get_status_display()}).")
            cache = Cache(period_of(report))
            contents = lambda lang: content_for(report, lang, cache)  # noqa: E731
        else:
            say("No saved report for this period: drafting from the standard text.")
            report = Report(office=office, kind=opts["kind"], period_start=start,
                            period_end=end, dated_on=dated)
            cache = Cache(Period(office, start, end, report.as_of))
            programmes = {p.code: p for p in Programme.objects.filter(office=office)}
            sections = [Section(report=report, key=key, programme=programmes.get(key),
                                texts=texts)
                        for key, texts in draft_sections(opts["kind"], cache)
                        if key in ("opening", "closing") or key in programmes]
            contents = lambda lang: build_content(report, sections, lang, cache)  # noqa: E731

        out = opts["out"]
        for i, lang in enumerate(languages, 1):
            began = time.perf_counter()
            say(f"[{i}/{len(languages)}] {lang}: computing figures…")
            content = contents(lang)
            for error in content["errors"]:
                say(f"  warning: {error['section']}: {error['source']} — {error['error']}")
            say(f"[{i}/{len(languages)}] {lang}: writing {opts['format'].upper()}…")
            data = render(content, opts["format"], annex=not opts["no_annex"])
            path = Path(self._path(out, lang, len(languages) > 1))
            path.write_bytes(data)
            say(f"[{i}/{len(languages)}] {lang}: {path} ({len(data):,} bytes, "
                f"{time.perf_counter() - began:.1f} s)")

    @staticmethod
    def _path(out: str, lang: str, many: bool) -> str:
        if "{lang}" in out:
            return out.replace("{lang}", lang)
        if not many:
            return out
        p = Path(out)
        return str(p.with_name(f"{p.stem}-{lang}{p.suffix}"))

    def _progress(self, line: str) -> None:
        print(line, file=sys.stderr, flush=True)

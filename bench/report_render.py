"""How long the seven-language letter takes to render: the demo's S/2004/331 counterpart
(June 2003 – May 2004) as PDF and DOCX in Arabic, Chinese, English, French, Russian,
Spanish and Tajik.

    .venv/bin/python bench/report_render.py [--repeat 3] [--formats pdf,docx]

Loads the demo into a fresh SQLite database in a temporary folder, drafts the letter from
the standard text (figures computed from the records), then times, per run: computing the
content of all seven languages, and rendering each format for each language. Prints one
line per language and format and ends with `total: X s` (the median full seven-language
render, all formats).
"""

import argparse
import os
import shutil
import statistics
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))


def main() -> None:
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument("--repeat", type=int, default=3)
    p.add_argument("--formats", default="pdf,docx")
    args = p.parse_args()
    formats = args.formats.split(",")
    data = tempfile.mkdtemp(prefix="peacebuild-bench-report-")
    os.environ["PEACEBUILD_DATA_DIR"] = data
    os.environ.pop("DATABASE_URL", None)
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "peacebuild.settings")
    try:
        import django

        django.setup()
        from django.core.management import call_command

        call_command("migrate", verbosity=0)
        from peacebuild.accounts.permissions import SYSTEM
        from peacebuild.demo.loader import load_demo
        from peacebuild.lib.unformat import LANGUAGES
        from peacebuild.reporting import services
        from peacebuild.reporting.catalogue import Cache
        from peacebuild.reporting.content import period_of
        from peacebuild.reporting.render import content_for, render

        office = load_demo().office
        seed = office.reports.get(status="issued")
        draft = services.report_create(actor=SYSTEM, office=office, kind="letter",
                                       period_start=seed.period_start,
                                       period_end=seed.period_end, dated_on=seed.dated_on,
                                       signatory=seed.signatory)
        render(content_for(draft, "zh"), "pdf")  # warm up: fonts loaded once per process
        totals, per = [], {}
        for _run in range(args.repeat):
            began = time.perf_counter()
            cache = Cache(period_of(draft))
            contents = {lang: content_for(draft, lang, cache) for lang in LANGUAGES}
            per.setdefault(("content", "all"), []).append(time.perf_counter() - began)
            for fmt in formats:
                for lang in LANGUAGES:
                    t = time.perf_counter()
                    output = render(contents[lang], fmt)
                    per.setdefault((fmt, lang), []).append(time.perf_counter() - t)
                    assert output
            totals.append(time.perf_counter() - began)
        print(f"letter {draft.period_start}..{draft.period_end}, {len(LANGUAGES)} languages, "
              f"formats {', '.join(formats)}, {args.repeat} runs (median):")
        for (fmt, lang), times in per.items():
            print(f"  {fmt:7} {lang:3} {statistics.median(times):6.2f} s")
        print(f"total: {statistics.median(totals):.2f} s")
    finally:
        shutil.rmtree(data, ignore_errors=True)


if __name__ == "__main__":
    main()

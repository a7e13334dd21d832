"""How long `cubes_rebuild` takes for the synthetic office, table by table.

    .venv/bin/python bench/figures_rebuild.py --workdir /tmp/pb-bench/w200k --reuse
    .venv/bin/python bench/figures_rebuild.py --database-url postgres://… --reuse

Uses the office of bench/synthetic.py (generated unless `--reuse` finds one), rebuilds all
its summary tables once and prints the time of every DELETE and INSERT … SELECT, by table,
then the total (`rebuild: X s`).
"""

import re
import sys
import time
from collections import defaultdict
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

import synthetic as base  # noqa: E402  (bench/synthetic.py: the office)


def main() -> int:
    args = base.parse_args()
    workdir = base.workdir_of(args)
    args.keep_cubes = True  # the rebuild below is the one timed
    ctx = base.setup(args, workdir, duck=False)
    from django.db import connection

    from peacebuild.figures.cubes import cubes_rebuild

    spent: dict[str, float] = defaultdict(float)

    def timed(execute, sql, params, many, context):
        t0 = time.perf_counter()
        try:
            return execute(sql, params, many, context)
        finally:
            match = re.search(r"(?:INSERT INTO|DELETE FROM) \"?(\w+)", sql)
            spent[match.group(1) if match else "other"] += time.perf_counter() - t0

    t0 = time.perf_counter()
    with connection.execute_wrapper(timed):
        cubes_rebuild(ctx["office_id"])
    total = time.perf_counter() - t0
    print(f"database: {connection.vendor}")
    for table, seconds in sorted(spent.items(), key=lambda kv: -kv[1]):
        print(f"{table}: {seconds:.1f} s")
    print(f"rebuild: {total:.1f} s")
    return 0


if __name__ == "__main__":
    sys.exit(main())

"""What list partitioning by office buys a headquarters database, on this machine.

    .venv/bin/python bench/partitioning.py [--rows 200000] [--offices 50]

Builds, in a throw-away PostgreSQL (tests/pgcluster.py), the same synthetic activities
(office, programme, date, participants) twice: one plain table with an index led by the
office, and one table `PARTITION BY LIST (office_id)` with one partition per office and
the same index. It times (median of 7) three figure-shaped queries: one office's
participants per month over its whole history, one office's participants in one year,
and every office's total per year (headquarters' view). Plain table first: the reference.
The last line is `worst partitioned/plain ratio: X, best: Y`.
"""

import argparse
import statistics
import sys
import time
from pathlib import Path

import psycopg

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from tests import pgcluster  # noqa: E402

QUERIES = {
    "one office, per month, all years": (
        "SELECT date_trunc('month', starts_on), sum(participants) FROM {t} "
        "WHERE office_id = 17 GROUP BY 1"),
    "one office, one year": (
        "SELECT sum(participants) FROM {t} WHERE office_id = 17 "
        "AND starts_on >= '2020-01-01' AND starts_on < '2021-01-01'"),
    "every office, per year": (
        "SELECT office_id, date_trunc('year', starts_on), sum(participants) FROM {t} "
        "GROUP BY 1, 2"),
}


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--rows", type=int, default=200_000)
    parser.add_argument("--offices", type=int, default=50)
    args = parser.parse_args()
    cluster = pgcluster.start_cluster(standby=False)
    try:
        db = cluster.primary
        fill = ("INSERT INTO {t} (office_id, programme_id, starts_on, participants) "
                "SELECT 1 + (i %% {o}), 1 + (i %% 7), date '2005-01-01' + (i %% 7300), "
                "1 + (i::bigint * 7919) %% 60 FROM generate_series(1, {n}) i")
        db.query("CREATE TABLE plain (id bigserial, office_id int NOT NULL, programme_id int,"
                 " starts_on date NOT NULL, participants int)", dbname="peacebuild")
        db.query(fill.format(t="plain", o=args.offices, n=args.rows).replace("%%", "%"),
                 dbname="peacebuild")
        db.query("CREATE INDEX ON plain (office_id, starts_on)", dbname="peacebuild")
        db.query("CREATE TABLE parted (id bigserial, office_id int NOT NULL, programme_id int,"
                 " starts_on date NOT NULL, participants int) PARTITION BY LIST (office_id)",
                 dbname="peacebuild")
        for o in range(1, args.offices + 1):
            db.query(f"CREATE TABLE parted_{o} PARTITION OF parted FOR VALUES IN ({o})",
                     dbname="peacebuild")
        db.query(fill.format(t="parted", o=args.offices, n=args.rows).replace("%%", "%"),
                 dbname="peacebuild")
        db.query("CREATE INDEX ON parted (office_id, starts_on)", dbname="peacebuild")
        db.query("VACUUM ANALYZE", dbname="peacebuild")

        conn = psycopg.connect(db.dsn.replace("dbname=postgres", "dbname=peacebuild"),
                               autocommit=True)

        def timed(sql: str) -> float:
            times = []
            for _ in range(7):
                t0 = time.perf_counter()
                conn.execute(sql).fetchall()
                times.append(time.perf_counter() - t0)
            return statistics.median(times) * 1000

        ratios = []
        print(f"{args.rows} activities in {args.offices} offices")
        for name, sql in QUERIES.items():
            plain, parted = timed(sql.format(t="plain")), timed(sql.format(t="parted"))
            ratios.append(parted / plain)
            print(f"{name:36} plain {plain:7.1f} ms   partitioned {parted:7.1f} ms   "
                  f"ratio {parted / plain:.2f}")
        conn.close()
        print(f"worst partitioned/plain ratio: {max(ratios):.2f}, best: {min(ratios):.2f}")
    finally:
        cluster.close()


if __name__ == "__main__":
    main()

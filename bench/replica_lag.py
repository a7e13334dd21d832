"""How far a hot standby falls behind its primary under write load, on this machine.

    .venv/bin/python bench/replica_lag.py [--seconds 20] [--clients 4]

Starts a throw-away primary and streaming hot standby on loopback (tests/pgcluster.py;
needs Debian's PostgreSQL 15 server binaries), then runs pgbench's standard write
transaction (TPC-B: three updates and an insert each) from `--clients` connections for
`--seconds`, sampling the standby's replay lag (primary's pg_stat_replication.replay_lag)
every 0.1 s. It prints the write rate and the lag's median, 95th percentile and maximum;
for reference, the same load's rate with no standby attached. The last line is
`replay lag p95: X ms, max: Y ms, tps ratio: Z` (with standby / without).
"""

import argparse
import re
import statistics
import sys
import threading
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from tests import pgcluster  # noqa: E402


def pgbench(node: pgcluster.Node, *args: str) -> str:
    return pgcluster._run(pgcluster.BIN / "pgbench", "-h", "127.0.0.1", "-p", str(node.port),
                          "-U", "postgres", *args, "peacebuild", timeout=600)


def load(cluster: pgcluster.Cluster, seconds: int, clients: int) -> tuple[float, list[float]]:
    pgbench(cluster.primary, "-i", "-q", "-s", "10")
    if cluster.standby is not None:
        cluster.wait_replayed(timeout=120)
    lags: list[float] = []
    running = True

    def sample() -> None:
        while running:
            rows = cluster.primary.query(
                "SELECT extract(epoch FROM coalesce(replay_lag, '0')) FROM pg_stat_replication")
            if rows:
                lags.append(float(rows[0][0]) * 1000)
            time.sleep(0.1)

    sampler = threading.Thread(target=sample)
    if cluster.standby is not None:
        sampler.start()
    try:
        out = pgbench(cluster.primary, "-c", str(clients), "-j", "2", "-T", str(seconds), "-n")
    finally:
        running = False
        if sampler.is_alive():
            sampler.join()
    tps = float(re.search(r"tps = ([\d.]+)", out).group(1))
    return tps, lags


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--seconds", type=int, default=20)
    parser.add_argument("--clients", type=int, default=4)
    args = parser.parse_args()
    alone = pgcluster.start_cluster(standby=False)
    try:
        reference, _ = load(alone, args.seconds, args.clients)
    finally:
        alone.close()
    pair = pgcluster.start_cluster()
    try:
        tps, lags = load(pair, args.seconds, args.clients)
    finally:
        pair.close()
    lags.sort()
    p95 = lags[int(0.95 * (len(lags) - 1))] if lags else 0.0
    print(f"primary alone: {reference:.0f} writes/s (pgbench TPC-B, {args.clients} clients, "
          f"{args.seconds} s)")
    print(f"with a streaming standby: {tps:.0f} writes/s; replay lag over {len(lags)} samples: "
          f"median {statistics.median(lags) if lags else 0:.1f} ms, p95 {p95:.1f} ms, "
          f"max {max(lags, default=0):.1f} ms")
    print(f"replay lag p95: {p95:.1f} ms, max: {max(lags, default=0):.1f} ms, "
          f"tps ratio: {tps / reference:.2f}")


if __name__ == "__main__":
    main()

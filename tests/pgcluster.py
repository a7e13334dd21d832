"""A throw-away PostgreSQL primary and hot standby on loopback, for the replication tests.

`start_cluster()` runs Debian's PostgreSQL server binaries (the newest installed, or
PG_BIN: `initdb`, `pg_ctl`, `pg_basebackup -R`) on free ports with data directories in a
temporary folder, waits until the standby streams and replays, and `Cluster.close()`
removes everything. The machine's own cluster (port 5432) is never touched. Run as root,
the data directories belong to the `postgres` user and the binaries run as that user
(PostgreSQL refuses to run as root).

Tuned for start-up time, not safety: fsync off, small shared buffers, no autovacuum.
"""

from __future__ import annotations

import contextlib
import os
import shutil
import socket
import subprocess
import tempfile
import time
from dataclasses import dataclass, field
from pathlib import Path

import psycopg


def _binaries() -> Path:
    """PG_BIN, or the newest of Debian's PostgreSQL server versions installed."""
    if os.environ.get("PG_BIN"):
        return Path(os.environ["PG_BIN"])
    found = sorted(Path("/usr/lib/postgresql").glob("*/bin/initdb"),
                   key=lambda p: int(p.parent.parent.name) if p.parent.parent.name.isdigit()
                   else 0)
    return found[-1].parent if found else Path("/usr/lib/postgresql/15/bin")


BIN = _binaries()
SETTINGS = {
    "listen_addresses": "'127.0.0.1'",
    "fsync": "off",
    "full_page_writes": "off",
    "shared_buffers": "16MB",
    "max_connections": "40",
    "autovacuum": "off",
    "wal_level": "replica",
    "max_wal_senders": "4",
    "hot_standby": "on",
    "wal_receiver_status_interval": "1s",
    "wal_retrieve_retry_interval": "200ms",
    "hot_standby_feedback": "on",
    "log_min_messages": "warning",
}


def available() -> bool:
    return all((BIN / name).exists() for name in ("initdb", "pg_ctl", "pg_basebackup"))


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def _as_owner() -> list[str]:
    """The command prefix that runs a PostgreSQL binary as a non-root user."""
    if os.geteuid() != 0:
        return []
    return ["runuser", "-u", "postgres", "--"]


def _run(*args: str | Path, timeout: float = 60) -> str:
    done = subprocess.run([*_as_owner(), *map(str, args)], capture_output=True, text=True,
                          timeout=timeout, check=False)
    if done.returncode != 0:
        raise RuntimeError(f"{args[0]} failed ({done.returncode}): {done.stderr or done.stdout}")
    return done.stdout


@dataclass
class Node:
    name: str
    datadir: Path
    port: int
    log: Path

    @property
    def dsn(self) -> str:
        return f"host=127.0.0.1 port={self.port} user=postgres dbname=postgres"

    def url(self, dbname: str = "peacebuild") -> str:
        return f"postgres://postgres@127.0.0.1:{self.port}/{dbname}"

    def start(self) -> None:
        _run(BIN / "pg_ctl", "-D", self.datadir, "-l", self.log, "-w", "-t", "30",
             "-o", f"-p {self.port} -k {self.datadir.parent}", "start")

    def stop(self, mode: str = "fast") -> None:
        _run(BIN / "pg_ctl", "-D", self.datadir, "-m", mode, "-w", "-t", "30", "stop")

    def running(self) -> bool:
        return (self.datadir / "postmaster.pid").exists()

    def promote(self) -> None:
        _run(BIN / "pg_ctl", "-D", self.datadir, "-w", "-t", "30", "promote")

    def query(self, sql: str, *params: object, dbname: str = "postgres") -> list[tuple]:
        with psycopg.connect(self.dsn.replace("dbname=postgres", f"dbname={dbname}"),
                             autocommit=True, connect_timeout=5) as conn:
            cur = conn.execute(sql, params or None)
            return cur.fetchall() if cur.description else []

    def value(self, sql: str, *params: object, dbname: str = "postgres") -> object:
        return self.query(sql, *params, dbname=dbname)[0][0]


@dataclass
class Cluster:
    root: Path
    primary: Node
    standby: Node | None
    nodes: list[Node] = field(default_factory=list)

    def wait_replayed(self, timeout: float = 20) -> None:
        """Wait until the standby has replayed everything the primary has written so far."""
        assert self.standby is not None
        target = self.primary.value("SELECT pg_current_wal_lsn()")
        deadline = time.monotonic() + timeout
        while True:
            caught_up = self.standby.value(
                "SELECT pg_last_wal_replay_lsn() >= %s::pg_lsn", target)
            if caught_up:
                return
            if time.monotonic() > deadline:
                raise TimeoutError(f"the standby did not replay up to {target}")
            time.sleep(0.05)

    def close(self) -> None:
        for node in self.nodes:
            if node.running():
                with contextlib.suppress(Exception):
                    node.stop("immediate")
        shutil.rmtree(self.root, ignore_errors=True)


def start_cluster(*, standby: bool = True, dbname: str = "peacebuild") -> Cluster:
    """A running primary holding an empty database `dbname`, and (by default) a hot
    standby streaming from it that has replayed the database's creation."""
    root = Path(tempfile.mkdtemp(prefix="pb-pgcluster-"))
    if os.geteuid() == 0:
        shutil.chown(root, "postgres", "postgres")
    root.chmod(0o700)
    primary = Node("primary", root / "primary", free_port(), root / "primary.log")
    cluster = Cluster(root, primary, None, [primary])
    try:
        _run(BIN / "initdb", "-D", primary.datadir, "-U", "postgres", "--auth=trust",
             "-N", "-E", "UTF8", "--locale=C.UTF-8", "--no-instructions")
        with open(primary.datadir / "postgresql.conf", "a") as conf:
            conf.writelines(f"{k} = {v}\n" for k, v in SETTINGS.items())
        primary.start()
        primary.query(f'CREATE DATABASE "{dbname}"')
        if standby:
            node = Node("standby", root / "standby", free_port(), root / "standby.log")
            _run(BIN / "pg_basebackup", "-h", "127.0.0.1", "-p", str(primary.port),
                 "-U", "postgres", "-D", node.datadir, "-R", "-X", "stream",
                 "-c", "fast", "--no-sync")
            cluster.standby = node
            cluster.nodes.append(node)
            node.start()
            cluster.wait_replayed()
    except BaseException:
        cluster.close()
        raise
    return cluster


def describe(cluster: Cluster) -> str:
    """The cluster as JSON, for a child process (tests/replica_scenarios.py)."""
    import json

    return json.dumps({"root": str(cluster.root), "nodes": {
        n.name: {"datadir": str(n.datadir), "port": n.port, "log": str(n.log)}
        for n in cluster.nodes}})

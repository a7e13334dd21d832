"""docs/deploy.md, followed: all its `sh deploy-test` blocks run in order in one shell, as
root, on a stand-in for a fresh Debian machine: the database role and its password, settings
from files, collectstatic, migrate, `check --deploy`, `peacebuild serve` and `peacebuild
worker`, /health/ and `peacebuild health`, the systemd units and timers, a backup and its
restore drill, then a streaming standby (pg_createcluster, pg_basebackup), the server and
two workers with the replica (a read served by the standby, a write read back from the
primary: tests/deploy_doc_checks.py), and the failover (standby promoted, the running
server writes to it). Afterwards every unit passes `systemd-analyze verify` and every
timer's command runs once with the documented settings.

The machine's own PostgreSQL is not touched: the doc's `/etc/postgresql` and
`/var/lib/postgresql` are a temporary folder (PG_CLUSTER_CONF_ROOT, Debian's way to keep
clusters elsewhere), its `15/main` cluster on 5432 is one the test creates there as the
`postgresql-15` package would (on a free port), and the standby's 5433 another free port.
Sockets and logs stay in the folder, and everything started is stopped at the end.

The doc's commands are root's (`runuser -u postgres`); the machine has no `peacebuild`
user, so the files meant for its group go to root's. It runs in the PostgreSQL run of the
suite (the skip below, as the replication tests do): 2.5 to 5.5 minutes on a 2-core machine
at load average 7 to 12.
"""

import contextlib
import os
import re
import shutil
import signal
import subprocess
import sys
import tempfile
import uuid
from pathlib import Path

import pytest
from django.db import connection

from tests import pgcluster

ROOT = Path(__file__).resolve().parents[3]
DOC = ROOT / "docs" / "deploy.md"
BLOCK = re.compile(r"^```sh deploy-test\n(.*?)^```", re.S | re.M)
CHECKS = ROOT / "tests" / "deploy_doc_checks.py"
PG_TOOLS = ("pg_createcluster", "pg_ctlcluster", "pg_basebackup", "psql", "runuser", "curl")


def free_port() -> int:
    return pgcluster.free_port()


def database_url(name: str) -> str:
    """The test database's server, database `name` (for tests that start a server)."""
    db = connection.settings_dict
    password = f":{db['PASSWORD']}" if db.get("PASSWORD") else ""
    host = f"{db['HOST'] or '127.0.0.1'}:{db['PORT'] or 5432}"
    return f"postgres://{db['USER']}{password}@{host}/{name}"


def test_the_blocks_are_there():
    blocks = BLOCK.findall(DOC.read_text())
    assert len(blocks) >= 10
    text = "\n".join(blocks)
    for step in ("peacebuild serve", "peacebuild worker", "pg_basebackup", "DATABASE_REPLICA_URL",
                 "standby promote", "peacebuild restore", "purge_uploads --days 7",
                 "purge_case_files", "# Use the site now", "# The site goes on"):
        assert step in text, step


def cluster_options(machine: Path, name: str) -> list[str]:
    """Data, socket, log and pid file in the folder: nothing in /var/run/postgresql."""
    return ["-d", f"{machine}/pg/15/{name}", "-s", f"{machine}/run",
            "-l", f"{machine}/log/{name}.log", "-o", f"external_pid_file={machine}/run/{name}.pid"]


def script_for(machine: Path, ports: dict[str, int], names: dict[str, str]) -> str:
    """The doc's blocks, with the machine's paths, ports and cluster names replaced by the
    stand-in's. The clusters get names of their own: Debian's tools keep a file per
    cluster name in /var/run/postgresql (`15-main.pid`), which must stay the machine's."""
    script = "set -euo pipefail\n" + "\n".join(BLOCK.findall(DOC.read_text()))
    python = Path(sys.executable)
    replacements = [
        ("pg_createcluster 15 standby",
         f"pg_createcluster {' '.join(cluster_options(machine, names['standby']))} 15 standby"),
        ("15 main", f"15 {names['main']}"), ("15/main", f"15/{names['main']}"),
        ("15 standby", f"15 {names['standby']}"), ("15/standby", f"15/{names['standby']}"),
        ("/etc/postgresql", f"{machine}/etc/postgresql"),
        ("/var/lib/postgresql", f"{machine}/pg"),
        ("/etc/peacebuild", f"{machine}/etc/peacebuild"),
        ("/var/lib/peacebuild", f"{machine}/data"),
        ("/var/backups/peacebuild", f"{machine}/backups"),
        ("/etc/systemd/system", f"{machine}/units"),
        ("/usr/local/bin/peacebuild", str(python.parent / "peacebuild")),
        ("127.0.0.1:8000", f"127.0.0.1:{ports['web']}"),
        # No `peacebuild` user here: its files are root's.
        ("-o peacebuild -g peacebuild", "-o 0 -g 0"),
        ("chown -R peacebuild:peacebuild", "chown -R 0:0"),
        ("chgrp -R peacebuild", "chgrp -R 0"),
        ("chgrp peacebuild", "chgrp 0"),
        # Where the doc says to use the site, the test uses it.
        ("# Use the site now:", f'"{python}" "{CHECKS}" replica #'),
        ("# The site goes on:", f'"{python}" "{CHECKS}" failover #'),
    ]
    for old, new in replacements:
        assert old in script, old
        script = script.replace(old, new)
    script = re.sub(r"\b5432\b", str(ports["primary"]), script)
    script = re.sub(r"\b5433\b", str(ports["standby"]), script)
    left = re.findall(r"(?<![\w-])/(?:etc|var)/\S*|:5432\b|:8000\b|15[ /](?:main|standby)\b",
                      script)
    assert not left, left
    return script


def stop_clusters(machine: Path) -> None:
    for pid_file in (machine / "pg").glob("15/*/postmaster.pid"):
        subprocess.run(["runuser", "-u", "postgres", "--", str(pgcluster.BIN / "pg_ctl"),
                        "-D", str(pid_file.parent), "-m", "immediate", "-w", "stop"],
                       capture_output=True, timeout=60, check=False)


@pytest.fixture
def machine():
    """A folder standing in for the machine: /etc/postgresql with a `15/main` cluster as
    the postgresql-15 package creates it (Debian's pg_hba.conf: peer and scram-sha-256)."""
    root = Path(tempfile.mkdtemp(prefix="pb-deploydoc-"))
    tag = uuid.uuid4().hex[:6]
    names = {"main": f"docmain{tag}", "standby": f"docstandby{tag}"}
    root.chmod(0o755)
    for folder in ("etc/postgresql", "units"):
        (root / folder).mkdir(parents=True)
    for folder in ("pg", "run", "log"):
        (root / folder).mkdir()
        shutil.chown(root / folder, "postgres", "postgres")
    ports = {"primary": pgcluster.free_port(), "standby": pgcluster.free_port(),
             "web": pgcluster.free_port()}
    environment = {k: v for k, v in os.environ.items()
                   if not k.startswith(("PEACEBUILD_", "DATABASE_", "SECRET_KEY", "DJANGO_",
                                        "PG", "TASKS_"))}
    environment |= {
        "PATH": f"{Path(sys.executable).parent}:{environment['PATH']}",
        "PG_CLUSTER_CONF_ROOT": str(root / "etc" / "postgresql"),
        "PGHOST": str(root / "run"), "PGPORT": str(ports["primary"]),
        "WEB_CONCURRENCY": "2",
        # compressing 40 MB of static files takes minutes on a busy CI machine
        "STATIC_COMPRESS": "0",
        "PB_DOC_BASE_URL": f"http://127.0.0.1:{ports['web']}",
        "PB_DOC_STATE": str(root / "doc-token"),
        "PB_DOC_STANDBY_PORT": str(ports["standby"]),
    }
    try:
        subprocess.run(["pg_createcluster", *cluster_options(root, names["main"]),
                        "-p", str(ports["primary"]), "15", names["main"], "--start"],
                       env=environment, capture_output=True, text=True, timeout=120, check=True)
        yield root, ports, names, environment
    finally:
        stop_clusters(root)
        shutil.rmtree(root, ignore_errors=True)


@pytest.mark.skipif(connection.vendor != "postgresql",
                    reason="production runs on PostgreSQL: the PostgreSQL run follows the doc")
@pytest.mark.skipif(os.geteuid() != 0 or not all(shutil.which(t) for t in PG_TOOLS)
                    or not pgcluster.available(),
                    reason="the doc is for root on Debian with postgresql-15 installed")
def test_follow_docs_deploy_md(machine):
    root, ports, names, environment = machine
    shell = subprocess.Popen(["bash", "-c", script_for(root, ports, names)], stdout=subprocess.PIPE,
                             stderr=subprocess.PIPE, text=True, env=environment, cwd=root,
                             start_new_session=True)
    try:
        out, err = shell.communicate(timeout=600)
    finally:  # whatever the doc left running in its shell's process group
        with contextlib.suppress(ProcessLookupError):
            os.killpg(shell.pid, signal.SIGKILL)
        if shell.poll() is None:
            shell.communicate()
    assert shell.returncode == 0, out[-4000:] + err[-6000:]

    # One machine: the server, a worker, their health, the sign-in page, the backup drill.
    alone = '{"status": "ok", "checks": {"database": "ok", "workers": 1}}'
    assert out.count(alone) == 2, "/health/ and `peacebuild health`"
    assert "\n200\n" in out, "the sign-in page"
    assert "tables hold the same records" in out, "the drill"
    # The standby streams and replays; the server reads from it and reads its writes back.
    assert "127.0.0.1|streaming\n" in out and "\nt\n" in out
    assert re.search(r'"replica": \{"reachable": true, "lag_seconds": 0\.\d\}, "workers": 2\}',
                     out), out[-3000:]
    assert "CHECK replica ok" in out
    # Failover: the standby promoted (not in recovery), the same server writes to it.
    assert "\nf\n" in out and "CHECK failover ok" in out
    after = out[out.index("CHECK failover ok"):]
    assert re.search(r'\{"status": "ok", "checks": \{"database": "ok", "replica": \{"reachable": '
                     r'true, "lag_seconds": 0\.\d\}, "workers": 2\}\}', after), after[-2000:]

    logs = [line for line in err.splitlines() if '"peacebuild.requests"' in line]
    assert any('"path": "/login/"' in line and '"status": 200' in line for line in logs)
    assert any('"path": "/api/partners/"' in line and '"status": 201' in line for line in logs)
    assert any('"path": "/api/partners/"' in line and '"database": "replica"' in line
               for line in logs), "a page read from the standby, in the log"
    static = root / "data" / "static"
    assert list(static.glob("ui/**/*.*.css")), "hashed static files"
    assert (static / "staticfiles.json").exists()

    # The units: well-formed for systemd, and every periodic job's command works with the
    # documented settings (against the promoted standby, now the primary).
    units = sorted(root.glob("units/peacebuild*"))
    assert {u.name for u in units} >= {"peacebuild.service", "peacebuild-worker@.service",
                                      "peacebuild-backup.timer", "peacebuild-purge-uploads.timer",
                                      "peacebuild-purge-cases.timer"}
    if shutil.which("systemd-analyze"):
        verify = subprocess.run(["systemd-analyze", "verify", "--man=no",
                                 *[str(u) for u in units if "@" not in u.name]],
                                capture_output=True, text=True, timeout=60, check=False)
        problems = [line for line in (verify.stdout + verify.stderr).splitlines()
                    if "peacebuild" in line and "User" not in line]
        assert not problems, problems
    jobs = [re.search(r"^ExecStart=(.*)$", u.read_text(), re.M).group(1)  # type: ignore[union-attr]
            for u in units if u.suffix == ".service" and "Type=oneshot" in u.read_text()]
    assert len(jobs) >= 6
    run = subprocess.run(["bash", "-c", f"set -euo pipefail; set -a; . {root}/etc/peacebuild/env;"
                          " set +a; " + "; ".join(jobs)], capture_output=True, text=True,
                         env=environment, cwd=root, timeout=300, check=False)
    assert run.returncode == 0, run.stdout[-3000:] + run.stderr[-3000:]

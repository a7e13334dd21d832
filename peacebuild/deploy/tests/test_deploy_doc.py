"""docs/deploy.md, followed: its `sh deploy-test` blocks run in order in one shell, with the
machine's paths and database replaced by temporary ones, against PostgreSQL (production
refuses anything else): settings from files, collectstatic, migrate, check, `peacebuild
serve` and `peacebuild worker`, /health/ and the sign-in page, a backup and its drill."""

import os
import re
import socket
import subprocess
import sys
import uuid
from pathlib import Path

import pytest
from django.db import connection

DOC = Path(__file__).resolve().parents[3] / "docs" / "deploy.md"
BLOCK = re.compile(r"^```sh deploy-test\n(.*?)^```", re.S | re.M)


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def database_url(name: str) -> str:
    db = connection.settings_dict
    password = f":{db['PASSWORD']}" if db.get("PASSWORD") else ""
    host = f"{db['HOST'] or '127.0.0.1'}:{db['PORT'] or 5432}"
    return f"postgres://{db['USER']}{password}@{host}/{name}"


@pytest.fixture
def drill_db(transactional_db):
    name = f"{connection.settings_dict['NAME']}_docdrill_{uuid.uuid4().hex[:6]}"
    with connection.cursor() as cursor:
        cursor.execute(f'CREATE DATABASE "{name}"')
    yield database_url(name)
    with connection.cursor() as cursor:
        cursor.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


def test_the_blocks_are_there():
    blocks = BLOCK.findall(DOC.read_text())
    assert len(blocks) >= 4
    assert any("peacebuild serve" in b for b in blocks)


@pytest.mark.skipif(connection.vendor != "postgresql",
                    reason="production runs on PostgreSQL: the PostgreSQL run follows the doc")
def test_follow_docs_deploy_md(drill_db, tmp_path):
    port = free_port()
    script = "set -euo pipefail\n" + "\n".join(BLOCK.findall(DOC.read_text()))
    for machine, here in (("/etc/peacebuild", tmp_path / "conf"),
                          ("/var/lib/peacebuild", tmp_path / "data"),
                          ("/var/backups/peacebuild", tmp_path / "backups"),
                          ("postgres://peacebuild:CHANGE-ME@127.0.0.1:5432/peacebuild",
                           database_url(connection.settings_dict["NAME"])),
                          ("127.0.0.1:8000", f"127.0.0.1:{port}")):
        script = script.replace(machine, str(here))
    assert "/etc/peacebuild" not in script and "/var/lib/peacebuild" not in script
    environment = {k: v for k, v in os.environ.items()
                   if not k.startswith(("PEACEBUILD_", "DATABASE_URL", "SECRET_KEY", "DJANGO_"))}
    environment |= {"PATH": f"{Path(sys.executable).parent}:{environment['PATH']}",
                    "DRILL_DATABASE_URL": drill_db, "WEB_CONCURRENCY": "2",
                    # compressing 40 MB of static files takes minutes on a busy CI machine
                    "STATIC_COMPRESS": "0"}
    result = subprocess.run(["bash", "-c", script], capture_output=True, text=True,
                            env=environment, timeout=240, cwd=tmp_path)
    assert result.returncode == 0, result.stdout[-3000:] + result.stderr[-3000:]
    assert '{"status": "ok", "checks": {"database": "ok", "workers": 1}}' in result.stdout
    assert "\n200\n" in result.stdout, "the sign-in page"
    assert "tables hold the same records" in result.stdout, "the drill"
    logs = [line for line in result.stderr.splitlines() if '"peacebuild.requests"' in line]
    assert any('"path": "/login/"' in line and '"status": 200' in line for line in logs)
    static = tmp_path / "data" / "static"
    assert list(static.glob("ui/**/*.*.css")), "hashed static files"
    assert (static / "staticfiles.json").exists()

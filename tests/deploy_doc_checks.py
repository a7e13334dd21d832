"""Where docs/deploy.md says "use the site", peacebuild/deploy/tests/test_deploy_doc.py uses
it: this script, run from the doc's shell (so with the doc's settings loaded), talks to the
server the doc started over HTTP, as an API client would.

    replica   an API token; the standby's replay paused: a partner added is read back by
              its writer (pinned to the primary) and not by another client (the standby
              serves its reads); replay resumed, everyone sees it.
    failover  after the standby's promotion: a write and a read in the same running server.

Each phase asserts what it expects (a failure stops the doc's script) and prints
`CHECK <phase> ok` with what it saw as JSON.
"""

import datetime as dt
import json
import os
import subprocess
import sys
import time
import urllib.error
import urllib.request
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path[:0] = [str(ROOT)]
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "peacebuild.settings")

import django  # noqa: E402

django.setup()

BASE = os.environ["PB_DOC_BASE_URL"]
STATE = Path(os.environ["PB_DOC_STATE"])
HEADERS = {"X-Forwarded-Proto": "https", "Content-Type": "application/json"}


def call(method: str, path: str, key: str, body: object = None,
         pin: str | None = None) -> tuple[int, object, str | None]:
    """(status, JSON body, the pb-primary cookie it set)."""
    headers = HEADERS | {"Authorization": f"Bearer {key}"}
    if pin:
        headers["Cookie"] = f"pb-primary={pin}"
    data = json.dumps(body).encode() if body is not None else None
    request = urllib.request.Request(BASE + path, data=data, method=method, headers=headers)
    try:
        with urllib.request.urlopen(request, timeout=20) as response:
            status, raw, cookies = response.status, response.read(), response.headers
    except urllib.error.HTTPError as error:
        status, raw, cookies = error.code, error.read(), error.headers
    pinned = None
    for cookie in cookies.get_all("Set-Cookie") or []:
        if cookie.startswith("pb-primary="):
            pinned = cookie.split(";", 1)[0].split("=", 1)[1]
    return status, json.loads(raw or b"null"), pinned


def names(key: str, pin: str | None = None) -> list[str]:
    status, body, _ = call("GET", "/api/partners/", key, pin=pin)
    assert status == 200, body
    return sorted(p["name"] for p in body["results"])  # type: ignore[index]


def standby(sql: str) -> None:
    port = os.environ["PB_DOC_STANDBY_PORT"]
    prefix = ["runuser", "-u", "postgres", "--"] if os.geteuid() == 0 else []
    subprocess.run([*prefix, "psql", "-p", port, "-Atqc", sql], check=True, timeout=30)


def replica() -> dict[str, object]:
    from conftest import make_user
    from peacebuild.exchange.api.services import token_create
    from peacebuild.mandates.models import Office

    office = Office.objects.create(code="doc", name="The doc's office",
                                   established_on=dt.date(2020, 1, 1))
    head = make_user("doc-head", office, "head")
    _token, key = token_create(actor=head, user=head, office=office, name="doc", scope="write")
    STATE.write_text(key)
    seen: dict[str, object] = {}
    deadline = time.monotonic() + 30
    while call("GET", "/api/partners/", key)[0] != 200:  # the standby has the token's office
        assert time.monotonic() < deadline, "the standby never replayed the new office"
        time.sleep(0.2)
    standby("SELECT pg_wal_replay_pause()")
    try:
        status, _body, pin = call("POST", "/api/partners/", key,
                                  {"name": "Added while the standby waits", "kind": "ngo"})
        seen["created"], seen["pinned"] = status, pin is not None
        seen["writer_reads"] = names(key, pin)   # from the primary: the writer's own write
        seen["others_read"] = names(key)         # from the standby, which has not replayed it
    finally:
        standby("SELECT pg_wal_replay_resume()")
    deadline = time.monotonic() + 30
    while "Added while the standby waits" not in (seen.setdefault("later", names(key))):
        assert time.monotonic() < deadline, "the standby never caught up"
        time.sleep(0.2)
        seen["later"] = names(key)
    assert seen["created"] == 201 and seen["pinned"], seen
    assert seen["writer_reads"] == ["Added while the standby waits"], seen
    assert seen["others_read"] == [], seen
    return seen


def failover() -> dict[str, object]:
    key = STATE.read_text()
    status, body, pin = call("POST", "/api/partners/", key,
                             {"name": "Added after the failover", "kind": "ngo"})
    seen = {"created": status, "reads": names(key, pin)}
    assert status == 201, body
    assert "Added after the failover" in seen["reads"], seen  # type: ignore[operator]
    return seen


if __name__ == "__main__":
    phase = sys.argv[1]
    print(f"CHECK {phase} ok", json.dumps({"replica": replica, "failover": failover}[phase]()))

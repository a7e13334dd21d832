"""`peacebuild serve` (gunicorn): a request in flight when SIGTERM comes is answered in
full, then the server exits cleanly."""

import os
import signal
import socket
import subprocess
import sys
import time
import urllib.request

import pytest
from django.db import connection

from .test_deploy_doc import database_url, free_port


@pytest.mark.skipif(connection.vendor != "postgresql",
                    reason="the server is another process: SQLite's test database is in memory")
def test_sigterm_lets_the_request_in_flight_finish(transactional_db, tmp_path):
    port = free_port()
    environment = os.environ | {"DATABASE_URL": database_url(connection.settings_dict["NAME"]),
                                "TASKS_BACKEND": "immediate", "PEACEBUILD_DATA_DIR": str(tmp_path)}
    environment.pop("DJANGO_ALLOW_ASYNC_UNSAFE", None)
    log = open(tmp_path / "server.log", "wb")  # noqa: SIM115 - closed below
    server = subprocess.Popen(
        [sys.executable, "-m", "peacebuild", "serve", "--bind", f"127.0.0.1:{port}",
         "--workers", "1"], env=environment, stdout=log, stderr=subprocess.STDOUT)
    try:
        for _ in range(240):
            try:
                with urllib.request.urlopen(f"http://127.0.0.1:{port}/health/", timeout=2):
                    break
            except OSError:
                time.sleep(0.25)
        else:
            pytest.fail((tmp_path / "server.log").read_text()[-2000:])
        body = b"username=someone&password=a-long-password"
        request = socket.create_connection(("127.0.0.1", port), timeout=30)
        request.sendall(b"POST /login/ HTTP/1.1\r\nHost: 127.0.0.1\r\n"
                        b"Content-Type: application/x-www-form-urlencoded\r\n"
                        b"Content-Length: %d\r\nConnection: close\r\n\r\n" % len(body)
                        + body[:10])
        time.sleep(1.0)  # the worker is inside the request, reading its body
        server.send_signal(signal.SIGTERM)
        time.sleep(1.0)
        request.sendall(body[10:])
        answer = b""
        while chunk := request.recv(65536):
            answer += chunk
        request.close()
        assert answer.startswith(b"HTTP/1.1 403"), answer[:200]  # answered (no CSRF token)
        assert b"</html>" in answer, "in full"
        assert server.wait(timeout=60) == 0
        with pytest.raises(OSError):
            socket.create_connection(("127.0.0.1", port), timeout=2)
    finally:
        if server.poll() is None:
            server.kill()
            server.wait()
        log.close()
    text = (tmp_path / "server.log").read_text()
    assert '"message": "Handling signal: term"' in text, "gunicorn's own lines are JSON"


def test_no_control_socket_in_home_unless_asked(monkeypatch):
    from peacebuild.deploy.server import options

    monkeypatch.delenv("CONTROL_SOCKET", raising=False)
    assert options()["control_socket_disable"] is True
    monkeypatch.setenv("CONTROL_SOCKET", "/run/peacebuild/gunicorn.ctl")
    chosen = options()
    assert chosen["control_socket_disable"] is False
    assert chosen["control_socket"] == "/run/peacebuild/gunicorn.ctl"

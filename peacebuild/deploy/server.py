"""`peacebuild serve`: gunicorn, a prefork WSGI server, with Peacebuild's settings.

Why gunicorn: pure Python and long-established; each worker is a process (a crash or a
leak stays in one, and the master replaces it); SIGTERM is a graceful stop (workers finish
the requests they are serving, up to `GRACEFUL_TIMEOUT` seconds); `MAX_REQUESTS` recycles
workers. The application is loaded once in the master before the workers fork, so a
missing setting or a wrong case key stops the server at start with its reason.

Environment (each also from `NAME_FILE`):
  `BIND`              address to listen on (default `127.0.0.1:8000`; a proxy in front)
  `WEB_CONCURRENCY`   worker processes (default 2 × CPUs + 1)
  `THREADS`           threads per worker (default 1)
  `TIMEOUT`           seconds a request may take before its worker is replaced (default 120)
  `GRACEFUL_TIMEOUT`  seconds in-flight requests get on SIGTERM (default 30)
  `MAX_REQUESTS`      requests a worker serves before it is replaced (default 2000)
  `CONTROL_SOCKET`    a path for gunicorn's control socket (`gunicornc`); none by default
"""

from __future__ import annotations

import logging
import os
from typing import Any

from gunicorn.app.base import BaseApplication
from gunicorn.glogging import Logger

from peacebuild.settings import env

from .logs import json_formatter


def default_workers() -> int:
    return 2 * (os.cpu_count() or 1) + 1


def options() -> dict[str, Any]:
    return {
        "bind": [a for a in env("BIND", "127.0.0.1:8000").split(",") if a],
        "workers": int(env("WEB_CONCURRENCY") or default_workers()),
        "threads": int(env("THREADS") or 1),
        "timeout": int(env("TIMEOUT") or 120),
        "graceful_timeout": int(env("GRACEFUL_TIMEOUT") or 30),
        "max_requests": int(env("MAX_REQUESTS") or 2000),
        "max_requests_jitter": 200,
        "preload_app": True,
        "accesslog": None,  # Peacebuild logs each request itself (deploy/logs.py)
        "errorlog": "-",
        "logger_class": "peacebuild.deploy.server.JsonLogger",
        "proc_name": "peacebuild",
        "forwarded_allow_ips": env("FORWARDED_ALLOW_IPS", "127.0.0.1,::1"),
        "worker_tmp_dir": "/dev/shm" if os.path.isdir("/dev/shm") else None,
        # gunicorn's control socket (gunicornc) lives in $HOME by default, where two
        # servers of one user (two offices on one machine) would take each other's; systemd
        # and signals manage the server. CONTROL_SOCKET=PATH turns it on at that path.
        "control_socket_disable": not env("CONTROL_SOCKET"),
        "control_socket": env("CONTROL_SOCKET") or None,
    }


class JsonLogger(Logger):
    """gunicorn's own messages (started, worker booted, shutting down) as JSON lines too."""

    def setup(self, cfg: Any) -> None:
        super().setup(cfg)
        for handler in self.error_log.handlers:
            handler.setFormatter(json_formatter())


class Server(BaseApplication):
    def __init__(self, settings: dict[str, Any]) -> None:
        self.settings = settings
        super().__init__()

    def load_config(self) -> None:
        for key, value in self.settings.items():
            if value is not None:
                self.cfg.set(key, value)

    def load(self) -> Any:
        # Importing wsgi checks the case keys and closes the connection before the fork.
        from peacebuild.wsgi import application

        logging.getLogger("peacebuild.requests").setLevel(logging.INFO)
        return application


def serve(**overrides: Any) -> None:
    Server(options() | {k: v for k, v in overrides.items() if v is not None}).run()

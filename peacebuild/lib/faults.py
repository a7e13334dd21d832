"""Pause points for the fault tests: a place in a long piece of work where a test may hold a
real worker or server process still, to kill it there (tests/test_faults.py).

Off unless the test-only setting `FAULT_PAUSE_AT` (environment: PEACEBUILD_FAULT_PAUSE_AT)
names the point; production settings refuse to start with it set. A paused process says
so on standard error, `PAUSED <point> k=v…`, so the test knows it is midway, then waits
up to `FAULT_PAUSE_SECONDS` and goes on.
"""

from __future__ import annotations

import sys
import time

from django.conf import settings


def pause_point(name: str, **seen: object) -> None:
    if getattr(settings, "FAULT_PAUSE_AT", "") != name:
        return
    what = " ".join(f"{key}={value}" for key, value in seen.items())
    print(f"PAUSED {name} {what}".rstrip(), file=sys.stderr, flush=True)
    time.sleep(settings.FAULT_PAUSE_SECONDS)

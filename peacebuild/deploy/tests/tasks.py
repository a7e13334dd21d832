"""A task for the worker tests: appends its number to a file, slowly enough to overlap."""

import os
import time

from django_tasks import task


@task()
def record(path: str, number: int) -> int:
    time.sleep(0.1)
    fd = os.open(path, os.O_WRONLY | os.O_APPEND | os.O_CREAT, 0o600)
    try:
        os.write(fd, f"{number} {os.getpid()}\n".encode())
    finally:
        os.close(fd)
    return number

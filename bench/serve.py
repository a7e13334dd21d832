"""Requests per second on the sign-in page: `peacebuild serve` (gunicorn) against the
development server (`runserver`, the reference), both on loopback, on the same database.

    PEACEBUILD_DATA_DIR=/tmp/pb-bench .venv/bin/python bench/serve.py [seconds] [clients]

Migrate the database first (`peacebuild migrate`). Prints each server's figures and the
ratio; last line `serve/runserver: X`.
"""

import os
import socket
import subprocess
import sys
import threading
import time
import urllib.request


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def wait_up(url: str) -> None:
    for _ in range(240):
        try:
            urllib.request.urlopen(url, timeout=2).read()
            return
        except OSError:
            time.sleep(0.25)
    raise SystemExit(f"{url} did not answer")


def hammer(url: str, seconds: float, clients: int) -> tuple[float, int]:
    counts, errors, stop = [0] * clients, [0], time.monotonic() + seconds

    def client(i: int) -> None:
        while time.monotonic() < stop:
            try:
                urllib.request.urlopen(url, timeout=10).read()
                counts[i] += 1
            except OSError:
                errors[0] += 1

    threads = [threading.Thread(target=client, args=(i,)) for i in range(clients)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    return sum(counts) / seconds, errors[0]


def measure(command: list[str], port: int, seconds: float, clients: int) -> tuple[float, int]:
    env = os.environ | {"TASKS_BACKEND": "immediate"}
    server = subprocess.Popen(command, env=env, stdout=subprocess.DEVNULL,
                              stderr=subprocess.DEVNULL)
    try:
        url = f"http://127.0.0.1:{port}/login/"
        wait_up(url)
        hammer(url, 3, clients)  # warm up every worker process
        return hammer(url, seconds, clients)
    finally:
        server.terminate()
        server.wait(30)


def main() -> None:
    seconds = float(sys.argv[1]) if len(sys.argv) > 1 else 8
    clients = int(sys.argv[2]) if len(sys.argv) > 2 else 8
    py = [sys.executable, "-m", "peacebuild"]
    p1, p2 = free_port(), free_port()
    dev, dev_errors = measure([*py, "runserver", f"127.0.0.1:{p1}", "--noreload",
                               "--skip-checks"], p1, seconds, clients)
    prod, prod_errors = measure([*py, "serve", "--bind", f"127.0.0.1:{p2}"], p2, seconds,
                                clients)
    print(f"runserver: {dev:.1f} requests/s ({dev_errors} errors)")
    print(f"serve (gunicorn, {os.environ.get('WEB_CONCURRENCY') or 2 * (os.cpu_count() or 1) + 1}"
          f" processes): {prod:.1f} requests/s ({prod_errors} errors)")
    print(f"serve/runserver: {prod / dev:.2f}")


if __name__ == "__main__":
    main()

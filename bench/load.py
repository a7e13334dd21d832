"""50 users at once against the production server (`peacebuild serve`) on loopback.

    .venv/bin/python bench/load.py --activities 1000000 --attendance 10000000 \
        --database-url postgres://postgres@127.0.0.1:5432/pb_load --workdir DIR --reuse \
        [--seconds 60] [--users 50] [--workers 5]

Generates (or, with `--reuse`, finds) the synthetic office of bench/synthetic.py, makes what
signing in needs (a user per virtual user, each with a role in the office that needs no
second factor, and an API token each; a draft report), starts `peacebuild serve` (gunicorn,
`--workers` processes; `PRODUCTION=1` on PostgreSQL, 0 on SQLite; plain-HTTP cookies: no
HTTPS proxy on loopback) and drives it for `--seconds` with `--users` concurrent users. Each
user signs in through the sign-in page, then requests pages one after another, with no
pause, going round the mix from its own place in it: the overview, the activity list (with
filters, and pages 90 % deep through its keyset cursor), the dashboards, a report, the
API's lists, and a static file served by WhiteNoise, the reference. The reference is
requested by the same users in the same load, so its latency holds the same queueing for
a worker: a page's p95 over the reference's says what the page adds to that wait.

An answer is an error unless it has the expected status (no redirect is followed: a
redirect to the sign-in page is an error) and its body is the page (a marker of the page
found; HTML pages must not hold the sign-in form; API lists must list records).
Besides the client's times, each page's time inside the server (without the wait for a
free process) comes from the server's request log, `server.log` in the work folder,
matched by the `X-Request-ID` the bench sends. The last line is
`worst p95 ratio: X, errors: N` (the slowest page's p95 over the reference's).
"""

import asyncio
import base64
import os
import re
import secrets
import socket
import subprocess
import sys
import time
from dataclasses import dataclass, field
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

import synthetic as data  # noqa: E402  (bench/synthetic.py: the generator)

ROOT = Path(__file__).resolve().parent.parent
ROLES = ["head", "monitoring", "programme", "viewer"]  # none of them needs a second factor
PASSWORD = "load-bench-" + secrets.token_urlsafe(12)


def arguments(p) -> None:
    p.add_argument("--seconds", type=float, default=60, help="measured time (default 60)")
    p.add_argument("--warmup", type=float, default=5,
                   help="seconds of load before the measurement starts (default 5)")
    p.add_argument("--users", type=int, default=50, help="concurrent users (default 50)")
    p.add_argument("--workers", type=int, default=0,
                   help="server processes (default: the server's, 2 × CPUs + 1)")


@dataclass
class Page:
    name: str
    path: str
    marker: str  # a string only the real page holds
    api: bool = False
    times: list[float] = field(default_factory=list)
    errors: int = 0
    ids: set[str] = field(default_factory=set)  # X-Request-ID of each measured request
    server_ms: list[float] = field(default_factory=list)  # their time inside the server


def fixtures(office_id: int, users: int) -> dict:
    """Users, tokens and a report for the bench, made afresh on each run, and the ids and
    cursors the pages' URLs name."""
    import datetime as dt

    from django.contrib.auth.hashers import make_password

    from peacebuild.accounts.models import Membership, User
    from peacebuild.accounts.permissions import SYSTEM
    from peacebuild.activities.models import ActivityType
    from peacebuild.activities.queries import ActivityFilter, filter_activities
    from peacebuild.exchange.api.models import ApiToken
    from peacebuild.exchange.api.services import token_create
    from peacebuild.mandates.models import Office
    from peacebuild.partners.models import Organisation
    from peacebuild.places.models import Place
    from peacebuild.programmes.models import Programme
    from peacebuild.reporting.models import Report
    from peacebuild.reporting.services import report_create

    office = Office.objects.get(pk=office_id)
    ApiToken.objects.filter(user__username__startswith="load-").delete()
    hashed = make_password(PASSWORD)  # one hash for all: signing in checks it as usual
    accounts = []
    for i in range(users):
        user, _ = User.objects.update_or_create(
            username=f"load-{i:03}", defaults={"password": hashed, "is_active": True})
        Membership.objects.update_or_create(user=user, office=office,
                                            defaults={"role": ROLES[i % len(ROLES)]})
        _token, key = token_create(actor=SYSTEM, user=user, office=office, name="load bench",
                                   scope="read")
        accounts.append((user.username, key))
    report = Report.objects.filter(office=office, kind=Report.Kind.PROGRESS).first() or \
        report_create(actor=SYSTEM, office=office, kind=Report.Kind.PROGRESS,
                      period_start=dt.date(2003, 1, 1), period_end=dt.date(2003, 6, 30))

    def deep(flt: ActivityFilter) -> str:
        """The keyset cursor 90 % of the way down the list with this filter."""
        qs = filter_activities(office, flt).order_by("-starts_on", "-id")
        row = qs.values("starts_on", "id")[int(qs.count() * 0.9)]
        return f"{row['starts_on'].isoformat()}.{row['id']}"

    a_type = ActivityType.objects.filter(code="bench-3").get().pk
    region = Place.objects.filter(level=Place.Level.REGION).order_by("code").first().pk
    programme = Programme.objects.filter(office=office).order_by("pk").first().pk
    partner = Organisation.objects.filter(office=office).order_by("pk").first()
    return {"accounts": accounts, "report": report.pk, "type": a_type, "region": region,
            "programme": programme, "partner": partner.pk if partner else "",
            "deep": deep(ActivityFilter()), "deep_type": deep(ActivityFilter(type=a_type))}


def pages(f: dict) -> list[Page]:
    t, r, p = f["type"], f["region"], f["programme"]
    return [
        Page("overview", "/", 'data-measure="activities"'),
        Page("activities", "/activities/", "Synthetic activity"),
        Page("activities ?type&region", f"/activities/?type={t}&region={r}",
             "Synthetic activity"),
        Page("activities ?sex&category&dates", "/activities/?sex=f&participant_category=youth"
             "&date_from=2002-01-01&date_to=2004-12-31", "Synthetic activity"),
        Page("activities ?partner", f"/activities/?partner={f['partner']}",
             "Synthetic activity"),
        Page("activities, 90 % deep", f"/activities/?after={f['deep']}", "Synthetic activity"),
        Page("activities ?type, 90 % deep", f"/activities/?type={t}&after={f['deep_type']}",
             "Synthetic activity"),
        Page("dashboard", "/results/", "Programme 0"),
        Page("programme dashboard", f"/results/programme/{p}/", "Programme 0"),
        Page("report", f"/reports/{f['report']}/", "<h1>Periodic progress report</h1>"),
        Page("api activities", "/api/activities/?limit=50", '"next_cursor"', api=True),
        Page("api activities ?type, deep", f"/api/activities/?type={t}&after={f['deep_type']}",
             '"next_cursor"', api=True),
        Page("api programmes", "/api/programmes/", '"next_cursor"', api=True),
        Page("api partners", "/api/partners/", '"next_cursor"', api=True),
    ]


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def case_keys(workdir: Path) -> tuple[str, str]:
    """The case keys, made once per work folder: the database remembers which key it met."""
    # not "case_keys": the application reads a file of that name in its data folder, in
    # its own format (docs/security.md)
    path = workdir / "bench-case-keys"
    if not path.exists():
        from peacebuild.casework.models import KeyCheck

        KeyCheck.objects.all().delete()  # a bench database holds no case: forget old keys
        path.write_text(" ".join(base64.b64encode(os.urandom(32)).decode() for _ in "ab"))
        path.chmod(0o600)
    key, index_key = path.read_text().split()
    return f"k1:{key}", index_key


def server_env(workdir: Path, url: str, port: int, workers: int) -> dict:
    keys, index_key = case_keys(workdir)
    env = os.environ | {
        "DJANGO_SETTINGS_MODULE": "peacebuild.settings",
        "PEACEBUILD_DATA_DIR": str(workdir), "STATIC_ROOT": str(workdir / "static"),
        "BIND": f"127.0.0.1:{port}", "ALLOWED_HOSTS": "127.0.0.1,localhost",
        "SECRET_KEY": secrets.token_urlsafe(50),
        "PEACEBUILD_CASE_KEYS": keys, "PEACEBUILD_CASE_INDEX_KEY": index_key,
        "TASKS_BACKEND": "immediate", "STATIC_COMPRESS": "0", "LOG_LEVEL": "WARNING",
        # Production settings, on plain HTTP: there is no HTTPS proxy on loopback.
        "PRODUCTION": "1" if url else "0", "SECURE_SSL_REDIRECT": "0", "SECURE_COOKIES": "0",
        "REQUEST_LOG": "1",
    }
    if url:
        env["DATABASE_URL"] = url
    else:
        env.pop("DATABASE_URL", None)
    if workers:
        env["WEB_CONCURRENCY"] = str(workers)
    return env


def start_server(env: dict, workdir: Path) -> subprocess.Popen:
    py = [sys.executable, "-m", "peacebuild"]
    if env["PRODUCTION"] == "1" and not (workdir / "static" / "staticfiles.json").exists():
        data.say("collectstatic…")
        subprocess.run([*py, "collectstatic", "--noinput", "--verbosity", "0"], env=env,
                       check=True, cwd=ROOT)
    log = open(workdir / "server.log", "ab")  # noqa: SIM115 (closed with the server)
    return subprocess.Popen([*py, "serve"], env=env, stdout=log, stderr=log, cwd=ROOT)


async def wait_up(base: str, server: subprocess.Popen) -> None:
    import aiohttp

    async with aiohttp.ClientSession() as s:
        for _ in range(240):
            if server.poll() is not None:
                raise SystemExit("the server stopped: see server.log in the work folder")
            try:
                async with s.get(f"{base}/login/") as r:
                    if r.status == 200:
                        return
            except aiohttp.ClientError:
                pass
            await asyncio.sleep(0.25)
    raise SystemExit(f"{base} did not answer")


async def sign_in(session, base: str, username: str) -> None:
    async with session.get(f"{base}/login/") as r:
        body = await r.text()
    token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', body)
    if token is None:
        raise RuntimeError("no sign-in form")
    async with session.post(f"{base}/login/", allow_redirects=False, data={
            "username": username, "password": PASSWORD, "next": "/",
            "csrfmiddlewaretoken": token.group(1)}) as r:
        if r.status != 302 or r.headers.get("Location") != "/":
            raise RuntimeError(f"sign-in refused ({r.status})")


async def static_path(base: str) -> str:
    """The stylesheet the sign-in page links (hashed name in production)."""
    import aiohttp

    async with aiohttp.ClientSession() as s, s.get(f"{base}/login/") as r:
        body = await r.text()
    match = re.search(r'href="(/static/[^"]+\.css)"', body)
    if match is None:
        raise SystemExit("the sign-in page links no stylesheet")
    return match.group(1)


async def user(i: int, base: str, account: tuple[str, str], mix: list[Page],
               clock: dict, signed_in: asyncio.Barrier, failures: list[str]) -> None:
    import aiohttp

    jar = aiohttp.CookieJar(unsafe=True)  # cookies for an IP address
    timeout = aiohttp.ClientTimeout(total=120)
    async with aiohttp.ClientSession(cookie_jar=jar, timeout=timeout,
                                     connector=aiohttp.TCPConnector(limit=1)) as session:
        await sign_in(session, base, account[0])
        await signed_in.wait()
        if "from" not in clock:  # the first one past the barrier starts the clock for all
            clock["from"] = time.monotonic() + clock["warmup"]
            clock["stop"] = clock["from"] + clock["seconds"]
        measure_from, stop_at = clock["from"], clock["stop"]
        token = {"Authorization": f"Bearer {account[1]}"}
        turn = i  # each user goes round the mix from its own place in it: an even mix
        while (started := time.monotonic()) < stop_at:
            page = mix[turn % len(mix)]
            turn += 1
            ok, why = False, ""
            request_id = f"load-{i:03}-{turn:07}"
            headers = {"X-Request-ID": request_id} | (token if page.api else {})
            try:
                async with session.get(base + page.path, allow_redirects=False,
                                       headers=headers) as r:
                    body = await r.text()
                    if r.status != 200:
                        why = f"status {r.status}"
                    elif page.marker not in body:
                        why = "not the page"
                    elif not page.api and page.name != "reference" and \
                            'name="password"' in body:
                        why = "the sign-in page"
                    elif page.api and '"results": []' in body.replace('":[]', '": []'):
                        why = "an empty list"
                    else:
                        ok = True
            except (TimeoutError, aiohttp.ClientError) as error:
                why = f"{type(error).__name__}: {error}"
            if started < measure_from:
                continue
            page.times.append(time.monotonic() - started)
            page.ids.add(request_id)
            if not ok:
                page.errors += 1
                if len(failures) < 10:
                    failures.append(f"{page.name} {page.path}: {why}")


def server_times(log: Path, offset: int, mix: list[Page]) -> None:
    """Each measured request's duration inside the server, from its line in the request
    log (peacebuild/deploy/logs.py), found by the request id the bench sent."""
    import json

    page_of = {rid: page for page in mix for rid in page.ids}
    with open(log, "rb") as fh:
        fh.seek(offset)
        for line in fh:
            if b'"request_id": "load-' not in line:
                continue
            entry = json.loads(line)
            page = page_of.get(entry.get("request_id", ""))
            if page is not None:
                page.server_ms.append(entry["duration_ms"])


def percentile(values: list[float], q: float) -> float:
    """Nearest rank: the smallest value with at least q of the values at or below it."""
    if not values:
        return float("nan")
    ordered = sorted(values)
    return ordered[max(0, min(len(ordered) - 1, int(q * len(ordered) + 0.999999) - 1))]


async def drive(base: str, accounts: list, mix: list[Page], warmup: float,
                seconds: float) -> tuple[list[str], float]:
    """Every user signs in, then all request pages for warmup + seconds; returns the
    failures and the measured time (to the end of the last request)."""
    failures: list[str] = []
    clock = {"warmup": warmup, "seconds": seconds}
    signed_in = asyncio.Barrier(len(accounts))
    await asyncio.gather(*(user(i, base, accounts[i], mix, clock, signed_in, failures)
                           for i in range(len(accounts))))
    return failures, time.monotonic() - clock["from"]


def main() -> int:
    args = data.parse_args(arguments)
    args.keep_cubes = True  # built when the office is generated; the pages only read them
    workdir = data.workdir_of(args)
    setup = data.setup(args, workdir, partners=True, duck=False)
    from django.db import connection

    from peacebuild.activities.models import Activity, Attendance

    office_id = setup["office_id"]
    n_act = Activity.objects.filter(office_id=office_id).count()
    n_att = Attendance.objects.filter(activity__office_id=office_id).count()
    data.say("making the users, tokens and report…")
    f = fixtures(office_id, args.users)
    vendor = connection.vendor
    mix = pages(f)
    port = free_port()
    env = server_env(workdir, args.database_url, port, args.workers)
    connection.close()
    workers = env.get("WEB_CONCURRENCY") or str(2 * (os.cpu_count() or 1) + 1)
    base = f"http://127.0.0.1:{port}"
    log = workdir / "server.log"
    offset = log.stat().st_size if log.exists() else 0
    server = start_server(env, workdir)
    try:
        asyncio.run(wait_up(base, server))
        reference = Page("reference", "", "")
        reference.path = asyncio.run(static_path(base))
        reference.marker = "{"  # any stylesheet has a rule
        mix.append(reference)
        load_before = os.getloadavg()
        data.say(f"{args.users} users for {args.warmup:g} + {args.seconds:g} s…")
        failures, elapsed = asyncio.run(drive(base, f["accounts"], mix, args.warmup,
                                              args.seconds))
        load_after = os.getloadavg()
    finally:
        server.terminate()
        server.wait(60)
    server_times(log, offset, mix)
    total = sum(len(p.times) for p in mix)
    errors = sum(p.errors for p in mix)
    ref95 = percentile(reference.times, 0.95)
    print(f"database: {vendor}; {n_act:,} activities, {n_att:,} attendance rows")
    print(f"server: peacebuild serve (gunicorn, {workers} processes, "
          f"PRODUCTION={env['PRODUCTION']}); {os.cpu_count()} CPUs")
    print(f"{args.users} users for {args.seconds:g} s after {args.warmup:g} s of warm-up; "
          f"load average {load_before[0]:.2f} before, {load_after[0]:.2f} after")
    print(f"reference: {reference.path} (a static file served by WhiteNoise)")
    print("times in ms; 'in server': p50 and p95 of the time inside the server (its request "
          "log), without the wait for a free process")
    print(f"{'page':34} {'requests':>8} {'p50':>7} {'p95':>7} {'p99':>7} {'errors':>6} "
          f"{'p95/ref':>7} {'in server p50':>13} {'p95':>6}")
    worst = 0.0 if reference.times else float("nan")
    for p in mix:
        if not p.times:
            print(f"{p.name:34} {0:>8} {'—':>7} {'—':>7} {'—':>7} {0:>6} {'—':>7}")
            continue
        p95 = percentile(p.times, 0.95)
        ratio = p95 / ref95 if reference.times else float("nan")
        if p is not reference and ratio == ratio:
            worst = max(worst, ratio)
        print(f"{p.name:34} {len(p.times):>8} {percentile(p.times, 0.5) * 1000:>7.0f} "
              f"{p95 * 1000:>7.0f} {percentile(p.times, 0.99) * 1000:>7.0f} {p.errors:>6} "
              f"{ratio:>7.2f} {percentile(p.server_ms, 0.5):>13.1f} "
              f"{percentile(p.server_ms, 0.95):>6.1f}")
    for failure in failures:
        print(f"error: {failure}")
    print(f"throughput: {total / elapsed:.1f} requests/s ({total} in {elapsed:.1f} s)")
    print(f"worst p95 ratio: {worst:.2f}, errors: {errors}")
    return 0


if __name__ == "__main__":
    sys.exit(main())

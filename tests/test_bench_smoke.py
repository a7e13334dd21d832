"""The bench scripts run end to end at a small scale: the engine and DuckDB agree, and the
write bench finds the summary tables exact."""

import re
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def test_bench_figures_agrees_with_duckdb_at_small_scale(tmp_path):
    result = subprocess.run(
        [sys.executable, str(ROOT / "bench" / "figures.py"), "--activities", "400",
         "--attendance", "4000", "--repeat", "1"],
        capture_output=True, text=True, timeout=300, cwd=tmp_path,
        env={"PATH": "/usr/bin:/bin", "HOME": str(tmp_path)},
    )
    assert result.returncode == 0, result.stdout + result.stderr
    lines = result.stdout.strip().splitlines()
    assert "numbers equal: yes" in lines
    assert lines[-1].startswith("ratio: ")
    assert "400 activities, 4,000 attendance" in result.stdout


def test_bench_exchange_iati_runs_at_small_scale(tmp_path):
    result = subprocess.run(
        [sys.executable, str(ROOT / "bench" / "exchange.py"), "--activities", "300",
         "--import-activities", "20", "--group", "iati"],
        capture_output=True, text=True, timeout=300, cwd=tmp_path,
        env={"PATH": "/usr/bin:/bin", "HOME": str(tmp_path)},
    )
    assert result.returncode == 0, result.stdout + result.stderr
    lines = result.stdout.strip().splitlines()
    assert lines[0] == "IATI: 300 activities, 0.5 MB (checks and import: 20 activities)"
    assert "full import, committed: 20 in" in result.stdout and "0 errors" in result.stdout
    assert lines[-1].startswith("ratio: ")


def _run(script: str, tmp_path, *args: str) -> list[str]:
    result = subprocess.run(
        [sys.executable, str(ROOT / "bench" / script), *args],
        capture_output=True, text=True, timeout=300, cwd=tmp_path,
        env={"PATH": "/usr/bin:/bin", "HOME": str(tmp_path)},
    )
    assert result.returncode == 0, result.stdout + result.stderr
    return result.stdout.strip().splitlines()


def test_bench_figure_shapes_agree_with_duckdb_at_small_scale(tmp_path):
    lines = _run("figures_shapes.py", tmp_path, "--activities", "300", "--attendance",
                 "3000", "--repeat", "1")
    assert "numbers equal: yes" in lines
    groups = [line.split(":")[0] for line in lines if " figures, engine " in line]
    assert groups == ["cut window", "attendee", "attendee + window", "partner",
                      "partner + who", "partner attendance"]
    assert lines[-1].startswith("ratio: ")


def test_bench_activity_list_pages_agree_with_duckdb_at_small_scale(tmp_path):
    lines = _run("activity_list_duckdb.py", tmp_path, "--activities", "2000", "--attendance",
                 "20000", "--repeat", "1")
    assert "numbers equal: yes" in lines
    names = [line.split(":")[0] for line in lines if " ms, ratio " in line]
    assert names[0] == "no filter" and "partner" in names and "text" in names
    assert "sex + category + dates" in names
    assert all(line.endswith("equal yes") for line in lines if " ms, ratio " in line)
    assert lines[-1].startswith("ratio: ")


def test_bench_writes_keeps_the_tables_exact_at_small_scale(tmp_path):
    lines = _run("writes.py", tmp_path, "--activities", "200", "--attendance", "2000",
                 "--bulk", "200", "--saves", "3")
    assert "summary tables equal a rebuild after the bulk load: yes" in lines
    assert any(line.startswith("single save: ") for line in lines)
    assert any(line.startswith("bulk load: ") for line in lines)
    assert lines[-1].startswith("ratio: ")


def test_bench_exchange_sheets_runs_at_small_scale(tmp_path):
    lines = _run("exchange_sheets.py", tmp_path, "--rows", "200", "--save", "20")
    out = "\n".join(lines)
    assert "200 rows" in out and "saving 20 rows" in out
    assert lines[-1].startswith("ratio: ")


def test_bench_report_render_renders_every_language(tmp_path):
    lines = _run("report_render.py", tmp_path, "--repeat", "1", "--formats", "docx")
    out = "\n".join(lines)
    assert "7 languages" in out and "docx    zh" in out
    assert lines[-1].startswith("total: ")


def test_bench_trail_view_runs_at_small_scale(tmp_path):
    lines = _run("trail_view.py", tmp_path, "--entries", "600", "--repeat", "1")
    assert "600 entries  whole chain" in "\n".join(lines)
    assert lines[-1].startswith("ratio: ")


def test_bench_load_serves_every_page_without_error(tmp_path):
    """bench/load.py against `peacebuild serve` for a few seconds: users sign in, every answer
    is the real page, and the summary ends as the docs say. On PostgreSQL (DATABASE_URL) it
    runs in a database of its own, beside the test database, dropped at the end."""
    import os

    url = os.environ.get("DATABASE_URL", "")
    # 15 users, one per page of the mix, no warm-up: each user's first page is measured,
    # so every page is requested at least once.
    args = ["--activities", "300", "--attendance", "3000", "--seconds", "3", "--warmup", "0",
            "--users", "15", "--workers", "2", "--workdir", str(tmp_path / "work")]
    if url.startswith(("postgres://", "postgresql://")):
        url = url.rsplit("/", 1)[0] + "/pb_bench_load_smoke"
        args += ["--database-url", url]
    try:
        lines = _run("load.py", tmp_path, *args)
    finally:
        if "pb_bench_load_smoke" in url:
            import psycopg

            with psycopg.connect(url.rsplit("/", 1)[0] + "/postgres", autocommit=True) as c:
                c.execute('DROP DATABASE IF EXISTS "pb_bench_load_smoke"')
    assert "database: " + ("postgresql" if url else "sqlite") + "; 300 activities" in lines[0]
    header = next(i for i, line in enumerate(lines) if line.startswith("page "))
    rows = lines[header + 1:header + 16]
    names = [line[:34].strip() for line in rows]
    assert names[0] == "overview" and names[-1] == "reference" and "report" in names
    assert all(int(line[34:43]) >= 1 for line in rows), lines  # every page was timed
    assert not [line for line in lines if line.startswith("error: ")], lines
    assert lines[-2].startswith("throughput: ")
    assert re.fullmatch(r"worst p95 ratio: \d+\.\d\d, errors: 0", lines[-1]), lines

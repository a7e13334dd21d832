"""The bench scripts run end to end at a small scale: the engine and DuckDB agree, and the
write bench finds the summary tables exact."""

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
    assert groups == ["cut window", "attendee", "attendee + window", "partner"]
    assert lines[-1].startswith("ratio: ")


def test_bench_writes_keeps_the_tables_exact_at_small_scale(tmp_path):
    lines = _run("writes.py", tmp_path, "--activities", "200", "--attendance", "2000",
                 "--bulk", "200", "--saves", "3")
    assert "summary tables equal a rebuild after the bulk load: yes" in lines
    assert any(line.startswith("single save: ") for line in lines)
    assert any(line.startswith("bulk load: ") for line in lines)
    assert lines[-1].startswith("ratio: ")


def test_bench_exchange_sheets_runs_at_small_scale(tmp_path):
    result = subprocess.run(
        [sys.executable, str(ROOT / "bench" / "exchange_sheets.py"), "--rows", "200",
         "--save", "20"],
        capture_output=True, text=True, timeout=300, cwd=tmp_path,
        env={"PATH": "/usr/bin:/bin", "HOME": str(tmp_path)},
    )
    assert result.returncode == 0, result.stdout + result.stderr
    assert "200 rows" in result.stdout and "saving 20 rows" in result.stdout
    assert result.stdout.strip().splitlines()[-1].startswith("ratio: ")

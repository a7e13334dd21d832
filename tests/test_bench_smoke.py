"""bench/figures.py runs end to end at a small scale: the engine and DuckDB agree."""

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

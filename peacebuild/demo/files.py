"""Reading the demo's data files (`data/*.json`), installed with the package."""

import json
from functools import cache
from pathlib import Path
from typing import Any

DATA_DIR = Path(__file__).parent / "data"


@cache
def _load(name: str) -> str:
    return (DATA_DIR / name).read_text(encoding="utf-8")


def read(name: str) -> Any:
    """A fresh copy of one data file's content (callers may change what they get)."""
    return json.loads(_load(name))

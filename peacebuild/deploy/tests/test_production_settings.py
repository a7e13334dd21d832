"""PRODUCTION=1: settings from the environment only, or no start, with the reason."""

import os
import subprocess
import sys
from pathlib import Path

import pytest

KEY = "k1:" + "a" * 43 + "="
INDEX = "i" * 43 + "="
COMPLETE = {"PRODUCTION": "1", "SECRET_KEY": "s" * 50, "ALLOWED_HOSTS": "pb.example.org",
            "DATABASE_URL": "postgres://pb:pw@127.0.0.1:5432/pb",
            "PEACEBUILD_CASE_KEYS": KEY, "PEACEBUILD_CASE_INDEX_KEY": INDEX}
SHOW = ("import django; django.setup(); from django.conf import settings as s; "
        "print(s.SECRET_KEY[:3], s.ALLOWED_HOSTS, s.STORAGES['staticfiles']['BACKEND'], "
        "s.LOG_FORMAT)")


def _settings(environment: dict[str, str], tmp_path: Path) -> subprocess.CompletedProcess:
    clean = {k: v for k, v in os.environ.items()
             if not k.startswith(("PEACEBUILD_CASE", "SECRET_KEY", "DATABASE_URL",
                                  "ALLOWED_HOSTS", "PRODUCTION"))}
    return subprocess.run(
        [sys.executable, "-c", SHOW], capture_output=True, text=True, timeout=60,
        env=clean | {"DJANGO_SETTINGS_MODULE": "peacebuild.settings",
                     "PEACEBUILD_DATA_DIR": str(tmp_path)} | environment)


def test_production_refuses_to_start_naming_what_is_missing(tmp_path):
    result = _settings({"PRODUCTION": "1", "SECRET_KEY": "s" * 50}, tmp_path)
    assert result.returncode != 0
    assert ("Peacebuild will not start in production (PRODUCTION=1) without DATABASE_URL, "
            "ALLOWED_HOSTS, PEACEBUILD_CASE_KEYS, PEACEBUILD_CASE_INDEX_KEY") in result.stderr
    assert not (tmp_path / "secret_key").exists(), "no key was made up"


def test_production_wants_postgresql(tmp_path):
    result = _settings(COMPLETE | {"DATABASE_URL": f"sqlite:///{tmp_path}/db"}, tmp_path)
    assert result.returncode != 0
    assert "DATABASE_URL must be a PostgreSQL URL" in result.stderr


@pytest.mark.parametrize("unreadable", [False, True])
def test_secrets_from_files(tmp_path, unreadable):
    secret = tmp_path / "secret_key"
    if not unreadable:
        secret.write_text("from-a-file-" + "x" * 40 + "\n")
    environment = {k: v for k, v in COMPLETE.items() if k != "SECRET_KEY"}
    result = _settings(environment | {"SECRET_KEY_FILE": str(secret)}, tmp_path)
    if unreadable:
        assert result.returncode != 0
        assert "SECRET_KEY_FILE names a file that cannot be read" in result.stderr
    else:
        assert result.returncode == 0, result.stderr
        assert result.stdout.split() == [
            "fro", "['pb.example.org']", "whitenoise.storage.CompressedManifestStaticFilesStorage",
            "json"]


def test_production_refuses_the_fault_tests_pause_points(tmp_path):
    result = _settings(COMPLETE | {"PEACEBUILD_FAULT_PAUSE_AT": "activity-saved"}, tmp_path)
    assert result.returncode != 0
    assert "PEACEBUILD_FAULT_PAUSE_AT set: it is for the fault tests only" in result.stderr

"""The translation catalogues are current and complete: every string the code marks for
translation is in the Russian, Tajik and Chinese catalogues, translated, and no catalogue
holds strings the code no longer uses. Regenerates the catalogues in a copy of the
package with Django's makemessages (Debian's gettext) and compares."""

import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from babel.messages.pofile import read_po

import peacebuild

PACKAGE = Path(peacebuild.__file__).parent
LANGUAGES = ["ru", "tg", "zh_Hans", "ar", "fr", "es"]
# Complete today; Arabic, French and Spanish join as their catalogues are filled (issue 12).
COMPLETE = ["ru", "tg", "zh_Hans"]


def catalogue(root: Path, language: str):
    with open(root / "locale" / language / "LC_MESSAGES" / "django.po", "rb") as fh:
        return read_po(fh)


def ids(cat) -> set:
    return {m.id for m in cat if m.id}


@pytest.fixture(scope="module")
def regenerated(tmp_path_factory) -> Path:
    if shutil.which("xgettext") is None:
        pytest.fail("Debian's gettext is not installed: run scripts/system-deps.sh")
    copy = tmp_path_factory.mktemp("catalogues") / "peacebuild"
    shutil.copytree(PACKAGE, copy, ignore=shutil.ignore_patterns("__pycache__", "*.mo"))
    env = {**os.environ, "PYTHONPATH": str(copy.parent), "PEACEBUILD_DATA_DIR": str(copy.parent)}
    args = [sys.executable, "-m", "django", "makemessages", "--no-location",
            *[f"-l{lang}" for lang in LANGUAGES]]
    subprocess.run(args, cwd=copy, env={**env, "DJANGO_SETTINGS_MODULE": "peacebuild.settings"},
                   check=True, capture_output=True)
    return copy


@pytest.mark.parametrize("language", LANGUAGES)
def test_catalogue_holds_exactly_the_strings_of_the_code(regenerated, language):
    committed, current = catalogue(PACKAGE, language), catalogue(regenerated, language)
    missing = ids(current) - ids(committed)
    stale = ids(committed) - ids(current)
    assert not missing, f"not in {language} (run makemessages): {sorted(missing)[:10]}"
    assert not stale, f"no longer used, still in {language}: {sorted(stale)[:10]}"


@pytest.mark.parametrize("language", COMPLETE)
def test_every_string_is_translated(language):
    cat = catalogue(PACKAGE, language)
    untranslated = [m.id for m in cat if m.id and (
        not m.string or (isinstance(m.string, tuple) and not all(m.string)))]
    fuzzy = [m.id for m in cat if m.id and m.fuzzy]
    assert not untranslated, f"untranslated in {language}: {untranslated[:10]}"
    assert not fuzzy, f"fuzzy in {language}: {fuzzy[:10]}"

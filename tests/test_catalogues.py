"""The translation catalogues are current and complete: every string the code marks for
translation is in the Arabic, Chinese, French, Russian, Spanish and Tajik catalogues,
translated, and no catalogue holds strings the code no longer uses (regenerated in a copy
of the package with Django's makemessages, Debian's gettext, and compared). Each catalogue
declares the plural rule Django itself uses for the language, and every translation keeps
its source's placeholders and markup."""

import gettext
import os
import re
import shutil
import subprocess
import sys
from collections import Counter
from pathlib import Path

import django
import pytest
from babel.messages.pofile import read_po

import peacebuild

PACKAGE = Path(peacebuild.__file__).parent
LANGUAGES = ["ru", "tg", "zh_Hans", "ar", "fr", "es"]
COMPLETE = LANGUAGES
# Plural forms per language, as Django's own catalogues (and gettext's CLDR-derived rules)
# have them: Arabic zero/one/two/few/many/other; Russian one/few/many/other; Spanish
# one/many (millions: "1 000 000 de días")/other; French one (0 and 1)/other.
NPLURALS = {"ru": 4, "tg": 2, "zh_Hans": 1, "ar": 6, "fr": 2, "es": 3}
# %(name)s, %s, %d, a literal %% and {name} (str.format fields and the report texts' figures).
PLACEHOLDER = re.compile(r"%\([A-Za-z_][A-Za-z0-9_]*\)[sdfi]|%[sdfi]|%%|\{[A-Za-z_][A-Za-z0-9_]*\}")
TAG = re.compile(r"</?[A-Za-z][^>]*>")
BIDI_CONTROLS = re.compile("[\u200e\u200f\u202a-\u202e\u2066-\u2069\u061c]")
# Enough numbers to tell every plural category apart (n % 100, n % 1000000).
NUMBERS = [*range(1001), 1_000_000, 2_000_000, 3_000_000]


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
    assert not cat.fuzzy, f"the {language} header is fuzzy: Babel's compile would skip it"


def plural_rule(language: str):
    with open(PACKAGE / "locale" / language / "LC_MESSAGES" / "django.po", "rb") as fh:
        cat = read_po(fh)
    return cat.num_plurals, gettext.c2py(cat.plural_expr)


@pytest.mark.parametrize("language", LANGUAGES)
def test_plural_header_is_the_one_django_uses(language):
    nplurals, rule = plural_rule(language)
    assert nplurals == NPLURALS[language]
    django_po = Path(django.__file__).parent / "conf" / "locale" / language / "LC_MESSAGES"
    with open(django_po / "django.po", "rb") as fh:
        theirs = read_po(fh)
    # Django keeps one catalogue per plural rule: ours must pick the same form for every n.
    assert theirs.num_plurals == nplurals
    django_rule = gettext.c2py(theirs.plural_expr)
    assert [rule(n) for n in NUMBERS] == [django_rule(n) for n in NUMBERS]


def placeholders(text: str) -> Counter:
    return Counter(PLACEHOLDER.findall(text))


def problems_of(language: str) -> list[str]:
    """Translations that drop, add or change a placeholder or a tag of their source."""
    cat = catalogue(PACKAGE, language)
    _, rule = plural_rule(language)
    # A plural form chosen for one number only (Arabic zero, one, two) may spell the number
    # out ("يومان", two days) and leave the count out; every other form must show it.
    singles = {form for form in range(cat.num_plurals)
               if sum(1 for n in NUMBERS if rule(n) == form) == 1}
    problems = []
    for m in cat:
        if not m.id:
            continue
        if isinstance(m.id, tuple):
            source = placeholders(m.id[0]) | placeholders(m.id[1])
            tags = Counter(TAG.findall(m.id[1]))
            forms = list(enumerate(m.string))
        else:
            source, tags, forms = placeholders(m.id), Counter(TAG.findall(m.id)), [(None, m.string)]
        for form, text in forms:
            if not text:
                continue
            got = placeholders(text)
            missing, extra = source - got, got - source
            if form is not None and form in singles and sum(missing.values()) <= 1:
                missing = Counter()
            if missing or extra:
                problems.append(
                    f"{m.id!r} [{form}]: missing {sorted(missing)}, extra {sorted(extra)}")
            if Counter(TAG.findall(text)) != tags:
                problems.append(f"{m.id!r} [{form}]: markup differs: {text!r}")
            if BIDI_CONTROLS.search(text):
                problems.append(f"{m.id!r} [{form}]: bidi control character in {text!r}")
    return problems


@pytest.mark.parametrize("language", LANGUAGES)
def test_translations_keep_placeholders_and_markup(language):
    problems = problems_of(language)
    assert not problems, f"{len(problems)} in {language}: " + "; ".join(problems[:5])

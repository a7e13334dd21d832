"""Fill translation catalogues from a JSON file, or list what is left to translate.

    python scripts/translations.py todo LANG            # untranslated msgids as JSON
    python scripts/translations.py fill LANG FILE.json  # {"msgid": "msgstr" | [plural forms]}

A developer's tool (run after `makemessages`): it writes the catalogue through Babel and
normalises it with gettext's `msgcat`, so diffs stay as small as makemessages' own.
Plural entries take a list with as many forms as the language has (Arabic: six).
"""

import json
import subprocess
import sys
from pathlib import Path

from babel.messages.pofile import read_po, write_po

LOCALE = Path(__file__).resolve().parent.parent / "peacebuild" / "locale"


def path_of(language: str) -> Path:
    return LOCALE / language / "LC_MESSAGES" / "django.po"


def todo(language: str) -> None:
    with open(path_of(language), "rb") as fh:
        catalogue = read_po(fh)
    left: dict[str, object] = {}
    for message in catalogue:
        if not message.id:
            continue
        strings = message.string if isinstance(message.string, tuple) else (message.string,)
        if message.fuzzy or not all(strings):
            key = message.id[0] if isinstance(message.id, tuple) else message.id
            left[key] = list(message.id) if isinstance(message.id, tuple) else ""
    json.dump(left, sys.stdout, ensure_ascii=False, indent=1)
    print()


def fill(language: str, source: str) -> None:
    path = path_of(language)
    with open(path, "rb") as fh:
        catalogue = read_po(fh)
    given = json.loads(Path(source).read_text(encoding="utf-8"))
    filled = 0
    for message in catalogue:
        key = message.id[0] if isinstance(message.id, tuple) else message.id
        if not key or key not in given:
            continue
        value = given[key]
        if isinstance(message.id, tuple):
            forms = value if isinstance(value, list) else [value]
            message.string = tuple(forms)
        else:
            message.string = value
        message.flags.discard("fuzzy")
        message.previous_id = []
        message.user_comments = [c for c in message.user_comments if not c.startswith("|")]
        filled += 1
    header = path.read_text(encoding="utf-8").split("\n\n", 1)[0]
    with open(path, "wb") as fh:
        write_po(fh, catalogue, width=0, omit_header=False)
    subprocess.run(["msgcat", "--no-location", "-o", str(path), str(path)], check=True)
    # Keep the header exactly as it was (Babel would reorder it).
    body = path.read_text(encoding="utf-8").split("\n\n", 1)[1]
    path.write_text(header + "\n\n" + body, encoding="utf-8")
    print(f"{language}: {filled} filled")


if __name__ == "__main__":
    if sys.argv[1] == "todo":
        todo(sys.argv[2])
    else:
        fill(sys.argv[2], sys.argv[3])

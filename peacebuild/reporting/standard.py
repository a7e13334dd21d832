"""Reading the standard texts (`data/texts/<language>.txt`): one `[key]` line before each
text. `texts.py` says which of them draft each report; the narrative takes its phrases
(a casework figure's wording) from here too."""

from functools import cache
from pathlib import Path

TEXT_DIR = Path(__file__).parent / "data" / "texts"


@cache
def strings(language: str) -> dict[str, str]:
    """The `[key]` texts of one language."""
    out: dict[str, str] = {}
    key = None
    lines: list[str] = []
    for line in (TEXT_DIR / f"{language}.txt").read_text(encoding="utf-8").splitlines():
        if line.startswith("[") and line.rstrip().endswith("]") and " " not in line.strip():
            if key:
                out[key] = "\n".join(lines).strip()
            key, lines = line.strip()[1:-1], []
        elif not line.startswith("#"):
            lines.append(line)
    if key:
        out[key] = "\n".join(lines).strip()
    return out


def text(lang: str, key: str, **values: str) -> str:
    """A short standard string (masthead, title), with {named} values filled in."""
    template = strings(lang).get(key) or strings("en")[key]
    for name, value in values.items():
        template = template.replace("{" + name + "}", value)
    return template

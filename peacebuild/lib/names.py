"""Names of the office's records in several languages.

A record keeps its English name in its own column (`name`, `title`, …) and the other
languages beside it in one JSON field (`names`, `titles`, …): {"ru": "…", "zh": "…"}. The
keys are the short language codes the reports use ("zh", not "zh-hans"). One rule reads
them everywhere: the name in the language asked for, else the English name."""

from collections.abc import Mapping

# The languages a name may be translated into, in the order forms show them. English is
# the record's own column, so it is not among them.
OTHER_LANGUAGES = ("ru", "tg", "zh", "ar", "fr", "es")


def language_key(language: str | None) -> str:
    """The key a name is kept under for an interface or document language: "zh-hans" → "zh"."""
    return (language or "en").split("-")[0].split("_")[0].lower()


def pick_name(default: str, names: Mapping[str, str] | None, language: str | None) -> str:
    """The name in `language` (e.g. "zh-hans" looks for "zh"), else the default (English)."""
    if not names:
        return default
    return names.get(language_key(language)) or default


def names_problems(value: object, max_length: int | None = None) -> list[str]:
    """What is wrong with a translations field's value, in English for the log; [] if fine.
    A value is a mapping of OTHER_LANGUAGES to trimmed, non-empty text without NUL."""
    if not isinstance(value, dict):
        return ["not a mapping of language to text"]
    problems = []
    for key, text in value.items():
        if key not in OTHER_LANGUAGES:
            problems.append(f"{key!r} is not one of {', '.join(OTHER_LANGUAGES)}")
        elif not isinstance(text, str):
            problems.append(f"{key}: not text")
        elif "\x00" in text:
            problems.append(f"{key}: contains a NUL character")
        elif text != text.strip() or not text:
            problems.append(f"{key}: empty or not trimmed")
        elif max_length is not None and len(text) > max_length:
            problems.append(f"{key}: longer than {max_length} characters")
    return problems


def merged_names(stored: Mapping[str, str] | None, typed: Mapping[str, str]) -> dict[str, str]:
    """The stored translations with those typed in a form: a typed language replaces the
    stored one, an emptied one is removed, any other key is kept as it was."""
    out = dict(stored or {})
    for key, text in typed.items():
        text = (text or "").strip()
        if text:
            out[key] = text
        else:
            out.pop(key, None)
    return out

def pick_name(default: str, names: dict[str, str], language: str | None) -> str:
    """The name in `language` (e.g. "zh-hans" looks for "zh"), else the default name."""
    lang = (language or "en").split("-")[0].lower()
    return names.get(lang) or default

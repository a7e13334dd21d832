"""Record ids as they come from people: in URLs and in query strings.

A database id is a positive 64-bit integer. Anything else — a superscript digit
("²".isdigit() is true, int("²") fails), a number past the column's range — names no
record, and is refused before any query is made.
"""

import re

MAX_ID = 2**63 - 1  # the largest value of a 64-bit (BIGINT) primary key
_ASCII_DIGITS = re.compile(r"[0-9]{1,19}")


def parse_id(raw: str | None) -> int | None:
    """The id written in `raw` (ASCII digits, 1 … 2**63 − 1), or None if it names none."""
    text = (raw or "").strip()
    if not _ASCII_DIGITS.fullmatch(text):
        return None
    value = int(text)
    return value if 0 < value <= MAX_ID else None


class IdConverter:
    """URL converter for record ids: `<id:pk>`. An id no database column can hold does not
    match, so the URL is a 404 before the view runs (and before any query)."""

    regex = "[0-9]{1,19}"

    def to_python(self, value: str) -> int:
        parsed = parse_id(value)
        if parsed is None:
            raise ValueError(value)
        return parsed

    def to_url(self, value: int) -> str:
        return str(value)

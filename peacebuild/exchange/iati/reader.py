"""Reading an IATI activity file safely, one `<iati-activity>` at a time, with its
validation report: the same rule ids and severities as the official IATI validator.

- Hostile XML is refused before anything is read from it: a DOCTYPE (the carrier of entity
  expansion — "billion laughs" — and of external entities and DTDs, XXE) is refused
  outright; the parser resolves no entities, loads no DTD, touches no network and keeps
  libxml2's limits on huge text nodes (`huge_tree=False`).
- Memory stays constant: lxml `iterparse`, and each activity is cleared, with the
  siblings before it, once it is checked.
- Caps: a file's size (checked by the caller on upload) and an activity's size in
  elements and characters.
- Problems: 0.1.1 (not well-formed, truncated, wrong encoding), 0.2.1 (XML but not an
  IATI activity file), 0.3.1 (fails the 2.03 schema — per activity, so that a file that
  fails it in small ways can still be read, leniently), 1.1.2 (an identifier twice), and
  the ruleset's (`ruleset.py`).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from dataclasses import dataclass, field
from functools import cache
from typing import IO, Any

from django.utils.translation import gettext as _
from lxml import etree

from .codelists import check_codes
from .ruleset import DATA, Problem, check_activity

MAX_ACTIVITY_ELEMENTS = 20_000
MAX_ACTIVITY_CHARS = 5_000_000
MAX_PROBLEMS_KEPT = 500  # in a report; the counts are always complete
SNIFF = 65_536  # bytes looked at for a DOCTYPE before parsing


class Refused(Exception):
    """The file cannot be read at all (critical): the message says why."""

    def __init__(self, problem: Problem) -> None:
        super().__init__(problem.message)
        self.problem = problem


@cache
def schema() -> etree.XMLSchema:
    # The schema files are ours (a copy of the official ones): read with a plain parser.
    return etree.XMLSchema(etree.parse(str(DATA / "iati-activities-schema.xsd")))


def safe_parser() -> etree.XMLParser:
    """The parser for whole documents we did not write (the examples, small uploads)."""
    return etree.XMLParser(resolve_entities=False, no_network=True, load_dtd=False,
                           huge_tree=False, dtd_validation=False)


@dataclass
class Report:
    """What a check found: problems by rule id, and their counts by severity."""

    problems: list[Problem] = field(default_factory=list)
    counts: dict[str, int] = field(default_factory=lambda: {"critical": 0, "error": 0,
                                                            "warning": 0})
    activities: int = 0

    def add(self, problem: Problem) -> None:
        self.counts[problem.severity] = self.counts.get(problem.severity, 0) + 1
        if len(self.problems) < MAX_PROBLEMS_KEPT:
            self.problems.append(problem)

    @property
    def ok(self) -> bool:
        """No critical problem and no error: the file may be offered (warnings allowed)."""
        return not self.counts.get("critical") and not self.counts.get("error")

    @property
    def ids(self) -> set[str]:
        return {p.id for p in self.problems}

    def ids_of(self, *severities: str) -> set[str]:
        return {p.id for p in self.problems if p.severity in severities}

    def as_dict(self) -> dict[str, Any]:
        return {"counts": dict(self.counts), "activities": self.activities,
                "problems": [p.as_dict() for p in self.problems],
                "kept": len(self.problems)}


def _critical(rule_id: str, message: str, line: int | None = None) -> Refused:
    return Refused(Problem(rule_id, "critical", message, line=line))


def _sniff(head: bytes) -> None:
    """Refuse a DOCTYPE or an entity declaration before the parser sees it."""
    lowered = head.lower()
    for encoding in ("utf-8", "utf-16-le", "utf-16-be"):
        for marker in ("<!doctype", "<!entity"):
            if marker.encode(encoding) in lowered:
                raise _critical("0.1.1", _(
                    "The file declares a DOCTYPE or entities. IATI files have none, and "
                    "Peacebuild refuses them: they can expand to gigabytes (“billion "
                    "laughs”) or read other files and addresses (XXE)."))


def _end(source: IO[bytes]) -> tuple[int, int]:
    """The file's last line number and that line's length (read again, after an error)."""
    source.seek(0)
    lines, tail = 1, b""
    for chunk in iter(lambda: source.read(1 << 20), b""):
        lines += chunk.count(b"\n")
        tail = (tail + chunk).rsplit(b"\n", 1)[-1]
    return lines, len(tail)


def explain_syntax(error: etree.XMLSyntaxError, source: IO[bytes] | None = None) -> Refused:
    """A parser error in words a person can act on (rule 0.1.1). An error on the file's
    last line is a file cut off: that is what the person needs to hear."""
    text = str(error.msg or error)
    line = error.lineno or None
    lowered = text.lower()
    at_end = False
    if source is not None and line is not None:
        last, width = _end(source)
        column = error.position[1] if error.position else 0
        at_end = line >= last and column >= width - 1
    if "no element found" in lowered or "document is empty" in lowered:
        message = _("The file is empty.")
    elif "encoding" in lowered or "utf-8" in lowered or "char 0x" in lowered \
            or "input is not proper" in lowered or "invalid character" in lowered:
        message = _("The file's bytes are not in the encoding it declares (line %(line)s). "
                    "IATI files are UTF-8: save it again as UTF-8.") % {"line": line or "?"}
    elif at_end or "premature end" in lowered or "end of data" in lowered:
        message = _("The file stops in the middle (line %(line)s): it is truncated or cut "
                    "off. Download or export it again.") % {"line": line or "?"}
    elif "entit" in lowered or "doctype" in lowered:
        message = _("The file uses entities, which Peacebuild refuses (line %(line)s).") % {
            "line": line or "?"}
    elif "huge" in lowered or "too large" in lowered:
        message = _("A text in the file is too large to be read safely (line %(line)s).") % {
            "line": line or "?"}
    else:
        message = _("The file is not well-formed XML (line %(line)s: %(error)s).") % {
            "line": line or "?", "error": text}
    return _critical("0.1.1", message, line)


def _check_size(activity: Any) -> None:
    elements, chars = 0, 0
    for el in activity.iter():
        elements += 1
        chars += len(el.text or "") + len(el.tail or "")
        if elements > MAX_ACTIVITY_ELEMENTS or chars > MAX_ACTIVITY_CHARS:
            raise _critical("0.1.1", _(
                "An activity (line %(line)s) is larger than Peacebuild reads (%(elements)s "
                "elements or %(chars)s characters); split it.")
                % {"line": activity.sourceline, "elements": f"{MAX_ACTIVITY_ELEMENTS:,}",
                   "chars": f"{MAX_ACTIVITY_CHARS:,}"})


@dataclass
class Checked:
    """One activity read from the file, with its problems."""

    element: Any
    identifier: str
    problems: list[Problem]


def activities(source: IO[bytes], report: Report, *, rules: bool = True,
               validate: bool = True, today: dt.date | None = None,
               codelist_severity: str = "error") -> Iterator[Checked]:
    """Stream the activities of `source`, adding every problem to `report`; the element
    is cleared after the consumer has taken it. Raises `Refused` for a critical problem
    that stops reading (the report has it too). `rules` runs the ruleset and the codelist
    checks; a code on no codelist is a problem of `codelist_severity` (an import, lenient,
    makes it a warning)."""
    head = source.read(SNIFF)
    try:
        _sniff(head)
    except Refused as refused:
        report.add(refused.problem)
        raise
    source.seek(0)
    if _root_tag(head) not in (None, "iati-activities"):
        _drain(source, report)  # a broken file is 0.1.1 (not well-formed) before 0.2.1
        stop = _critical("0.2.1", _(
            "This is XML, but not an IATI activity file: its first element is <%(tag)s>, "
            "not <iati-activities>.") % {"tag": str(_root_tag(head))[:60]})
        report.add(stop.problem)
        raise stop
    now = dt.datetime.now(dt.UTC)
    seen: set[str] = set()
    # Only the activities' ends reach Python (the tag filter runs in libxml2): the reader
    # costs little more than the plainest iterparse.
    context = etree.iterparse(source, events=("end",), tag="iati-activity",
                              resolve_entities=False, no_network=True, load_dtd=False,
                              huge_tree=False, remove_comments=True, remove_pis=True)
    root = None
    try:
        for _event, el in context:
            if root is None:
                root = el.getroottree().getroot()
                not_iati = _check_root(root)
                if not_iati is not None:
                    raise not_iati
            if el.getparent() is not root:
                continue  # an iati-activity inside something else is not an activity
            _check_size(el)
            report.activities += 1
            identifier = (el.findtext("iati-identifier") or "").strip()
            problems: list[Problem] = []
            if validate and not schema().validate(el):
                for error in list(schema().error_log)[:20]:
                    problems.append(Problem("0.3.1", "critical", _(
                        "The activity does not follow the IATI 2.03 schema: %(error)s")
                        % {"error": error.message}, identifier, "schema", error.line))
            if identifier and identifier in seen:
                problems.append(Problem("1.1.2", "error", _(
                    "The activity identifier must be unique for each activity."), identifier,
                    "identifiers", el.sourceline))
            seen.add(identifier)
            if rules:
                problems.extend(check_activity(el, today=today, now=now))
                problems.extend(check_codes(el, severity=codelist_severity))
            for problem in problems:
                report.add(problem)
            yield Checked(el, identifier, problems)
            el.clear()
            while el.getprevious() is not None:
                del root[0]
        if root is None:  # no activity at all: is it IATI?
            found = getattr(context, "root", None)
            if found is None:
                raise _critical("0.1.1", _("The file is empty."))
            late = _check_root(found)
            if late is not None:
                raise late
    except etree.XMLSyntaxError as error:
        broken = explain_syntax(error, source)
        report.add(broken.problem)
        raise broken from error
    except Refused as refused:
        report.add(refused.problem)
        raise


def _root_tag(head: bytes) -> str | None:
    """The first element's name, from the first bytes (None if they do not say)."""
    parser = etree.XMLPullParser(events=("start",), resolve_entities=False, no_network=True,
                                 load_dtd=False, huge_tree=False)
    try:
        parser.feed(head)
        for _event, el in parser.read_events():
            return str(el.tag)
    except etree.XMLSyntaxError:
        return None
    return None


def _drain(source: IO[bytes], report: Report) -> None:
    """Read a file to its end in constant memory, for its well-formedness only."""
    try:
        for _event, el in etree.iterparse(source, events=("end",), resolve_entities=False,
                                          no_network=True, load_dtd=False, huge_tree=False):
            el.clear()
            parent = el.getparent()
            while parent is not None and el.getprevious() is not None:
                del parent[0]
    except etree.XMLSyntaxError as error:
        broken = explain_syntax(error, source)
        report.add(broken.problem)
        raise broken from error
    source.seek(0)


def _check_root(root: Any) -> Refused | None:
    """Refuse a DOCTYPE at once; say (once the file is read) when it is not IATI."""
    docinfo = root.getroottree().docinfo
    if docinfo.doctype or docinfo.internalDTD is not None:
        raise _critical("0.1.1", _(
            "The file declares a DOCTYPE or entities. IATI files have none, and Peacebuild "
            "refuses them: they can expand to gigabytes (“billion laughs”) or read other "
            "files and addresses (XXE)."))
    if root.tag != "iati-activities":
        return _critical("0.2.1", _(
            "This is XML, but not an IATI activity file: its first element is <%(tag)s>, "
            "not <iati-activities>.") % {"tag": str(root.tag)[:60]})
    return None


def check_file(source: IO[bytes], *, today: dt.date | None = None) -> Report:
    """The whole report of a file, read to its end (or to its first critical problem)."""
    report = Report()
    try:
        for _checked in activities(source, report, today=today):
            pass
    except Refused:
        pass
    return report

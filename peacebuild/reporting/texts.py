"""The standard texts of the letter and the progress report, in seven languages.

The texts are data (`data/texts/<language>.txt`, one `[key]` line before each text), not
gettext: they are documents, written in each language's UN register, and the office may
change them. `LAYOUT` says which paragraphs make each section; a paragraph joins a draft
only when every figure it names (and every figure it `requires`) can be stated for the
period, so the same template drafts the letter of any year from that year's records.
"""

from dataclasses import dataclass

from peacebuild.lib.unformat import LANGUAGES

from .catalogue import Cache, NotComputable
from .narrative import placeholders
from .standard import TEXT_DIR as TEXT_DIR
from .standard import strings
from .standard import text as text


@dataclass(frozen=True)
class Para:
    key: str
    requires: tuple[str, ...] = ()
    # The paragraph to draft when this one does not fit only because of its own figures
    # (its `requires` do): the same text without the sentence those figures state.
    otherwise: str = ""


PROGRAMME_SECTIONS: list[tuple[str, list[Para]]] = [
    ("dialogue", [
        Para("dialogue.clubs"), Para("dialogue.referendum"), Para("dialogue.recommendations"),
        Para("dialogue.agreement", requires=("club_meetings",)),
    ]),
    ("democratic-institutions", [
        Para("democratic.training"), Para("democratic.media", requires=("media_courses",)),
    ]),
    ("rule-of-law", [
        Para("rule.police", requires=("rule_of_law_activities",)),
        Para("rule.roundtable", requires=("rule_of_law_roundtables",)),
    ]),
    ("human-rights", [
        Para("rights.treaty", requires=("human_rights_activities",)),
        Para("rights.teachers"),
        # The interventions sentence is bound to the casework (catalogue.CASEWORK): with no
        # intervention whose request was met in the period, the paragraph goes without it.
        Para("rights.monitoring", requires=("documentation_centres",),
             otherwise="rights.monitoring.unbound"),
    ]),
    ("youth", [Para("youth.centres")]),
    ("elections", [Para("elections.mission"), Para("elections.training")]),
]

LAYOUT: dict[str, list[tuple[str, list[Para]]]] = {
    "letter": [
        ("opening", [Para("opening.established"), Para("opening.role")]),
        *PROGRAMME_SECTIONS,
        ("closing", [Para("closing.extend"), Para("closing.request")]),
    ],
    "progress": [
        ("opening", [Para("progress.opening"), Para("opening.role")]),
        *PROGRAMME_SECTIONS,
        ("closing", [Para("progress.closing")]),
    ],
}
LAYOUT["donor"] = LAYOUT["progress"]


def fits(para: Para, cache: Cache) -> bool:
    """Whether the paragraph can be stated for the period: all its figures compute."""
    names = set(placeholders(strings("en")[para.key])) | set(para.requires)
    try:
        for name in names:
            cache.get(name)
    except NotComputable:
        return False
    return True


def draft_sections(kind: str, cache: Cache) -> list[tuple[str, dict[str, str]]]:
    """(section key, {language: text}) for a new draft of this kind and period."""
    out = []
    for key, paras in LAYOUT[kind]:
        chosen = []
        for p in paras:
            if fits(p, cache):
                chosen.append(p.key)
            elif p.otherwise and fits(Para(p.otherwise, p.requires), cache):
                chosen.append(p.otherwise)
        out.append((key, {lang: "\n\n".join(strings(lang)[k] for k in chosen)
                          for lang in LANGUAGES}))
    return out

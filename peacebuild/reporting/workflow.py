"""The report workflow as data: draft → approved → issued, who may do what in which state.

`TRANSITIONS` names each action with the state it starts from, the state it leads to and
the capability it needs; `EDITABLE` says in which states the text may change. The role ×
state matrix the tests check is derived from these two tables and `ROLE_CAPABILITIES`.
"""

from collections.abc import Callable
from dataclasses import dataclass

from peacebuild.accounts.roles import ROLE_CAPABILITIES, Can

from .models import Report

S = Report.Status


@dataclass(frozen=True)
class Transition:
    source: str
    target: str
    capability: Can


TRANSITIONS: dict[str, Transition] = {
    "approve": Transition(S.DRAFT, S.APPROVED, Can.APPROVE),
    "reopen": Transition(S.APPROVED, S.DRAFT, Can.APPROVE),
    "issue": Transition(S.APPROVED, S.ISSUED, Can.APPROVE),
}
EDITABLE = frozenset({S.DRAFT})
EDIT_CAPABILITY = Can.DRAFT_REPORTS


def allowed_actions(status: str, may: Callable[[Can], bool]) -> set[str]:
    """What one who holds the capabilities `may` says yes to may do to a report in this
    state: "edit" and the transitions."""
    out = {name for name, t in TRANSITIONS.items() if t.source == status and may(t.capability)}
    if status in EDITABLE and may(EDIT_CAPABILITY):
        out.add("edit")
    return out


def actions_for(role: str | None, status: str) -> set[str]:
    """What a role may do to a report in this state (the matrix the tests check)."""
    caps = ROLE_CAPABILITIES.get(role, frozenset()) if role else frozenset()
    return allowed_actions(status, caps.__contains__)

"""The roles of DESIGN.md and what each may do: a matrix kept as data and tested.

A user holds a role in an office through a Membership. Pages ask for a
capability, never for a role by name, so a new page joins the matrix by
declaring which capability it needs.
"""

from enum import StrEnum

from django.db import models
from django.utils.translation import gettext_lazy as _


class Role(models.TextChoices):
    HEAD = "head", _("Head of office")
    PROGRAMME = "programme", _("Programme officer")
    MONITORING = "monitoring", _("M&E officer")
    HUMAN_RIGHTS = "human_rights", _("Human-rights officer")
    VIEWER = "viewer", _("Viewer")


class Can(StrEnum):
    VIEW_RECORDS = "view_records"  # non-case records of the office
    EDIT_ACTIVITIES = "edit_activities"  # activities and attendance (own programmes)
    EDIT_REFERENCE = "edit_reference"  # centres, partners, documents
    EDIT_MANDATE = "edit_mandate"  # mandate periods and their documents
    EDIT_RESULTS = "edit_results"  # results framework (later issue)
    DRAFT_REPORTS = "draft_reports"  # create reports and edit their drafts
    APPROVE = "approve"  # reports, benchmarks, mandate proposals
    VIEW_AUDIT = "view_audit"
    VIEW_CASES = "view_cases"  # the cases of the case teams one belongs to (casework)
    # Encrypted archives of the cases of one's teams (with the team's right to change them,
    # and a fresh sign-in each time).
    EXPORT_CASES = "export_cases"
    CASE_SUMMARIES = "case_summaries"  # anonymised summaries of every case of the office
    BREAK_GLASS = "break_glass"  # time-limited access to one case, with a stated reason
    MANAGE_CASE_TEAMS = "manage_case_teams"  # who belongs to which case team (not oneself)
    COORDINATE = "coordinate"  # coordination groups, meetings, action points
    MANAGE_ACCOUNTS = "manage_accounts"  # the office's accounts: reset a second factor


ROLE_CAPABILITIES: dict[str, frozenset[Can]] = {
    Role.HEAD: frozenset(
        {Can.VIEW_RECORDS, Can.EDIT_REFERENCE, Can.EDIT_MANDATE, Can.DRAFT_REPORTS, Can.APPROVE,
         Can.VIEW_AUDIT, Can.COORDINATE, Can.MANAGE_ACCOUNTS, Can.CASE_SUMMARIES,
         Can.BREAK_GLASS, Can.MANAGE_CASE_TEAMS}
    ),
    Role.PROGRAMME: frozenset({Can.VIEW_RECORDS, Can.EDIT_ACTIVITIES, Can.EDIT_REFERENCE,
                               Can.DRAFT_REPORTS, Can.COORDINATE}),
    Role.MONITORING: frozenset({Can.VIEW_RECORDS, Can.EDIT_RESULTS, Can.DRAFT_REPORTS}),
    Role.HUMAN_RIGHTS: frozenset({Can.VIEW_RECORDS, Can.VIEW_CASES, Can.EXPORT_CASES,
                                  Can.COORDINATE}),
    Role.VIEWER: frozenset({Can.VIEW_RECORDS}),
}

# Roles whose members must sign in with a second factor (TOTP) and hold one session at a
# time, signed out after a short idle time (docs/security.md).
STRICT_ROLES: frozenset[str] = frozenset({Role.HUMAN_RIGHTS})

# Capabilities a programme officer holds only for the programmes assigned to them.
PROGRAMME_SCOPED: frozenset[Can] = frozenset({Can.EDIT_ACTIVITIES})

# Which role to name in a 403 page when a capability is missing.
CAPABILITY_ROLES: dict[Can, list[str]] = {
    can: [role for role in Role if can in ROLE_CAPABILITIES[role]] for can in Can
}

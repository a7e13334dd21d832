"""The demo's report bindings: the named figures of UNTOP's standard texts (`{club_meetings}`…)
bound to its own codes, read from `data/figures.json` into the office's FigureDefinition rows."""

from typing import Any

from peacebuild.accounts.audit import save_audited
from peacebuild.accounts.permissions import SYSTEM
from peacebuild.activities.models import ActivityType
from peacebuild.mandates.models import Office
from peacebuild.partners.models import Group
from peacebuild.programmes.models import Programme
from peacebuild.reporting.models import FigureDefinition

from .files import read


def figure_definitions(office: Office, rows: list[dict[str, Any]] | None = None, *,
                       skip_missing: bool = False) -> list[FigureDefinition]:
    """Create the office's figure definitions from the demo's data (or from `rows`, same
    shape: codes for the activity type, the programme and the coordination group). With
    `skip_missing`, a row whose activity type, programme or group the database lacks is left
    out (a test office)."""
    types = {t.code: t for t in ActivityType.objects.all()}
    programmes = {p.code: p for p in Programme.objects.filter(office=office)}
    groups = {g.code: g for g in Group.objects.filter(office=office).exclude(code="")}
    out = []
    for row in rows if rows is not None else read("figures.json")["figures"]:
        row = dict(row)
        type_code, programme_code = row.pop("activity_type", ""), row.pop("programme", "")
        group_code = row.pop("group", "")
        if skip_missing and ((type_code and type_code not in types)
                             or (programme_code and programme_code not in programmes)
                             or (group_code and group_code not in groups)):
            continue
        definition = FigureDefinition(
            office=office, **row,
            activity_type=types[type_code] if type_code else None,
            programme=programmes[programme_code] if programme_code else None,
            group=groups[group_code] if group_code else None)
        save_audited(actor=SYSTEM, before=None, instance=definition)
        out.append(definition)
    return out

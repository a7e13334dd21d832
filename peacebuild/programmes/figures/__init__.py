"""The figures engine: the only code in Peacebuild that counts.

Any figure is a measure × filters × breakdown:

    compute(office, FigureQuery("attendance", ActivityFilter(programme=3), by=("sex",)))

Measures: `activities` (count), `participants` (sum of the totals reported per activity),
`attendance` (sum of the attendance breakdown: the measure that splits by sex, category
and age group), `distinct_participants` (registered people, each once), `centres_open`
(on a day). Filters: those of `ActivityFilter`. Breakdowns:
programme, type, region, month, quarter, year, and for `attendance` also sex, category and
age_group.

Each number comes back as a `Figure` with its provenance: the filter and breakdown that
produced it, and `records_url`, the list of the records behind it. Small cells can be
suppressed (`min_cell`), for counts drawn from casework.

The answers come from summary tables kept exact on every write (`cubes.py`), or from the
raw rows when a filter needs them (partner, free text); both give the same numbers, which
the property tests check.
"""

from .engine import (
    ATTENDANCE_DIMENSIONS,
    DIMENSIONS,
    MEASURES,
    Figure,
    FigureError,
    FigureQuery,
    FigureResult,
    activity_count,
    attendance_table,
    centres_open,
    compute,
    distinct_participants,
    participants,
    participants_by,
)

__all__ = [
    "ATTENDANCE_DIMENSIONS",
    "DIMENSIONS",
    "MEASURES",
    "Figure",
    "FigureError",
    "FigureQuery",
    "FigureResult",
    "activity_count",
    "attendance_table",
    "centres_open",
    "compute",
    "distinct_participants",
    "participants",
    "participants_by",
]

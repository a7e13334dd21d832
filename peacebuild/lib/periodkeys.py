"""Keys of calendar periods as the figures use them: "2003-10" (month), "2003-Q4" (quarter),
"2003" (year). Pure functions, shared by the activity and the coordination figures."""

import calendar
import datetime as dt

TIME_DIMENSIONS = ("month", "quarter", "year")


def time_key(dim: str, day: dt.date) -> str:
    """The key of the month, quarter or year that holds the day."""
    if dim == "month":
        return f"{day.year}-{day.month:02d}"
    if dim == "quarter":
        return f"{day.year}-Q{(day.month - 1) // 3 + 1}"
    return str(day.year)


def period_bounds(dim: str, key: str) -> tuple[dt.date, dt.date]:
    """The first and last day of a month ("2003-10"), quarter ("2003-Q4") or year."""
    if dim == "month":
        y, m = (int(p) for p in key.split("-"))
        return dt.date(y, m, 1), dt.date(y, m, calendar.monthrange(y, m)[1])
    if dim == "quarter":
        year, quarter = (int(p) for p in key.split("-Q"))
        first_month = 3 * (quarter - 1) + 1
        last = dt.date(year, first_month + 2, calendar.monthrange(year, first_month + 2)[1])
        return dt.date(year, first_month, 1), last
    return dt.date(int(key), 1, 1), dt.date(int(key), 12, 31)

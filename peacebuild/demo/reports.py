"""The demo's reports (`data/reports.json`): the counterpart of S/2004/331 for June 2003 –
May 2004, issued as the real letter was, and a draft of the next year's letter from that
year's records."""

import datetime as dt

from peacebuild.accounts.permissions import SYSTEM
from peacebuild.mandates.models import Office
from peacebuild.reporting import services
from peacebuild.reporting.models import Report

from .files import read


def _date(text: str | None) -> dt.date | None:
    return dt.date.fromisoformat(text) if text else None


def load_demo_reports(office: Office) -> list[Report]:
    data = read("reports.json")
    out = []
    for row in data["reports"]:
        signed = ({"signatory": data["signatory"], "signatory_names": data["signatory_names"]}
                  if row.get("signed") else {})
        report = services.report_create(
            actor=SYSTEM, office=office, kind=row["kind"],
            period_start=_date(row["period_start"]), period_end=_date(row["period_end"]),
            language=row["language"], **({"dated_on": _date(row["dated_on"])}
                                         if row.get("dated_on") else {}), **signed)
        if row.get("issued"):
            services.report_approve(actor=SYSTEM, report=report)
            services.report_issue(actor=SYSTEM, report=report, symbol=row["issued"]["symbol"],
                                  issued_on=_date(row["issued"]["issued_on"]))
            report.refresh_from_db()
        out.append(report)
    return out

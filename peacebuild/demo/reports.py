"""The demo's reports: the counterpart of S/2004/331 for June 2003 – May 2004, issued as
the real letter was, and a draft of the next year's letter from that year's records."""

import datetime as dt

from peacebuild.mandates.models import Office
from peacebuild.reporting import services
from peacebuild.reporting.models import Report

SIGNATORY = "Kofi A. Annan"
SIGNATORY_NAMES = {"ar": "كوفي عنان", "zh": "科菲·安南", "ru": "Кофи А. Аннан",
                   "tg": "Кофи А. Аннан"}


def load_demo_reports(office: Office) -> list[Report]:
    seed = services.report_create(
        actor=None, office=office, kind=Report.Kind.LETTER, period_start=dt.date(2003, 6, 1),
        period_end=dt.date(2004, 5, 31), language="en", dated_on=dt.date(2004, 4, 23),
        signatory=SIGNATORY, signatory_names=SIGNATORY_NAMES)
    services.report_approve(actor=None, report=seed)
    services.report_issue(actor=None, report=seed, symbol="S/2004/331",
                          issued_on=dt.date(2004, 4, 29))
    seed.refresh_from_db()
    nxt = services.report_create(
        actor=None, office=office, kind=Report.Kind.LETTER, period_start=dt.date(2004, 6, 1),
        period_end=dt.date(2005, 5, 31), language="en", dated_on=dt.date(2005, 5, 20),
        signatory=SIGNATORY, signatory_names=SIGNATORY_NAMES)
    progress = services.report_create(
        actor=None, office=office, kind=Report.Kind.PROGRESS,
        period_start=dt.date(2003, 6, 1), period_end=dt.date(2004, 5, 31), language="en")
    return [seed, nxt, progress]

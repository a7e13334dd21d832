"""Fixtures for reports: a draft in the test office, and the demo's letters rendered once
per test session (PDF rendering with CJK fonts costs about a second per language)."""

import datetime as dt
import re

import pytest
from django.db import transaction

from peacebuild.accounts.permissions import SYSTEM
from peacebuild.activities.tests.conftest import make_activity  # noqa: F401
from peacebuild.lib.unformat import LANGUAGES
from peacebuild.reporting import services
from peacebuild.reporting.models import RenderJob, Report


@pytest.fixture(autouse=True)
def figure_definitions(request):
    """The test office's named figures: the demo's bindings, for the codes it has (its
    programme "dialogue", types "discussion-club" and "training"). A test that needs an
    office without definitions deletes them."""
    if "db" not in request.fixturenames and "office" not in request.fixturenames:
        return []
    from peacebuild.demo.figures import figure_definitions as load
    office = request.getfixturevalue("office")
    for name in ("programme", "activity_type", "training_type"):
        request.getfixturevalue(name)
    return load(office, skip_missing=True)


@pytest.fixture
def report(office, programme) -> Report:
    return services.report_create(actor=SYSTEM, office=office, kind=Report.Kind.LETTER,
                                  period_start=dt.date(2003, 6, 1),
                                  period_end=dt.date(2004, 5, 31), dated_on=dt.date(2004, 4, 23))


@pytest.fixture
def job(report) -> RenderJob:
    return RenderJob.objects.create(report=report, office=report.office, language="en",
                                    format="html", state=RenderJob.State.DONE, progress=100,
                                    output=b"<p>letter</p>")


def squash(text: str) -> str:
    """Text with all whitespace removed: PDF extraction breaks lines anywhere."""
    return re.sub(r"\s+", "", text.replace("\u00a0", " ").replace("\u202f", " "))


@pytest.fixture(scope="session")
def demo_letters(django_db_setup, django_db_blocker):
    """The demo's issued seed letter (S/2004/331) and next year's draft, as content, PDF and
    DOCX in every language; the database is rolled back afterwards."""
    from peacebuild.demo.loader import load_demo
    from peacebuild.reporting.render import content_for, render_docx, render_pdf

    out: dict = {"seed": {}, "next": {}}
    with django_db_blocker.unblock(), transaction.atomic():
        office = load_demo().office
        seed = Report.objects.get(office=office, kind="letter", period_start=dt.date(2003, 6, 1))
        nxt = Report.objects.get(office=office, kind="letter", period_start=dt.date(2004, 6, 1))
        for lang in LANGUAGES:
            content = content_for(seed, lang)
            out["seed"][lang] = {"content": content, "pdf": render_pdf(content),
                                 "docx": render_docx(content)}
            out["next"][lang] = {"content": content_for(nxt, lang)}
        transaction.set_rollback(True)
    return out

"""What the tests of case files share: a case of the human-rights officer's team, and
case files kept in the test's own directory."""

import datetime as dt
import time

import pytest

from peacebuild.accounts.permissions import REAUTH_SESSION_KEY, SYSTEM
from peacebuild.casework import services
from peacebuild.casework.models import CaseTeam, CaseTeamMember, Event

PDF = b"%PDF-1.4\n1 0 obj <<>> endobj\nInvented statement of a witness\n%%EOF\n"


@pytest.fixture
def case_files(settings, tmp_path):
    settings.CASE_FILES_DIR = tmp_path / "case-files"
    return settings.CASE_FILES_DIR


@pytest.fixture
def case(office, users, case_files):
    """A case of the team "Sughd", whose writer is `users["human_rights"]`."""
    team = CaseTeam.objects.create(office=office, name="Sughd")
    CaseTeamMember.objects.create(team=team, user=users["human_rights"], can_write=True)
    return services.event_save(actor=SYSTEM, event=Event(
        office=office, team=team, title="Detention of a journalist (invented)",
        started_on=dt.date(2004, 3, 12)))


def reauthenticated(client):
    session = client.session
    session[REAUTH_SESSION_KEY] = time.time()
    session.save()
    return client

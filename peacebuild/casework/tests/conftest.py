"""A sealed model for the tests of the casework ground (the case records come later), and
keys given through the environment."""

import base64
import datetime as dt

import pytest
from django.apps import apps
from django.db import connection, models

from peacebuild.accounts.permissions import SYSTEM
from peacebuild.casework import crypto, services
from peacebuild.casework.fields import BlindIndexField, SealedTextField
from peacebuild.casework.models import CaseTeam, CaseTeamMember, Event

KEY_A = base64.b64encode(b"a" * 32).decode()
KEY_B = base64.b64encode(b"b" * 32).decode()
INDEX = base64.b64encode(b"i" * 32).decode()


def _witness_model() -> type[models.Model]:
    """Registered for one test only: the project-wide tests walk every model."""

    class Witness(models.Model):
        name = SealedTextField(blank=True)
        name_index = BlindIndexField(source="name")
        note = SealedTextField(blank=True, null=True)
        place = models.CharField(max_length=50, blank=True)

        class Meta:
            app_label = "casework"

        def __str__(self) -> str:
            return f"witness {self.pk}"

    return Witness


@pytest.fixture
def keys(monkeypatch):
    """Set the case keys (first seals) and forget those read before."""
    def use(*pairs: str, index: str = INDEX) -> crypto.KeyRing:
        monkeypatch.setenv("PEACEBUILD_CASE_KEYS", ",".join(pairs))
        monkeypatch.setenv("PEACEBUILD_CASE_INDEX_KEY", index)
        crypto.reset()
        return crypto.keyring()
    yield use
    crypto.reset()


@pytest.fixture
def witnesses(transactional_db, keys):
    keys(f"a:{KEY_A}")
    witness = _witness_model()
    with connection.schema_editor() as editor:
        editor.create_model(witness)
    yield witness
    with connection.schema_editor() as editor:
        editor.delete_model(witness)
    del apps.all_models["casework"]["witness"]
    apps.clear_cache()


# Case files (attachments and exports): a case of the human-rights officer's team, and
# case files kept in the test's own directory.


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

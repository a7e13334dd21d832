"""The admin keeps reference data, audited; activities are read-only there."""

import datetime as dt

import pytest
from django.urls import reverse

from peacebuild.accounts.models import AuditEntry, User
from peacebuild.mandates.models import MandatePeriod
from peacebuild.partners.models import Organisation


@pytest.fixture
def admin_client(client, db):
    client.force_login(User.objects.create_superuser("root", password="a-long-password"))
    return client


def test_admin_change_is_audited_with_before_and_after(admin_client, office):
    org = Organisation.objects.create(office=office, name="Old name", kind="ngo")
    url = reverse("admin:partners_organisation_change", args=[org.pk])
    response = admin_client.post(url, {"office": office.pk, "name": "New name", "kind": "ngo",
                                       "source_kind": "entered"})
    assert response.status_code == 302
    entry = AuditEntry.objects.get(model="partners.Organisation", action="update")
    assert entry.actor.username == "root"
    assert ("name", "Old name", "New name") in entry.changes


def test_admin_delete_is_audited(admin_client, office):
    org = Organisation.objects.create(office=office, name="Gone", kind="ngo")
    response = admin_client.post(reverse("admin:partners_organisation_delete", args=[org.pk]),
                                 {"post": "yes"})
    assert response.status_code == 302
    assert not Organisation.objects.filter(pk=org.pk).exists()
    assert AuditEntry.objects.filter(model="partners.Organisation", action="delete",
                                     object_id=str(org.pk)).exists()


def test_admin_bulk_delete_removes_and_audits_each_row(admin_client, office):
    orgs = [Organisation.objects.create(office=office, name=n, kind="ngo") for n in "AB"]
    response = admin_client.post(reverse("admin:partners_organisation_changelist"), {
        "action": "delete_selected", "post": "yes",
        "_selected_action": [str(o.pk) for o in orgs]})
    assert response.status_code == 302
    assert not Organisation.objects.exists()
    deleted = AuditEntry.objects.filter(model="partners.Organisation", action="delete")
    assert sorted(deleted.values_list("object_id", flat=True)) == sorted(str(o.pk) for o in orgs)


def test_activities_cannot_be_changed_in_the_admin(admin_client):
    assert admin_client.get(reverse("admin:activities_activity_add")).status_code == 403


def test_audit_log_is_read_only(admin_client):
    assert admin_client.get(reverse("admin:accounts_auditentry_add")).status_code == 403


def test_overlapping_mandate_period_is_refused_in_the_admin(admin_client, office):
    MandatePeriod.objects.create(office=office, starts_on=dt.date(2001, 1, 1),
                                 ends_on=dt.date(2002, 1, 1), decision="approved")
    response = admin_client.post(reverse("admin:mandates_mandateperiod_add"), {
        "office": office.pk, "starts_on": "2001-06-01", "ends_on": "2002-06-01",
        "decision": "approved", "source_kind": "entered"})
    assert response.status_code == 200
    assert "overlaps" in response.content.decode()
    assert MandatePeriod.objects.count() == 1

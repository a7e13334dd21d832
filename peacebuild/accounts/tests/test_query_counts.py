"""The audit log costs the same number of queries however many entries, by however many
people, it holds."""

import itertools

from django.urls import reverse
from django_otp.plugins.otp_totp.models import TOTPDevice

from peacebuild.accounts.models import Membership, User
from peacebuild.accounts.roles import Role
from peacebuild.partners.models import Organisation
from peacebuild.partners.services import organisation_save

# The pages this file keeps to a constant number of queries (tests/test_query_counts.py
# checks that every list page is in one such set).
PAGES = {"accounts:audit", "accounts:people"}


def test_audit_log_does_not_grow(client_for, office, users, assert_queries_constant):
    serial = itertools.count()

    def grow(n: int) -> None:
        for _ in range(n):
            i = next(serial)
            actor = User.objects.create_user(f"writer{i}")
            Membership.objects.create(user=actor, office=office, role=Role.HEAD)
            organisation = organisation_save(actor=actor, organisation=Organisation(
                office=office, name=f"NGO {i}", kind="ngo"))
            organisation.notes = "Met twice"
            organisation_save(actor=actor, organisation=organisation)

    assert_queries_constant(client_for("head"), reverse("accounts:audit"), grow)


def test_the_offices_accounts_do_not_grow(client_for, office, assert_queries_constant):
    serial = itertools.count()

    def grow(n: int) -> None:
        for _ in range(n):
            user = User.objects.create_user(f"member{next(serial)}")
            Membership.objects.create(user=user, office=office, role=Role.HUMAN_RIGHTS)
            TOTPDevice.objects.create(user=user, name="phone", confirmed=True)

    assert_queries_constant(client_for("head"), reverse("accounts:people"), grow)

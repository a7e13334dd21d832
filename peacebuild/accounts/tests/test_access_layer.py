"""The generic access helper: the record of an office the user is not in is a 404, a
record they may only read is a 403 naming the roles needed, and records reached through
another (a section through its report, a target through its indicator) follow the office
of the one they hang from. Called with a user instead of a request (an API handler, an
import), it finds records in any of the user's offices."""

import datetime as dt

import pytest
from django.http import Http404
from django.test import RequestFactory

from peacebuild.accounts.middleware import CurrentOfficeMiddleware
from peacebuild.accounts.models import Membership
from peacebuild.accounts.permissions import RoleRequired
from peacebuild.accounts.roles import Role
from peacebuild.mandates.models import Document
from peacebuild.mandates.permissions import get_document_for_user, get_office_for_user
from peacebuild.programmes.models import Programme
from peacebuild.programmes.permissions import get_programme_for_user
from peacebuild.reporting.permissions import get_section_for_user


@pytest.fixture
def documents(office, other_office):
    return (Document.objects.create(office=office, title="Ours"),
            Document.objects.create(office=other_office, title="Theirs"))


def _request(user):
    request = RequestFactory().get("/")
    request.user = user
    request.session = {}
    CurrentOfficeMiddleware(lambda r: None)(request)
    return request


def test_request_finds_only_the_current_office(users, documents):
    ours, theirs = documents
    request = _request(users["viewer"])
    assert get_document_for_user(request, ours.pk) == ours
    with pytest.raises(Http404):
        get_document_for_user(request, theirs.pk)
    with pytest.raises(Http404):
        get_document_for_user(_request(users["outsider"]), ours.pk)


def test_read_only_is_a_403_naming_the_role(users, documents):
    with pytest.raises(RoleRequired) as refused:
        get_document_for_user(_request(users["viewer"]), documents[0].pk, write=True)
    assert "Head of office" in str(refused.value) and "Programme officer" in str(refused.value)


def test_a_user_without_a_request_reaches_any_of_their_offices(users, documents, other_office):
    ours, theirs = documents
    viewer = users["viewer"]
    with pytest.raises(Http404):
        get_document_for_user(viewer, theirs.pk)
    Membership.objects.create(user=viewer, office=other_office, role=Role.HEAD)
    assert get_document_for_user(viewer, theirs.pk) == theirs
    assert get_document_for_user(viewer, theirs.pk, write=True) == theirs  # head there
    with pytest.raises(RoleRequired):
        get_document_for_user(viewer, ours.pk, write=True)  # only a viewer here


def test_a_section_is_reached_through_its_report(users, office, programme):
    from peacebuild.accounts.permissions import SYSTEM
    from peacebuild.reporting.services import report_create

    def draft():
        return report_create(actor=SYSTEM, office=office, kind="letter",
                             period_start=dt.date(2003, 6, 1), period_end=dt.date(2004, 5, 31))

    first, second = draft(), draft()
    section = first.sections.first()
    request = _request(users["programme"])
    assert get_section_for_user(request, first.pk, section.pk, write=True) == section
    with pytest.raises(Http404):  # a real section, but not of the report in the address
        get_section_for_user(request, second.pk, section.pk)
    with pytest.raises(RoleRequired):
        get_section_for_user(_request(users["viewer"]), first.pk, section.pk, write=True)
    with pytest.raises(Http404):
        get_section_for_user(_request(users["outsider"]), first.pk, section.pk)


def test_odd_keys_are_404(users, programme):
    request = _request(users["head"])
    for pk in ("", "x", "²", 2**70, None):
        with pytest.raises(Http404):
            get_programme_for_user(request, pk)
    assert get_programme_for_user(request, programme.pk) == programme
    assert Programme.objects.count() == 1


def test_the_office_switcher_offers_only_the_users_offices(users, office, other_office):
    assert get_office_for_user(users["viewer"], office.pk) == office
    with pytest.raises(Http404):
        get_office_for_user(users["viewer"], other_office.pk)


def test_the_middleware_types_office_and_membership(users, office):
    request = _request(users["monitoring"])
    assert request.office == office
    assert request.membership.role == Role.MONITORING
    anonymous = _request(users["viewer"])
    anonymous.user = type("Anonymous", (), {"is_authenticated": False})()
    CurrentOfficeMiddleware(lambda r: None)(anonymous)
    assert anonymous.office is None and anonymous.membership is None

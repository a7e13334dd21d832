"""The workflow draft → approved → issued: the role × state matrix as data, approval
blocked by figures that cannot be stated, and issued versions that nothing can change."""

import datetime as dt

import pytest
from django.contrib.admin.sites import site
from django.core.exceptions import PermissionDenied, ValidationError

from peacebuild.accounts.permissions import SYSTEM
from peacebuild.reporting import services
from peacebuild.reporting.models import IssuedVersion, Report
from peacebuild.reporting.render import content_for
from peacebuild.reporting.workflow import actions_for

pytestmark = pytest.mark.django_db

# What each role may do to a report in each state. Drafting: head, programme and M&E
# officers; approving, returning to draft and issuing: the head of office only.
MATRIX = {
    #               draft                           approved                    issued
    "head":         ({"edit", "approve"},           {"issue", "reopen"},        set()),
    "programme":    ({"edit"},                      set(),                      set()),
    "monitoring":   ({"edit"},                      set(),                      set()),
    "human_rights": (set(),                         set(),                      set()),
    "viewer":       (set(),                         set(),                      set()),
    None:           (set(),                         set(),                      set()),
}
STATES = ["draft", "approved", "issued"]


@pytest.mark.parametrize("role", list(MATRIX))
def test_role_state_matrix(role):
    for state, expected in zip(STATES, MATRIX[role], strict=True):
        assert actions_for(role, state) == expected, (role, state)


def test_full_flow_and_roles(report, users):
    with pytest.raises(PermissionDenied):
        services.report_approve(actor=users["programme"], report=report)
    with pytest.raises(PermissionDenied):
        services.report_approve(actor=users["outsider"], report=report)
    with pytest.raises(ValidationError):  # not approved yet
        services.report_issue(actor=users["head"], report=report, symbol="S/2004/331",
                              issued_on=dt.date(2004, 4, 29))
    services.report_approve(actor=users["head"], report=report)
    report.refresh_from_db()
    assert report.status == "approved" and report.approved_by == users["head"]
    section = report.sections.first()
    with pytest.raises(ValidationError):  # approved: no more edits until reopened
        services.section_update(actor=users["programme"], section=section, language="en",
                                text="Changed")
    with pytest.raises(ValidationError) as bad:
        services.report_issue(actor=users["head"], report=report, symbol="S 2004 331",
                              issued_on=dt.date(2004, 4, 29))
    assert "symbol" in bad.value.message_dict
    version = services.report_issue(actor=users["head"], report=report, symbol="S/2004/331",
                                    issued_on=dt.date(2004, 4, 29))
    report.refresh_from_db()
    assert report.status == "issued" and version.original_language == "en"
    assert set(version.content) == {"ar", "zh", "en", "fr", "ru", "es", "tg"}
    zh = version.content["zh"]
    assert zh["symbol"] == "S/2004/331"
    assert zh["block"] == ["Distr.: General", "29 April 2004", "Chinese", "Original: English"]


def test_unknown_placeholder_blocks_approval(report, users):
    section = report.sections.get(key="opening")
    services.section_update(actor=users["monitoring"], section=section, language="fr",
                            text="Le Bureau a tenu {reunions_du_club} réunions.")
    with pytest.raises(ValidationError) as error:
        services.report_approve(actor=users["head"], report=report)
    assert "reunions_du_club" in str(error.value)
    report.refresh_from_db()
    assert report.status == "draft"


def test_issued_is_immutable_through_services_and_admin(report, users, rf):
    services.report_approve(actor=users["head"], report=report)
    services.report_issue(actor=users["head"], report=report, symbol="S/2004/331",
                          issued_on=dt.date(2004, 4, 29))
    report.refresh_from_db()
    frozen = content_for(report, "en")
    section = report.sections.first()
    for call in (
        lambda: services.section_update(actor=users["head"], section=section, language="en",
                                        text="Rewritten"),
        lambda: services.report_update(actor=users["head"], report=report,
                                       dated_on=dt.date(2004, 5, 1)),
        lambda: services.report_reopen(actor=users["head"], report=report),
        lambda: services.report_approve(actor=users["head"], report=report),
        lambda: services.report_issue(actor=users["head"], report=report, symbol="S/2004/332",
                                      issued_on=dt.date(2004, 4, 29)),
    ):
        with pytest.raises(ValidationError):
            call()
    assert content_for(report, "en") == frozen
    admin_user = users["head"]
    admin_user.is_staff = admin_user.is_superuser = True
    request = rf.get("/")
    request.user = admin_user
    report_admin = site._registry[Report]
    version_admin = site._registry[IssuedVersion]
    assert not report_admin.has_change_permission(request, report)
    assert not report_admin.has_delete_permission(request, report)
    assert not version_admin.has_change_permission(request, report.issued)
    assert not version_admin.has_delete_permission(request, report.issued)


def test_symbol_is_unique_among_issued(office, users, report):
    services.report_approve(actor=SYSTEM, report=report)
    services.report_issue(actor=SYSTEM, report=report, symbol="S/2004/331",
                          issued_on=dt.date(2004, 4, 29))
    other = services.report_create(actor=SYSTEM, office=office, kind="progress",
                                   period_start=dt.date(2004, 6, 1),
                                   period_end=dt.date(2005, 5, 31))
    services.report_approve(actor=SYSTEM, report=other)
    with pytest.raises(ValidationError):
        services.report_issue(actor=SYSTEM, report=other, symbol="S/2004/331",
                              issued_on=dt.date(2005, 6, 1))


def test_date_and_signatory_of_a_draft_can_be_changed_not_of_an_issued_report(
        client_for, report):
    import datetime as dt

    from django.urls import reverse

    client = client_for("programme")
    url = reverse("reporting:edit", args=[report.pk])
    response = client.post(url, {"dated_on": "2004-04-23", "signatory": "Kofi A. Annan",
                                 "language": "en"})
    assert response.status_code == 302
    report.refresh_from_db()
    assert report.dated_on == dt.date(2004, 4, 23) and report.signatory == "Kofi A. Annan"
    report.status = "issued"
    report.save(update_fields=["status"])
    response = client.post(url, {"dated_on": "2005-01-01", "signatory": "X", "language": "en"})
    assert response.status_code == 200
    assert "only drafts can change" in response.content.decode()
    report.refresh_from_db()
    assert report.signatory == "Kofi A. Annan"


def test_other_languages_are_flagged_after_an_edit_until_they_are_edited_too(
        client_for, report):
    from django.urls import reverse

    client = client_for("programme")
    section = report.sections.get(key="opening")
    edit = reverse("reporting:section_edit", args=[report.pk, section.pk])
    detail = reverse("reporting:detail", args=[report.pk])
    client.post(edit, {"text": "The Office was established on {established_on}.", "lang": "en"})
    zh = client.get(detail, {"lang": "zh"}).content.decode()
    assert 'data-testid="stale"' in zh and "opening" in zh
    assert 'data-testid="stale"' not in client.get(detail, {"lang": "en"}).content.decode()
    client.post(edit, {"text": "联塔办事处于 {established_on} 成立。", "lang": "zh"})
    zh = client.get(detail, {"lang": "zh"}).content.decode()
    assert 'data-testid="stale"' not in zh
    # now the English is older than the Chinese edit
    assert 'data-testid="stale"' in client.get(detail, {"lang": "en"}).content.decode()

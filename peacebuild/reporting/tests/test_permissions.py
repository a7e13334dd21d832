"""Who may open which report page: the role × page matrix, kept as data."""

import pytest
from django.urls import reverse

ROLES = ["head", "programme", "monitoring", "human_rights", "viewer", "outsider", "anonymous"]

# The outsider is head of another office: office-level pages show their own office,
# records of this office are 404.
MATRIX: dict[tuple[str, str], dict[str, int]] = {
    key: dict(zip(ROLES, statuses, strict=True))
    for key, statuses in {
        #                                  head prog  m&e  hr   view out  anon
        ("list", "GET"):                  (200, 200, 200, 200, 200, 200, 302),
        ("create", "GET"):                (200, 200, 200, 403, 403, 200, 302),
        ("create", "POST"):               (302, 302, 302, 403, 403, 302, 302),
        ("detail", "GET"):                (200, 200, 200, 200, 200, 404, 302),
        ("edit", "GET"):                  (200, 200, 200, 403, 403, 404, 302),
        ("edit", "POST"):                 (302, 302, 302, 403, 403, 404, 302),
        ("section_edit", "GET"):          (200, 200, 200, 403, 403, 404, 302),
        ("section_edit", "POST"):         (302, 302, 302, 403, 403, 404, 302),
        ("section_preview", "POST"):      (200, 200, 200, 403, 403, 404, 302),
        ("approve", "POST"):              (302, 403, 403, 403, 403, 404, 302),
        ("reopen", "POST"):               (302, 403, 403, 403, 403, 404, 302),
        ("issue", "GET"):                 (200, 403, 403, 403, 403, 404, 302),
        ("issue", "POST"):                (200, 403, 403, 403, 403, 404, 302),
        ("render", "POST"):               (200, 200, 200, 200, 200, 404, 302),
        ("job", "GET"):                   (200, 200, 200, 200, 200, 404, 302),
        ("download", "GET"):              (200, 200, 200, 200, 200, 404, 302),
    }.items()
}


def _url(name, report, job):
    if name in ("list", "create"):
        return reverse(f"reporting:{name}")
    if name in ("job", "download"):
        return reverse(f"reporting:{name}", args=[job.pk])
    if name.startswith("section"):
        return reverse(f"reporting:{name}", args=[report.pk, report.sections.first().pk])
    return reverse(f"reporting:{name}", args=[report.pk])


POSTS = {
    "create": {"kind": "progress", "period_start": "2004-06-01", "period_end": "2005-05-31",
               "language": "ru"},
    "section_edit": {"text": "The Office held {activities_total} activities.", "lang": "en"},
    "section_preview": {"text": "The Office held {activities_total} activities."},
    "issue": {"symbol": "S/2004/331", "issued_on": "2004-04-29", "distribution": "General"},
    "render": {"language": "zh", "format": "html", "annex": "on"},
    "edit": {"dated_on": "2004-04-23", "signatory": "Kofi A. Annan", "language": "en"},
}


@pytest.mark.parametrize("role", ROLES)
@pytest.mark.parametrize(("name", "method"), list(MATRIX))
def test_permission_matrix(name, method, role, client_for, report, job):
    client = client_for(role)
    url = _url(name, report, job)
    response = client.post(url, POSTS.get(name, {})) if method == "POST" else client.get(url)
    assert response.status_code == MATRIX[(name, method)][role], (name, method, role)
    if response.status_code == 403:  # a read-only user is told which role would do
        assert "This needs one of these roles" in response.content.decode()
    if role == "anonymous":
        assert response["Location"].startswith(reverse("login"))


def test_matrix_covers_every_reporting_url():
    from peacebuild.reporting.urls import urlpatterns

    assert {p.name for p in urlpatterns} == {name for name, _method in MATRIX}


def test_forbidden_writes_change_nothing(client_for, report):
    section = report.sections.first()
    before = dict(section.texts)
    edit = client_for("viewer").post(
        reverse("reporting:section_edit", args=[report.pk, section.pk]),
        {"text": "Hacked", "lang": "en"})
    approve = client_for("outsider").post(reverse("reporting:approve", args=[report.pk]))
    assert (edit.status_code, approve.status_code) == (403, 404)
    section.refresh_from_db()
    report.refresh_from_db()
    assert section.texts == before and report.status == "draft"

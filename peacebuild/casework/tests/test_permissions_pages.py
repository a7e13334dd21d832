"""Who may open which case page: every URL of the case pages × every role, kept as data.

A case outside one's team is a 404 like a case that does not exist, for everyone who is
not in its team: other human-rights officers, heads of office (who see anonymised
summaries instead), programme and M&E officers, viewers, and superusers (here a superuser
who is a viewer of the office: being a superuser adds nothing)."""

import pytest
from django.test import Client
from django.urls import reverse

from conftest import login_verified

from .casedata import build

ROLES = ["head", "programme", "monitoring", "human_rights", "reader", "other_hr", "viewer",
         "outsider", "anonymous", "superuser"]

# The same for every page of one case: its team's writer, 403 for its reader (who knows
# the case), 404 for everyone else.
CASE_WRITE = (404, 404, 404, 200, 403, 404, 404, 404, 302, 404)
CASE_WRITE_POST = (404, 404, 404, 302, 403, 404, 404, 404, 302, 404)

MATRIX: dict[tuple[str, str], dict[str, int]] = {
    key: dict(zip(ROLES, statuses, strict=True))
    for key, statuses in {
        #                                   head prog m&e  hr  read othr view  out anon root
        ("list", "GET"):                    (200, 403, 403, 200, 200, 200, 403, 200, 302, 403),
        ("due", "GET"):                     (403, 403, 403, 200, 200, 200, 403, 403, 302, 403),
        ("event_create", "GET"):            (403, 403, 403, 200, 403, 200, 403, 403, 302, 403),
        ("event_create", "POST"):           (403, 403, 403, 302, 403, 302, 403, 403, 302, 403),
        ("detail", "GET"):                  (404, 404, 404, 200, 200, 404, 404, 404, 302, 404),
        ("event_edit", "GET"):              CASE_WRITE,
        ("event_edit", "POST"):             CASE_WRITE_POST,
        ("person_create", "GET"):           CASE_WRITE,
        ("person_create", "POST"):          CASE_WRITE_POST,
        ("person_edit", "GET"):             CASE_WRITE,
        ("act_create", "GET"):              CASE_WRITE,
        ("act_create", "POST"):             CASE_WRITE_POST,
        ("act_edit", "GET"):                CASE_WRITE,
        ("involvement_create", "GET"):      CASE_WRITE,
        ("involvement_edit", "GET"):        CASE_WRITE,
        ("information_create", "GET"):      CASE_WRITE,
        ("information_create", "POST"):     CASE_WRITE_POST,
        ("information_edit", "GET"):        CASE_WRITE,
        ("intervention_create", "GET"):     CASE_WRITE,
        ("intervention_create", "POST"):    CASE_WRITE_POST,
        ("intervention_edit", "GET"):       CASE_WRITE,
        ("follow_up_create", "GET"):        CASE_WRITE,
        ("follow_up_create", "POST"):       CASE_WRITE_POST,
        ("follow_up_edit", "GET"):          CASE_WRITE,
    }.items()
}

# url name → (the record of the page's `item`, or None)
ITEMS = {"person_edit": "victim", "act_edit": "act", "involvement_create": "act",
         "involvement_edit": "involvement", "information_edit": "information",
         "intervention_edit": "intervention", "follow_up_edit": "follow_up"}


def url_of(name: str, cases: dict) -> str:
    if name in {"list", "due", "event_create"}:
        return reverse(f"casework:{name}")
    kwargs = {"pk": cases["event"].pk}
    if name in ITEMS:
        kwargs["item"] = cases[ITEMS[name]].pk
    return reverse(f"casework:{name}", kwargs=kwargs)


def post_data(name: str, cases: dict, n: int) -> dict[str, str]:
    if name == "event_create":
        team = cases["other" if cases["poster"] == "other_hr" else "team"]
        return {"team": str(team.pk), "title": f"A new case {n} (invented)",
                "start_precision": "day", "end_precision": "day", "status": "open",
                "confidentiality": "confidential"}
    if name == "event_edit":
        return {"title": "Renamed (invented)", "start_precision": "day",
                "end_precision": "day", "status": "open", "confidentiality": "confidential"}
    if name == "person_create":
        return {"kind": "individual", "name": f"Somebody new {n} (invented)"}
    if name == "act_create":
        return {"violation": "torture", "victim": str(cases["victim"].pk), "precision": "day"}
    if name == "information_create":
        return {"source": str(cases["source"].pk), "received_on": "2004-03-16",
                "reliability": "medium", "content": "Heard of it."}
    if name == "intervention_create":
        return {"made_on": "2004-04-01", "authority": str(cases["ministry"].pk),
                "channel": "meeting", "request": "Access to the detainee.",
                "outcome": "pending"}
    if name == "follow_up_create":
        return {"task": "Write again.", "due_on": "2004-04-10",
                "assignee": str(cases["reader"].pk)}
    raise AssertionError(name)


@pytest.fixture
def cases(office, users, places):
    return build(office, users, places)


def client_of(role: str, users: dict, cases: dict) -> Client:
    user = {"reader": cases["reader"], "other_hr": cases["other_hr"],
            "superuser": cases["root"]}.get(role) or users[role]
    client = Client()
    if user is not None:
        login_verified(client, user)
    return client


@pytest.mark.parametrize("role", ROLES)
def test_permission_matrix(role, users, cases):
    client = client_of(role, users, cases)
    cases["poster"] = role
    wrong = []
    for n, ((name, method), expected) in enumerate(sorted(MATRIX.items())):
        url = url_of(name, cases)
        if method == "POST":
            response = client.post(url, post_data(name, cases, n))
        else:
            response = client.get(url)
        if response.status_code != expected[role]:
            form = response.context.get("form") if response.context else None
            wrong.append((name, method, response.status_code, expected[role],
                          form.errors if form is not None else ""))
        if role == "anonymous":
            assert response["Location"].startswith(reverse("login"))
        if response.status_code in (403, 404):
            body = response.content.decode()
            for secret in ["Farrukh", "journalist", "A1234567", "Khatlon", "Sughd"]:
                assert secret not in body, (name, role, secret)
    assert not wrong, wrong


def test_matrix_covers_every_case_page_url():
    from peacebuild.casework import views
    from peacebuild.casework.urls import urlpatterns

    pages = {p.name for p in urlpatterns if getattr(p.callback, "__module__", "") ==
             views.__name__}
    assert pages == {name for name, _method in MATRIX}

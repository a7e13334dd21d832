"""Who may open and post every coordination page: the role × page matrix, kept as data.

The outsider is head of another office: office-level pages show their own office, this
office's records are 404. The action point's owner in the office is the viewer, so the
viewer may close it though viewers change nothing else."""

import pytest
from django.urls import reverse

from peacebuild.partners.models import ActionPoint, GroupMeeting, GroupMember

ROLES = ["head", "programme", "monitoring", "human_rights", "viewer", "outsider", "anonymous"]

MATRIX: dict[tuple[str, str], dict[str, int]] = {
    key: dict(zip(ROLES, statuses, strict=True))
    for key, statuses in {
        #                                  head prog  m&e  hr   view out  anon
        ("groups", "GET"):                (200, 200, 200, 200, 200, 200, 302),
        ("group_create", "GET"):          (200, 200, 403, 200, 403, 200, 302),
        ("group_create", "POST"):         (302, 302, 403, 302, 403, 302, 302),
        ("group", "GET"):                 (200, 200, 200, 200, 200, 404, 302),
        ("group_edit", "GET"):            (200, 200, 403, 200, 403, 404, 302),
        ("group_edit", "POST"):           (302, 302, 403, 302, 403, 404, 302),
        ("member_create", "GET"):         (200, 200, 403, 200, 403, 404, 302),
        ("member_create", "POST"):        (302, 302, 403, 302, 403, 404, 302),
        ("member_edit", "GET"):           (200, 200, 403, 200, 403, 404, 302),
        ("member_edit", "POST"):          (302, 302, 403, 302, 403, 404, 302),
        ("member_delete", "POST"):        (302, 302, 403, 302, 403, 404, 302),
        ("meetings", "GET"):              (200, 200, 200, 200, 200, 200, 302),
        ("meeting", "GET"):               (200, 200, 200, 200, 200, 404, 302),
        ("meeting_create", "GET"):        (200, 200, 403, 200, 403, 404, 302),
        ("meeting_create", "POST"):       (302, 302, 403, 302, 403, 404, 302),
        ("meeting_edit", "GET"):          (200, 200, 403, 200, 403, 404, 302),
        ("meeting_edit", "POST"):         (302, 302, 403, 302, 403, 404, 302),
        ("actions", "GET"):               (200, 200, 200, 200, 200, 200, 302),
        ("action_create", "GET"):         (200, 200, 403, 200, 403, 404, 302),
        ("action_create", "POST"):        (302, 302, 403, 302, 403, 404, 302),
        ("action_edit", "GET"):           (200, 200, 403, 200, 403, 404, 302),
        ("action_edit", "POST"):          (302, 302, 403, 302, 403, 404, 302),
        ("action_close", "GET"):          (200, 200, 403, 200, 200, 404, 302),
        ("action_close", "POST"):         (302, 302, 403, 302, 302, 404, 302),
        ("action_reopen", "POST"):        (302, 302, 403, 302, 403, 404, 302),
    }.items()
}


def _target(name, group, meeting, action):
    member = group.memberships.first()
    if name in ("groups", "group_create", "meetings", "actions"):
        return None
    if name.startswith("member_") and name != "member_create":
        return member.pk
    if name.startswith("meeting") and name != "meeting_create" or name == "action_create":
        return meeting.pk
    if name.startswith("action_"):
        return action.pk
    return group.pk


def _post(name, orgs, users):
    return {
        "group_create": {"name": "Contact group", "code": "contact"},
        "group_edit": {"name": "Human-rights thematic group", "code": "hr-group",
                       "chaired_by_office": "on"},
        "member_create": {"organisation": orgs["sdc"].pk, "attendee": "Programme officer"},
        "member_edit": {"attendee": "Deputy"},
        "meeting_create": {"held_on": "2004-04-14", "minutes_language": "en",
                           "attended": [orgs["ohchr"].pk], "minutes_en": "Met."},
        "meeting_edit": {"held_on": "2004-01-21", "minutes_language": "en",
                         "minutes_en": "Minutes.", "decisions": "Speak with one voice."},
        "action_create": {"text": "Send the note.", "owner": orgs["ec"].pk,
                          "due_on": "2004-02-01"},
        "action_edit": {"text": "Draft a joint note.", "owner": orgs["osce"].pk,
                        "owner_user": users["viewer"].pk, "due_on": "2004-03-02"},
        "action_close": {"status": "done", "closed_on": "2004-02-27",
                         "evidence": "Note sent on 27 February."},
    }.get(name, {})


@pytest.mark.parametrize("role", ROLES)
@pytest.mark.parametrize(("name", "method"), list(MATRIX))
def test_permission_matrix(name, method, role, client_for, users, orgs, group, meeting,
                           action):
    if name == "action_reopen":
        ActionPoint.objects.filter(pk=action.pk).update(
            status="done", closed_on="2004-02-27", evidence="Sent.")
    pk = _target(name, group, meeting, action)
    url = reverse(f"partners:{name}", args=[pk] if pk else None)
    client = client_for(role)
    if method == "POST":
        response = client.post(url, _post(name, orgs, users))
    else:
        response = client.get(url)
    expected = MATRIX[(name, method)][role]
    assert response.status_code == expected, (name, method, role, getattr(
        response, "context", None) and response.context.get("form") and
        response.context["form"].errors)
    if role == "anonymous":
        assert response["Location"].startswith(reverse("login"))


def test_matrix_covers_every_coordination_url():
    from peacebuild.partners.urls import urlpatterns

    names = {p.name for p in urlpatterns} - {"list", "create", "edit"}  # in the global matrix
    assert names == {name for name, _method in MATRIX}


def test_forbidden_writes_change_nothing(client_for, users, orgs, group, meeting, action):
    client_for("monitoring").post(reverse("partners:action_close", args=[action.pk]),
                                  _post("action_close", orgs, users))
    client_for("outsider").post(reverse("partners:meeting_edit", args=[meeting.pk]),
                                {"held_on": "2004-02-02", "minutes_language": "en"})
    client_for("viewer").post(reverse("partners:member_delete",
                                      args=[group.memberships.first().pk]))
    action.refresh_from_db()
    meeting.refresh_from_db()
    assert action.status == "open" and action.closed_on is None
    assert str(meeting.held_on) == "2004-01-21"
    assert GroupMember.objects.filter(group=group).count() == 3
    assert GroupMeeting.objects.count() == 1

"""The oversight of case work: every change keeps the previous version (sealed, and the
database refuses to alter it), the case team reads a case's history, heads of office manage
the teams (never their own), open a case through break-glass after signing in again, and
read the trail, whose broken link they are shown."""

import base64
import datetime as dt
import json
import time

import pytest
from django.core import mail
from django.db import DatabaseError, connection, transaction
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from conftest import login_verified
from peacebuild.accounts.permissions import REAUTH_SESSION_KEY, SYSTEM
from peacebuild.casework import crypto, guard, services
from peacebuild.casework.models import BreakGlass, CaseTeam, CaseTeamMember, Revision, TrailEntry

from .conftest import KEY_B
from .oversight_world import TITLE, VICTIM, world  # noqa: F401  (a fixture)

NEW_TITLE = "Detention of a journalist in Khujand (invented)"


def client_of(user, *, reauth=False):
    client = login_verified(Client(), user)
    if reauth:
        session = client.session
        session[REAUTH_SESSION_KEY] = time.time()
        session.save()
    return client


def main(response):
    body = response.content.decode()
    return body[body.index("<main"):body.index("</main>")]


def raw_snapshot(pk):
    with connection.cursor() as cursor:
        cursor.execute("SELECT snapshot FROM casework_revision WHERE id = %s", [pk])
        return cursor.fetchone()[0]


@pytest.fixture
def changed(world, users):  # noqa: F811
    """The case retitled and closed, and its victim renamed."""
    hr = users["human_rights"]
    event = world["event"]
    event.title, event.status = NEW_TITLE, "closed"
    services.event_save(actor=hr, event=event)
    victim = world["victim"]
    victim.name = "Farrukh Sh. (invented)"
    services.person_save(actor=hr, person=victim)
    return world


# Revisions


def test_a_change_keeps_the_previous_values_sealed_with_its_trail_entry(changed):
    revision = Revision.objects.get(record_type="event", record_id=changed["event"].pk)
    assert revision.fields == ["title", "status"]
    assert json.loads(revision.snapshot) == {
        "before": {"title": TITLE, "status": "open"},
        "after": {"title": NEW_TITLE, "status": "closed"}}
    assert revision.event_id == changed["event"].pk and revision.username == "human_rights"
    entry = revision.trail_entry
    assert entry.action == "change" and entry.detail == {"fields": ["title", "status"]}
    stored = raw_snapshot(revision.pk)
    assert stored.startswith("pbc1.") and TITLE not in stored and "open" not in stored


def test_a_record_created_or_saved_unchanged_keeps_no_revision(world, users):  # noqa: F811
    assert not Revision.objects.exists()  # the world was only created
    services.event_save(actor=users["human_rights"], event=world["event"])
    assert not Revision.objects.exists()


def test_a_refused_change_keeps_no_revision(world):  # noqa: F811
    event = world["event"]
    event.title = NEW_TITLE
    with pytest.raises(Exception, match="Only the members"):
        services.event_save(actor=world["reader"], event=event)
    assert not Revision.objects.exists()


def test_the_database_refuses_to_change_or_delete_a_revision(changed):
    pk = Revision.objects.first().pk
    for sql in (f"UPDATE casework_revision SET username = 'x' WHERE id = {pk}",
                f"UPDATE casework_revision SET snapshot = 'x' WHERE id = {pk}",
                f"DELETE FROM casework_revision WHERE id = {pk}"):
        with pytest.raises(DatabaseError, match="append-only"), transaction.atomic(), \
                connection.cursor() as cursor:
            cursor.execute(sql)
    with pytest.raises(DatabaseError, match="append-only"), transaction.atomic():
        Revision.objects.filter(pk=pk).delete()
    # Even while key rotation re-seals snapshots, nothing else of a revision may change.
    with pytest.raises(DatabaseError, match="append-only"), transaction.atomic(), \
            guard.resealing(), connection.cursor() as cursor:
        cursor.execute(f"UPDATE casework_revision SET username = 'x' WHERE id = {pk}")
    assert Revision.objects.count() == 2 and Revision.objects.get(pk=pk).username


def test_key_rotation_reseals_revisions_and_keeps_them_readable(changed, keys):
    ring = crypto.keyring()
    old = [f"{k}:{base64.b64encode(v).decode()}" for k, v in ring.keys.items()]
    index = base64.b64encode(ring.index_key).decode()
    before = {r.pk: r.snapshot for r in Revision.objects.all()}
    keys(f"new:{KEY_B}", *old, index=index)
    services.rotate_keys(actor=SYSTEM)
    keys(f"new:{KEY_B}", index=index)
    assert all(raw_snapshot(pk).startswith("pbc1.new.") for pk in before)
    assert {r.pk: r.snapshot for r in Revision.objects.all()} == before


# The history page


def test_the_case_team_reads_each_change_before_and_after(changed, users):
    event = changed["event"]
    url = reverse("casework:history", kwargs={"pk": event.pk})
    for user in (users["human_rights"], changed["reader"]):
        body = client_of(user).get(url).content.decode()
        assert TITLE in body and NEW_TITLE in body  # the title, before and after
        assert "being followed" not in body and "closed" in body  # choices by their label
        assert VICTIM in body and "Farrukh Sh. (invented)" in body  # the person it names
    reads = TrailEntry.objects.filter(action="read", target=f"event:{event.pk}")
    assert [e.detail for e in reads] == [{"what": "history"}] * 2


def test_another_team_is_refused_the_history_and_the_attempt_is_recorded(changed):
    url = reverse("casework:history", kwargs={"pk": changed["event"].pk})
    response = client_of(changed["other_hr"]).get(url)
    assert response.status_code == 404 and NEW_TITLE not in response.content.decode()
    denied = TrailEntry.objects.get(action="denied")
    assert denied.username == "hr_other" and denied.target == f"event:{changed['event'].pk}/history"


# Break-glass


def test_break_glass_asks_for_a_fresh_sign_in_first(world, users):  # noqa: F811
    url = reverse("casework:break_glass", kwargs={"pk": world["event"].pk})
    response = client_of(users["head"]).get(url)
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("accounts:reauth"))
    assert not BreakGlass.objects.exists()


def test_without_the_capability_break_glass_is_a_404_like_a_missing_case(world, users):  # noqa: F811
    client = client_of(users["programme"], reauth=True)
    pk = world["event"].pk
    found = client.get(reverse("casework:break_glass", kwargs={"pk": pk}))
    missing = client.get(reverse("casework:break_glass", kwargs={"pk": pk + 1000}))
    assert found.status_code == missing.status_code == 404
    assert main(found) == main(missing)  # the same page, nothing of the case


def test_a_head_opens_a_case_for_a_while_read_only_and_the_team_is_told(world, users):  # noqa: F811
    head, event = users["head"], world["event"]
    client = client_of(head, reauth=True)
    history = reverse("casework:history", kwargs={"pk": event.pk})
    url = reverse("casework:break_glass", kwargs={"pk": event.pk})
    assert client.get(history).status_code == 404
    assert client.get(url).status_code == 200
    response = client.post(url, {"reason": "Too short.", "minutes": "30"})
    assert response.status_code == 400 and "full sentence" in response.content.decode()
    assert not BreakGlass.objects.exists()
    reason = "The minister asked about this detention at today's meeting."
    response = client.post(url, {"reason": reason, "minutes": "30"})
    case_page = reverse("casework:detail", kwargs={"pk": event.pk})
    assert response.status_code == 302 and response["Location"] == case_page
    assert client.get(case_page).status_code == 200
    grant = BreakGlass.objects.get()
    assert grant.user == head and grant.expires_at - grant.granted_at == dt.timedelta(minutes=30)
    assert mail.outbox[-1].to == ["hr@example.org"] and reason in mail.outbox[-1].body
    assert client.get(history).status_code == 200
    entry = TrailEntry.objects.get(action="break_glass")
    assert entry.purpose == reason and entry.target == f"event:{event.pk}"
    # Read only: the head may not change the case.
    event.title = NEW_TITLE
    with pytest.raises(Exception, match="Only the members"):
        services.event_save(actor=head, event=event)
    # Once it expires the case is a 404 again.
    past = timezone.now() - dt.timedelta(hours=2)
    BreakGlass.objects.filter(pk=grant.pk).update(granted_at=past,
                                                  expires_at=past + dt.timedelta(minutes=30))
    assert client.get(history).status_code == 404


# The teams page


def test_a_head_creates_a_team_and_manages_its_members(world, users, office):  # noqa: F811
    client = client_of(users["head"])
    teams = reverse("casework:teams")
    assert client.post(teams, {"name": "Rasht valley"}).status_code == 302
    team = CaseTeam.objects.get(office=office, name="Rasht valley")
    response = client.post(teams, {"name": "rasht  valley"})
    assert response.status_code == 400 and "already has a case team" in response.content.decode()
    add = reverse("casework:team_member_add", kwargs={"pk": team.pk})
    reader = world["reader"]
    assert client.post(add, {f"t{team.pk}-user": reader.pk,
                             f"t{team.pk}-can_write": "on"}).status_code == 302
    member = CaseTeamMember.objects.get(team=team, user=reader)
    assert member.can_write
    write = reverse("casework:team_member_write", kwargs={"pk": member.pk})
    assert client.post(write, {}).status_code == 302
    member.refresh_from_db()
    assert not member.can_write
    body = client.get(teams).content.decode()
    assert "Hr_Reader" in body and "Rasht valley" in body
    assert TITLE not in body and VICTIM not in body  # people only, never cases
    remove = reverse("casework:team_member_remove", kwargs={"pk": member.pk})
    assert client.post(remove).status_code == 302
    assert not CaseTeamMember.objects.filter(team=team).exists()
    changes = TrailEntry.objects.filter(action__in=["create", "change"], target=f"team:{team.pk}")
    assert changes.count() == 4


def test_a_head_cannot_join_a_team_nor_add_someone_who_is_not_a_case_officer(world, users):  # noqa: F811
    client = client_of(users["head"])
    team = world["team"]
    add = reverse("casework:team_member_add", kwargs={"pk": team.pk})
    for user, message in [(users["head"], "Nobody changes their own case teams."),
                          (users["programme"], "Only the office&#x27;s human-rights officers")]:
        response = client.post(add, {f"t{team.pk}-user": user.pk})
        assert response.status_code == 400 and message in response.content.decode()
        assert not CaseTeamMember.objects.filter(user=user).exists()
    # Another office's user is not even a choice.
    response = client.post(add, {f"t{team.pk}-user": users["outsider"].pk})
    assert response.status_code == 400 and not CaseTeamMember.objects.filter(
        user=users["outsider"]).exists()


def test_the_teams_page_shows_break_glass_in_force(world, users):  # noqa: F811
    services.break_glass_open(actor=users["head"], event=world["event"],
                              reason="The minister asked about this detention today.")
    body = client_of(users["head"]).get(reverse("casework:teams")).content.decode()
    assert "Break-glass access in force" in body
    assert "The minister asked about this detention today." in body


# The trail page


def test_the_trail_shows_the_office_s_entries_newest_first_and_records_its_reading(
        world, users):  # noqa: F811
    client = client_of(users["head"])
    client_of(world["other_hr"]).get(reverse("casework:history",
                                             kwargs={"pk": world["event"].pk}))
    response = client.get(reverse("casework:trail"))
    body = response.content.decode()
    assert "The trail verifies" in body
    entries = list(response.context["page"])
    assert [e.pk for e in entries] == sorted((e.pk for e in entries), reverse=True)
    assert entries[0].target == "trail" and entries[0].username == "head"  # its own reading
    assert 'class="denied"' in body
    assert TITLE not in body and VICTIM not in body and "+992" not in body
    denied = client.get(reverse("casework:trail"), {"action": "denied"}).context["page"]
    assert [e.action for e in denied] == ["denied"]
    nobody = client.get(reverse("casework:trail"), {"user": "nobody"})
    assert "No entry matches these filters." in nobody.content.decode()
    bad = client.get(reverse("casework:trail"), {"since": "2004-05-01", "until": "2004-04-01"})
    assert "The end date comes before the start date." in bad.content.decode()


def test_the_trail_names_its_first_broken_link(world, users):  # noqa: F811
    entry = TrailEntry.objects.filter(office_id=world["event"].office_id).order_by("id")[2]
    with guard.unlocked(), connection.cursor() as cursor:
        cursor.execute("UPDATE casework_trailentry SET purpose = %s WHERE id = %s",
                       ["rewritten", entry.pk])
    body = client_of(users["head"]).get(reverse("casework:trail"),
                                        {"page": "2"}).content.decode()
    assert "The trail does not verify." in body
    assert f"Entry #{entry.pk} was altered after it was written." in body


# Lists cost the same number of queries however long they grow.


def test_the_oversight_pages_cost_constant_queries(world, users, assert_queries_constant):  # noqa: F811
    hr, head, event = users["human_rights"], users["head"], world["event"]
    grown = {"n": 0}

    def more_changes(n):
        for _ in range(n):
            grown["n"] += 1
            event.description = f"Change {grown['n']}."
            services.event_save(actor=hr, event=event)
            victim = world["victim"]
            victim.notes = f"Note {grown['n']}."
            services.person_save(actor=hr, person=victim)

    def more_teams(n):
        for _ in range(n):
            grown["n"] += 1
            team = services.team_save(actor=head, team=CaseTeam(office=event.office,
                                                                name=f"Team {grown['n']}"))
            services.team_member_save(actor=head, member=CaseTeamMember(team=team, user=hr))
            services.break_glass_open(actor=head, event=world["other_event"],
                                      reason="The minister asked about this case today.")

    history = reverse("casework:history", kwargs={"pk": event.pk})
    assert_queries_constant(client_of(hr), history, more_changes)
    assert_queries_constant(client_of(head), reverse("casework:trail"), more_changes)
    assert_queries_constant(client_of(head), reverse("casework:teams"), more_teams)

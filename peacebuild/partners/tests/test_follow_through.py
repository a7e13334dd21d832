"""Follow-through: owners see their action points on the overview and are reminded by
e-mail; the coordination figures come from the engine and reach dashboards and reports."""

import datetime as dt

import pytest
from django.core import mail
from django.core.management import call_command
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from peacebuild.activities.queries import ActivityFilter
from peacebuild.figures.engine import FigureQuery, compute
from peacebuild.partners.models import ActionPoint, GroupMeeting, GroupMember

pytestmark = pytest.mark.django_db


# --- the overview ------------------------------------------------------------------------


def test_the_owner_sees_it_due_on_the_overview_and_others_do_not(client_for, action):
    page = client_for("viewer").get("/", {"as_of": "2004-02-20"}).content.decode()
    assert "Your action points" in page and "due in 10 days" in page
    assert "Draft a joint note." in page
    assert reverse("partners:action_close", args=[action.pk]) in page
    overdue = client_for("viewer").get("/", {"as_of": "2004-03-04"}).content.decode()
    assert "overdue by 3 days" in overdue
    too_early = client_for("viewer").get("/", {"as_of": "2004-01-30"}).content.decode()
    assert "Draft a joint note." not in too_early  # a month ahead: not yet
    assert "Your action points" not in client_for("head").get(
        "/", {"as_of": "2004-02-20"}).content.decode()


def test_a_closed_action_leaves_the_overview(client_for, action):
    ActionPoint.objects.filter(pk=action.pk).update(status="done", closed_on="2004-02-25",
                                                    evidence="Sent.")
    page = client_for("viewer").get("/", {"as_of": "2004-02-28"}).content.decode()
    assert "Draft a joint note." not in page
    # Seen as of a day before it was closed, it was still due.
    assert "Draft a joint note." in client_for("viewer").get(
        "/", {"as_of": "2004-02-20"}).content.decode()


# --- e-mail reminders --------------------------------------------------------------------


@pytest.fixture
def mail_on(settings):
    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    settings.EMAIL_CONFIGURED = True


def test_reminders_are_sent_once_before_and_once_when_overdue(mail_on, action, users):
    users["viewer"].email = "viewer@example.org"
    users["viewer"].save()
    call_command("remind_action_points", "--today", "2004-02-20")  # 10 days before: not yet
    assert len(mail.outbox) == 0
    call_command("remind_action_points", "--today", "2004-02-25")
    assert len(mail.outbox) == 1
    message = mail.outbox[0]
    assert message.to == ["viewer@example.org"]
    assert "Draft a joint note." in message.body and "Due on" in message.body
    call_command("remind_action_points", "--today", "2004-02-26")
    assert len(mail.outbox) == 1  # once
    call_command("remind_action_points", "--today", "2004-03-02")
    assert len(mail.outbox) == 2 and "Overdue" in mail.outbox[1].body
    call_command("remind_action_points", "--today", "2004-03-03")
    assert len(mail.outbox) == 2


def test_reminders_speak_the_owners_language(mail_on, action, users):
    users["viewer"].email, users["viewer"].preferred_language = "v@example.org", "ru"
    users["viewer"].save()
    call_command("remind_action_points", "--today", "2004-02-25")
    assert "Срок" in mail.outbox[0].body or "срок" in mail.outbox[0].body


def test_no_reminder_for_closed_items_or_owners_without_address(mail_on, action, users):
    call_command("remind_action_points", "--today", "2004-02-25")  # viewer has no e-mail
    assert len(mail.outbox) == 0
    users["viewer"].email = "viewer@example.org"
    users["viewer"].save()
    ActionPoint.objects.filter(pk=action.pk).update(status="done", closed_on="2004-02-24",
                                                    evidence="Sent.")
    call_command("remind_action_points", "--today", "2004-02-25")
    assert len(mail.outbox) == 0


def test_without_e_mail_configured_the_command_says_so(settings, action, capsys):
    settings.EMAIL_CONFIGURED = False
    call_command("remind_action_points", "--today", "2004-02-25")
    assert "E-mail is not configured" in capsys.readouterr().out
    assert len(mail.outbox) == 0


# --- figures -----------------------------------------------------------------------------


@pytest.fixture
def history(group, meeting, action, orgs, users):
    """Two meetings (3 members; 2 then 3 present), three action points due in Q1 2004:
    one done on time, one done late, one still open."""
    second = GroupMeeting.objects.create(group=group, held_on=dt.date(2004, 4, 14))
    second.attended.set([orgs["ohchr"], orgs["osce"], orgs["ec"], orgs["sdc"]])  # sdc a guest
    ActionPoint.objects.filter(pk=action.pk).update(status="done", closed_on="2004-02-27",
                                                    evidence="Sent.")
    ActionPoint.objects.create(meeting=meeting, text="Late one", owner=orgs["ec"],
                               due_on=dt.date(2004, 2, 15), status="done",
                               closed_on=dt.date(2004, 3, 10), evidence="Sent late.")
    ActionPoint.objects.create(meeting=meeting, text="Open one", owner=orgs["ohchr"],
                               due_on=dt.date(2004, 3, 20))
    return group


def _value(office, measure, **kw):
    return compute(office, FigureQuery(measure, **kw), today=dt.date(2026, 1, 1)).total.value


def test_coordination_figures(office, history):
    year = ActivityFilter(date_from=dt.date(2004, 1, 1), date_to=dt.date(2004, 12, 31))
    assert _value(office, "meetings_held", filters=year) == 2
    assert _value(office, "member_attendance", filters=year) == 83  # (2 + 3) / (3 + 3)
    assert _value(office, "actions_due", filters=year) == 3
    assert _value(office, "actions_done_on_time", filters=year) == 1
    q1 = ActivityFilter(date_from=dt.date(2004, 1, 1), date_to=dt.date(2004, 3, 31))
    # At the end of Q1: the open one is overdue, the late one was closed by then.
    assert _value(office, "actions_overdue", filters=q1) == 1
    feb = ActivityFilter(date_from=dt.date(2004, 2, 1), date_to=dt.date(2004, 2, 29))
    assert _value(office, "actions_overdue", filters=feb) == 1  # the late one, on 29 Feb


def test_member_attendance_total_is_a_ratio_of_sums(office, history, orgs):
    lone = history.office.groups.create(name="Small group")
    GroupMember.objects.create(group=lone, organisation=orgs["sdc"])
    GroupMeeting.objects.create(group=lone, held_on=dt.date(2004, 5, 5))  # nobody came
    result = compute(office, FigureQuery("member_attendance", by=("group",)),
                     today=dt.date(2026, 1, 1))
    by_group = {r.breakdown["group"]: r.value for r in result.rows}
    assert by_group == {history.pk: 83, lone.pk: 0}
    assert result.total.value == 71  # 5 of 7 seats, not the mean of 83 and 0


def test_figures_by_quarter_link_to_their_records(office, history):
    result = compute(office, FigureQuery("meetings_held", by=("quarter",)),
                     today=dt.date(2026, 1, 1))
    assert [(r.breakdown["quarter"], r.value) for r in result.rows] == [
        ("2004-Q1", 1), ("2004-Q2", 1)]
    url = result.rows[1].records_url
    assert url.startswith(reverse("partners:meetings"))
    assert "date_from=2004-04-01" in url and "date_to=2004-06-30" in url


def test_figures_refuse_what_they_cannot_answer(office, other_group):
    with pytest.raises(Exception, match="cannot be broken down"):
        compute(office, FigureQuery("meetings_held", by=("sex",)))
    with pytest.raises(Exception, match="not a coordination group of this office"):
        compute(office, FigureQuery("meetings_held", group=other_group.pk))


def test_the_dashboard_shows_the_groups_figures(client_for, history):
    page = client_for("viewer").get(reverse("programmes:dashboard"),
                                    {"date_from": "2004-01-01", "date_to": "2004-12-31"})
    html = page.content.decode()
    assert 'id="coordination"' in html and "Human-rights thematic group" in html
    rows = page.context["coordination"]
    assert rows[0].figures["meetings_held"].value == 2
    assert rows[0].figures["actions_done_on_time"].value == 1


def test_a_report_placeholder_states_them(client_for, history, office):
    from peacebuild.demo.figures import figure_definitions
    from peacebuild.reporting.catalogue import Cache, Period
    from peacebuild.reporting.narrative import resolve

    history.code = "human-rights-group"
    history.save()
    figure_definitions(office, skip_missing=True)  # the demo's bindings, group ones included
    cache = Cache(Period(office, dt.date(2003, 6, 1), dt.date(2004, 5, 31), dt.date(2004, 6, 1)))
    text = ("The group met {hr_group_meetings|words} times; {hr_group_actions_on_time} of "
            "{hr_group_actions_due} action points were done on time.")
    [paragraph] = resolve(text, "en", cache)
    assert "".join(s.text for s in paragraph) == (
        "The group met two times; 1 of 3 action points were done on time.")
    assert all(not s.error for s in paragraph)


# --- queries per page --------------------------------------------------------------------


def _queries(client, url):
    with CaptureQueriesContext(connection) as ctx:
        assert client.get(url).status_code == 200
    return len(ctx.captured_queries)


@pytest.mark.parametrize("name", ["groups", "group", "meetings", "meeting", "actions"])
def test_list_pages_cost_the_same_with_more_rows(name, client_for, history, orgs, meeting):
    client = client_for("head")
    args = {"group": [history.pk], "meeting": [meeting.pk]}.get(name)
    url = reverse(f"partners:{name}", args=args) + ("?status=" if name == "actions" else "")
    _queries(client, url)  # warm the session and caches
    first = _queries(client, url)
    for i in range(5):
        extra = GroupMeeting.objects.create(group=history, held_on=dt.date(2004, 5, i + 1),
                                            decisions=f"Decision {i}")
        extra.attended.set([orgs["ohchr"]])
        for owner in ("ec", "osce"):
            ActionPoint.objects.create(meeting=meeting, text=f"More {i}", owner=orgs[owner],
                                       due_on=dt.date(2004, 6, 1))
        GroupMember.objects.get_or_create(group=history, organisation=orgs["sdc"])
    assert _queries(client, url) == first

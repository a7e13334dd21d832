"""The partner list costs the same number of queries however many partners and
coordination groups (with members) the office has."""

import itertools

from django.urls import reverse

from peacebuild.partners.models import Group, Organisation

# The pages this file keeps to a constant number of queries (tests/test_query_counts.py
# checks that every list page is in one such set).
PAGES = {"partners:list"}


def test_partner_list_does_not_grow(client_for, office, users, assert_queries_constant):
    serial = itertools.count()

    def grow(n: int) -> None:
        for _ in range(n):
            i = next(serial)
            members = [Organisation.objects.create(office=office, name=f"NGO {i}-{k}",
                                                   kind="ngo") for k in range(2)]
            Group.objects.create(office=office, name=f"Group {i}").members.set(members)

    for role in ("viewer", "head"):  # with and without the edit links
        assert_queries_constant(client_for(role), reverse("partners:list"), grow)


# Coordination pages: groups, a group, meetings, a meeting, action points, closing one.
PAGES |= {"partners:groups", "partners:group", "partners:meetings", "partners:meeting",
          "partners:actions", "partners:action_close"}


def _coordination(office):
    """A group with a meeting and an open action point, and a function that adds more of
    everything those pages list: meetings, members present, action points, decisions."""
    import datetime as dt

    from peacebuild.partners.models import ActionPoint, GroupMeeting, GroupMember

    group = Group.objects.create(office=office, name="Human-rights thematic group")
    meeting = GroupMeeting.objects.create(group=group, held_on=dt.date(2004, 1, 21))
    action = ActionPoint.objects.create(meeting=meeting, text="Send the note.",
                                        owner=Organisation.objects.create(
                                            office=office, name="OSCE", kind="international"),
                                        due_on=dt.date(2004, 3, 1))
    serial = itertools.count()

    def grow(n: int) -> None:
        for _ in range(n):
            i = next(serial)
            org = Organisation.objects.create(office=office, name=f"Member {i}", kind="ngo")
            GroupMember.objects.create(group=group, organisation=org, attendee=f"Adviser {i}")
            extra = GroupMeeting.objects.create(group=group, held_on=dt.date(2004, 2, 1 + i % 27),
                                                decisions=f"Decision {i}")
            extra.attended.set([org])
            meeting.attended.add(org)
            ActionPoint.objects.create(meeting=meeting, text=f"Action {i}", owner=org,
                                       due_on=dt.date(2004, 6, 1))

    return group, meeting, action, grow


def test_coordination_pages_do_not_grow(client_for, office, users, assert_queries_constant):
    group, meeting, action, grow = _coordination(office)
    for role in ("viewer", "head"):
        for url in (reverse("partners:groups"), reverse("partners:group", args=[group.pk]),
                    reverse("partners:meetings"), reverse("partners:meeting", args=[meeting.pk]),
                    reverse("partners:actions") + "?status=",
                    reverse("partners:action_close", args=[action.pk])):
            if role == "viewer" and "close" in url:
                continue  # the viewer does not own this one: a 403
            assert_queries_constant(client_for(role), url, grow)

"""The case list, the heads' summaries, the interventions due and a case page cost the same
number of queries however many cases, acts and follow-ups there are."""

import datetime as dt
import itertools

from django.urls import reverse

from conftest import login_verified
from peacebuild.casework import services
from peacebuild.casework.models import (
    Act,
    Event,
    FollowUp,
    Information,
    Intervention,
    Involvement,
    Person,
)

from .casedata import build

# The pages this file keeps to a constant number of queries (tests/test_query_counts.py
# checks that every list page is in one such set).
PAGES = {"casework:list", "casework:due"}


def test_case_pages_do_not_grow(client, office, users, places, assert_queries_constant):
    cases = build(office, users, places)
    hr, team, event = users["human_rights"], cases["team"], cases["event"]
    serial = itertools.count()

    def grow(n: int) -> None:
        for _ in range(n):
            i = next(serial)
            person = services.person_save(actor=hr, person=Person(
                office=office, team=team, name=f"Person {i} (invented)"))
            new = services.event_save(actor=hr, event=Event(
                office=office, team=team, title=f"Case {i} (invented)",
                started_on=dt.date(2004, 1, 1) + dt.timedelta(days=i), region=places["TJ-KT"]))
            for target in (new, event):
                act = services.act_save(actor=hr, act=Act(event=target, violation="torture",
                                                          victim=person))
                services.involvement_save(actor=hr, involvement=Involvement(
                    act=act, perpetrator=cases["police"]))
                services.information_save(actor=hr, information=Information(
                    event=target, source=person, received_on=dt.date(2004, 2, 1),
                    content="Said."))
                intervention = services.intervention_save(actor=hr, intervention=Intervention(
                    event=target, made_on=dt.date(2004, 2, 2), authority=cases["ministry"],
                    channel="call", request="Asked.", follow_up_due=dt.date(2004, 2, 9)))
                services.follow_up_save(actor=hr, follow_up=FollowUp(
                    event=target, intervention=intervention, due_on=dt.date(2004, 2, 10),
                    assignee=hr, task="Call again."))

    login_verified(client, hr)
    for url in [reverse("casework:list"), reverse("casework:due"),
                reverse("casework:detail", args=[event.pk])]:
        assert_queries_constant(client, url, grow)
    assert_queries_constant(client, reverse("casework:list"), grow, data={"q": "case"})
    login_verified(client, users["head"])
    assert_queries_constant(client, reverse("casework:list"), grow)

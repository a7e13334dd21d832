"""The case pages as their users meet them: the list and its filters over one's own cases
only, the anonymised summaries of a head of office, a case's timeline and its readers,
the forms (exact-match look-up of a person, dates in order, nothing half-saved), what is
due, and hostile text that stays text."""

import datetime as dt
import re

import pytest
from django.test import Client
from django.urls import reverse

from conftest import login_verified
from peacebuild.casework import services
from peacebuild.casework.models import (
    Act,
    Event,
    FollowUp,
    Information,
    Intervention,
    Person,
    TrailEntry,
)

from .casedata import TITLE, VICTIM, build


@pytest.fixture
def cases(office, users, places):
    return build(office, users, places)


def signed_in(user) -> Client:
    return login_verified(Client(), user)


@pytest.fixture
def hr(users):
    return signed_in(users["human_rights"])


def test_the_list_shows_ones_own_cases_and_counts_only_them(cases, hr, users):
    page = hr.get(reverse("casework:list"))
    body = page.content.decode()
    assert TITLE in body and "Another team" not in body
    assert page.context["count"] == 1
    facets = {f.label: dict(f.values) for f in page.context["facets"]}
    assert facets == {"Status": {"being followed": 1},
                      "Violation": {"arbitrary arrest and detention": 1},
                      "Region": {"Sughd Region": 1}}
    other = signed_in(cases["other_hr"]).get(reverse("casework:list"))
    assert other.context["count"] == 1 and TITLE not in other.content.decode()


def test_the_search_reads_the_titles_of_ones_own_cases_only(cases, hr, users):
    assert hr.get(reverse("casework:list"), {"q": "JOURNALIST"}).context["count"] == 1
    # Another team's title matches nothing, and no count says it exists.
    page = hr.get(reverse("casework:list"), {"q": "Another team"})
    assert page.context["count"] == 0
    assert "None of your cases match these filters." in page.content.decode()
    search = TrailEntry.objects.filter(action="search").last()
    assert search.detail == {"results": 0} and "Another" not in str(search.content())


def test_filters_narrow_the_list(cases, hr):
    def count(**query):
        return hr.get(reverse("casework:list"), query).context["count"]

    assert count(status="monitoring") == 1 and count(status="closed") == 0
    assert count(violation="detention") == 1 and count(violation="torture") == 0
    assert count(confidentiality="strict") == 1 and count(confidentiality="restricted") == 0
    assert count(date_from="2004-03-01", date_to="2004-03-31") == 1
    assert count(date_from="2005-01-01") == 0
    page = hr.get(reverse("casework:list"), {"date_from": "2004-04-01",
                                             "date_to": "2004-03-01"})
    assert "The end of the period is before its beginning." in page.content.decode()


def test_a_team_without_cases_sees_an_empty_list(office, users, places):
    from peacebuild.accounts.permissions import SYSTEM
    from peacebuild.casework.models import CaseTeam, CaseTeamMember

    team = services.team_save(actor=SYSTEM, team=CaseTeam(office=office, name="Empty"))
    services.team_member_save(actor=SYSTEM, member=CaseTeamMember(
        team=team, user=users["human_rights"], can_write=True))
    body = signed_in(users["human_rights"]).get(reverse("casework:list")).content.decode()
    assert "Your case teams have no cases yet." in body
    assert reverse("casework:event_create") in body


def test_heads_of_office_see_summaries_without_titles_or_names(cases, users):
    body = signed_in(users["head"]).get(reverse("casework:list")).content.decode()
    assert "Anonymised summaries" in body
    for secret in [TITLE, VICTIM, "Khujand", "12 March", "A1234567"]:
        assert secret not in body
    assert "March 2004" not in body and "2004-03" in body
    assert f'href="{reverse("casework:detail", args=[cases["event"].pk])}"' not in body
    assert reverse("casework:break_glass", args=[cases["event"].pk]) in body


def test_the_navigation_shows_cases_to_case_officers_and_heads_only(cases, client_for, users):
    link = f'href="{reverse("casework:list")}"'
    for role in ["human_rights", "head"]:
        assert link in client_for(role).get(reverse("ui:home")).content.decode(), role
    for role in ["programme", "monitoring", "viewer"]:
        assert link not in client_for(role).get(reverse("ui:home")).content.decode(), role


def test_the_case_page_tells_the_case_in_date_order_and_records_each_read(cases, hr, users):
    event = cases["event"]
    url = reverse("casework:detail", args=[event.pk])
    page = hr.get(url, REMOTE_ADDR="10.1.2.3")
    kinds = [(m.kind, m.day) for m in page.context["timeline"]]
    assert kinds == [("event", dt.date(2004, 3, 12)), ("act", dt.date(2004, 3, 12)),
                     ("information", dt.date(2004, 3, 14)),
                     ("intervention", dt.date(2004, 3, 15)), ("event_end", dt.date(2004, 3, 20)),
                     ("due", dt.date(2004, 3, 29)), ("follow_up", dt.date(2004, 3, 30))]
    body = page.content.decode()
    assert reverse("casework:history", args=[event.pk]) in body
    for shown in [TITLE, VICTIM, "District police (invented)", "carried it out",
                  "Release or charge.", "Ministry of Internal Affairs", "awaiting a response",
                  "to use and to share beyond the office", "reliable", "Call the ministry.",
                  "A1234567", "March 2004"]:
        assert shown in body, shown
    read = TrailEntry.objects.filter(action="read", target=f"event:{event.pk}").last()
    assert (read.username, read.address) == ("human_rights", "10.1.2.3")
    signed_in(cases["reader"]).get(url)
    readers = [(r["username"], r["times"]) for r in hr.get(url).context["readers"]]
    assert readers == [("human_rights", 2), ("hr_reader", 1)]
    assert "Opened 4 times" in hr.get(url).content.decode()


def _normalised(response) -> bytes:
    body = re.sub(rb'(csrfmiddlewaretoken" value="|X-CSRFToken": ")[^"]+', b"", response.content)
    return re.sub(rb"/cases/\d+/", b"/cases/N/", body)


def test_a_case_outside_ones_reach_is_the_same_404_as_none_and_is_recorded(cases, users):
    event = cases["event"]
    for user in [cases["other_hr"], users["head"], users["viewer"], cases["root"]]:
        client = signed_in(user)
        before = TrailEntry.objects.filter(action="denied").count()
        hidden = client.get(reverse("casework:detail", args=[event.pk]))
        missing = client.get(reverse("casework:detail", args=[event.pk + 1000]))
        assert hidden.status_code == missing.status_code == 404
        assert _normalised(hidden) == _normalised(missing), user
        assert sorted(hidden.headers) == sorted(missing.headers)
        denied = TrailEntry.objects.filter(action="denied").order_by("id")
        assert denied.count() == before + 1  # the missing id is nobody's case
        assert (denied.last().target, denied.last().username) == (f"event:{event.pk}",
                                                                  user.username)
        assert not TrailEntry.objects.filter(action="read", username=user.username).exists()


def test_a_new_person_with_a_recorded_name_or_id_number_is_found_not_recorded_twice(
        cases, hr, users):
    url = reverse("casework:person_create", args=[cases["event"].pk])
    page = hr.post(url, {"kind": "individual", "name": "  farrukh   SHARIPOV (invented) "})
    assert page.status_code == 200 and page.context["already"] == cases["victim"]
    assert "is already recorded by your team: use them" in page.content.decode()
    page = hr.post(url, {"kind": "individual", "name": "Another name", "id_number": "A1234567"})
    assert page.context["already"] == cases["victim"]
    assert Person.objects.filter(team=cases["team"]).count() == 3
    # Someone else of the same name, said so: recorded.
    assert hr.post(url, {"kind": "individual", "name": VICTIM,
                         "record_anyway": "on"}).status_code == 302
    # Another team's persons are never found, nor offered.
    other = signed_in(cases["other_hr"])
    page = other.post(reverse("casework:person_create", args=[cases["other_event"].pk]),
                      {"kind": "individual", "name": VICTIM, "id_number": "A1234567"})
    assert page.status_code == 302
    act_form = other.get(reverse("casework:act_create", args=[cases["other_event"].pk]))
    assert {p.team_id for p in act_form.context["form"].fields["victim"].queryset} == {
        cases["other"].pk}


def test_wrong_dates_are_refused_and_nothing_is_saved(cases, hr):
    events = Event.objects.count()
    page = hr.post(reverse("casework:event_create"), {
        "team": cases["team"].pk, "title": "Ends before it begins", "started_on": "2004-05-02",
        "ended_on": "2004-05-01", "start_precision": "day", "end_precision": "day",
        "status": "open", "confidentiality": "confidential"})
    assert page.status_code == 200
    assert page.context["form"].errors["ended_on"] == ["The event cannot end before it begins."]
    assert Event.objects.count() == events
    count = Intervention.objects.count()
    page = hr.post(reverse("casework:intervention_create", args=[cases["event"].pk]), {
        "made_on": "2004-04-01", "follow_up_due": "2004-03-01",
        "authority": cases["ministry"].pk, "channel": "letter", "request": "Release.",
        "outcome": "pending"})
    assert "A follow-up cannot fall due before the intervention." in page.content.decode()
    assert Intervention.objects.count() == count


def test_the_services_refusals_are_shown_on_the_form(cases, hr):
    # The same perpetrator twice for one act: the record's own rule, said on the form.
    url = reverse("casework:involvement_create", args=[cases["event"].pk, cases["act"].pk])
    page = hr.post(url, {"perpetrator": cases["police"].pk, "degree": "ordered"})
    assert page.status_code == 200 and page.context["form"].errors
    # A source who does not consent to use cannot consent to sharing.
    page = hr.post(reverse("casework:information_create", args=[cases["event"].pk]), {
        "source": cases["source"].pk, "received_on": "2004-03-16", "reliability": "low",
        "content": "Said something.", "consent_to_share": "on"})
    assert "cannot consent to its sharing" in page.content.decode()
    assert Information.objects.count() == 1


def test_a_victim_of_another_team_cannot_be_chosen(cases, hr):
    stranger = services.person_save(actor=cases["other_hr"], person=Person(
        office=cases["event"].office, team=cases["other"], name="Stranger (invented)"))
    page = hr.post(reverse("casework:act_create", args=[cases["event"].pk]),
                   {"violation": "torture", "victim": stranger.pk, "precision": "day"})
    assert "victim" in page.context["form"].errors
    assert Act.objects.count() == 1


HOSTILE = ("<script>alert(1)</script><b>bold</b> {{ 7|add:1 }} {% now 'Y' %} "
           "\u202egnp.exe <img src=x onerror=alert(2)>")


def test_hostile_text_renders_inert_on_every_case_page(cases, hr, users):
    event = cases["event"]
    services.event_save(actor=users["human_rights"], event=Event(
        office=event.office, team=cases["team"], title=f"T {HOSTILE}",
        started_on=dt.date(2004, 6, 1)))
    for obj, fields in [(event, ["title", "description"]),
                        (cases["victim"], ["name", "other_names", "contact", "id_number",
                                           "notes"]),
                        (cases["act"], ["place", "consequences"]),
                        (cases["involvement"], ["notes"]),
                        (cases["information"], ["content", "consent_notes"]),
                        (cases["intervention"], ["request", "response"])]:
        for name in fields:
            setattr(obj, name, f"{name} {HOSTILE}")
        {"event": services.event_save, "person": services.person_save,
         "act": services.act_save, "involvement": services.involvement_save,
         "information": services.information_save,
         "intervention": services.intervention_save}[obj._meta.model_name](
            actor=users["human_rights"], **{obj._meta.model_name: obj})
    follow_up = cases["follow_up"]
    follow_up.task = f"task {HOSTILE}"
    follow_up.done_on = None
    services.follow_up_save(actor=users["human_rights"], follow_up=follow_up)
    urls = [reverse("casework:list"), reverse("casework:list") + "?q=gnp",
            reverse("casework:detail", args=[event.pk]), reverse("casework:due"),
            reverse("casework:event_edit", args=[event.pk]),
            reverse("casework:person_edit", args=[event.pk, cases["victim"].pk]),
            reverse("casework:act_edit", args=[event.pk, cases["act"].pk]),
            reverse("casework:information_edit", args=[event.pk, cases["information"].pk]),
            reverse("casework:intervention_edit", args=[event.pk, cases["intervention"].pk]),
            reverse("casework:follow_up_edit", args=[event.pk, follow_up.pk]),
            reverse("ui:home")]
    for url in urls:
        body = hr.get(url).content.decode()
        assert "<script>alert" not in body and "<b>bold" not in body, url
        assert "<img src=x" not in body and "8 " not in body.split("{{ 7")[0][-3:], url
    page = hr.get(reverse("casework:detail", args=[event.pk])).content.decode()
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in page
    assert "{{ 7|add:1 }}" in page and "{% now &#x27;Y&#x27; %}" in page
    # Every piece of typed text sits in its own isolate: an RTL override cannot turn the
    # text around it.
    for chunk in page.split("\u202e")[:-1]:
        assert chunk.rfind("<bdi") > chunk.rfind("</bdi>"), chunk[-200:]


def test_nul_bytes_are_refused_with_a_message(cases, hr):
    page = hr.post(reverse("casework:act_create", args=[cases["event"].pk]), {
        "violation": "torture", "victim": cases["victim"].pk, "precision": "day",
        "place": "Khujand\x00"})
    assert page.context["form"].errors["place"] == ["Null characters are not allowed."]
    assert Act.objects.count() == 1


def test_what_is_due_puts_the_overdue_first(cases, hr, users, office):
    services.follow_up_save(actor=users["human_rights"], follow_up=FollowUp(
        event=cases["event"], due_on=office.today() + dt.timedelta(days=3),
        assignee=users["human_rights"], task="Visit the family."))
    services.follow_up_save(actor=users["human_rights"], follow_up=FollowUp(
        event=cases["event"], due_on=dt.date(2004, 5, 1), assignee=users["human_rights"],
        task="Ask for the court's decision."))
    services.follow_up_save(actor=users["human_rights"], follow_up=FollowUp(
        event=cases["event"], due_on=dt.date(2004, 5, 1), assignee=cases["reader"],
        task="The reader's own task."))
    page = hr.get(reverse("casework:due"))
    assert [f.task for f in page.context["follow_ups"]] == [
        "Ask for the court's decision.", "Visit the family."]
    assert [i.pk for i in page.context["interventions"]] == [cases["intervention"].pk]
    body = page.content.decode()
    assert body.index("Ask for the court") < body.index("Visit the family")
    assert "The reader's own task." not in body
    # On the overview: the officer's own follow-ups, by case and date, no task text.
    home = hr.get(reverse("ui:home")).content.decode()
    assert "Follow-ups due" in home and "2 follow-ups overdue or due within a week" in home
    assert "Visit the family" not in home
    assert reverse("casework:detail", args=[cases["event"].pk]) in home
    for role in ["head", "viewer", "programme"]:
        client = signed_in(users[role])
        assert "Follow-ups due" not in client.get(reverse("ui:home")).content.decode()


WORST = ["²", "99999999999999999999", "\x00", "0001-01-01", "9999-12-31", "\u202eevil\u202c",
         "-1", "2004-13-45", "<script>", "x" * 5000]
CASE_MODELS = [Event, Person, Act, Information, Intervention, FollowUp]


def _counts() -> list[int]:
    from peacebuild.casework.models import Involvement

    return [m.objects.count() for m in [*CASE_MODELS, Involvement, TrailEntry]]


def test_no_value_in_any_case_form_gives_a_server_error_or_half_a_write(cases, hr):
    event = cases["event"]
    urls = [reverse("casework:event_create"), reverse("casework:event_edit", args=[event.pk]),
            *(reverse(f"casework:{name}", args=[event.pk]) for name in
              ["person_create", "act_create", "information_create", "intervention_create",
               "follow_up_create"]),
            reverse("casework:involvement_create", args=[event.pk, cases["act"].pk])]
    for url in urls:
        form = hr.get(url).context["form"]
        names = [form[name].html_name for name in form.fields]
        for value in WORST:
            before = _counts()
            response = hr.post(url, dict.fromkeys(names, value))
            assert response.status_code in (200, 302), (url, value)
            if response.status_code == 200:  # refused: nothing written, and said why
                assert _counts() == before, (url, value)
                assert "Nothing was saved" in response.content.decode(), (url, value)

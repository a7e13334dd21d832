"""The partner list (filters, pages, empty states) and the partner form (validation shown
next to the field, every save audited)."""

import pytest
from django.urls import reverse
from django.utils.html import escape

from peacebuild.accounts.models import AuditEntry
from peacebuild.partners.models import Group, Organisation

LIST = reverse("partners:list")
CREATE = reverse("partners:create")


def names(response) -> list[str]:
    return [o.name for o in response.context["page"].object_list]


@pytest.fixture
def partners(office, other_office) -> dict[str, Organisation]:
    made = {
        name: Organisation.objects.create(office=office, name=name, kind=kind)
        for name, kind in [("Ministry of Justice", "government"),
                           ("Democratic Party", "party"),
                           ("Youth Forum", "ngo"),
                           ("Women's Forum of Khujand", "ngo")]
    }
    Organisation.objects.create(office=other_office, name="Foreign Forum", kind="ngo")
    return made


def test_list_shows_this_office_by_name(client_for, partners):
    response = client_for("viewer").get(LIST)
    assert response.status_code == 200
    assert names(response) == ["Democratic Party", "Ministry of Justice",
                               "Women's Forum of Khujand", "Youth Forum"]
    assert "Foreign Forum" not in response.content.decode()


@pytest.mark.parametrize(("query", "expected"), [
    ({"kind": "ngo"}, ["Women's Forum of Khujand", "Youth Forum"]),
    ({"q": "forum"}, ["Women's Forum of Khujand", "Youth Forum"]),
    ({"q": "  ministry "}, ["Ministry of Justice"]),
    ({"kind": "ngo", "q": "youth"}, ["Youth Forum"]),
    ({"kind": "party", "q": "forum"}, []),
])
def test_filters_by_kind_and_text(client_for, partners, query, expected):
    response = client_for("viewer").get(LIST, query)
    assert response.status_code == 200
    assert names(response) == expected


def test_chosen_filters_stay_in_the_form(client_for, partners):
    html = client_for("viewer").get(LIST, {"kind": "ngo", "q": "youth"}).content.decode()
    assert '<option value="ngo" selected>' in html
    assert 'name="q" value="youth"' in html


def test_filters_matching_nothing_say_so(client_for, partners):
    html = client_for("viewer").get(LIST, {"q": "nothing like this"}).content.decode()
    assert "No partner matches these filters." in html
    assert f'<a href="{LIST}">' in html


def test_empty_office_explains_what_belongs_here(client_for):
    html = client_for("viewer").get(LIST).content.decode()
    assert "No partner organisations yet" in html


def test_pages_of_fifty_visit_every_partner_once_and_keep_the_filter(client_for, office):
    for i in range(60):
        Organisation.objects.create(office=office, name=f"NGO {i:02}", kind="ngo")
    Organisation.objects.create(office=office, name="NGO ministry", kind="government")
    client = client_for("viewer")
    first = client.get(LIST, {"kind": "ngo"})
    html = first.content.decode()
    assert len(names(first)) == 50
    assert "Page 1 of 2" in html
    assert "kind=ngo&amp;page=2" in html
    second = client.get(LIST, {"kind": "ngo", "page": "2"})
    assert len(names(second)) == 10
    assert sorted(names(first) + names(second)) == [f"NGO {i:02}" for i in range(60)]
    # A page past the end shows the last page rather than an error.
    assert names(client.get(LIST, {"kind": "ngo", "page": "99"})) == names(second)


def test_coordination_groups_list_their_members(client_for, office, partners):
    group = Group.objects.create(office=office, name="Human-rights thematic group")
    group.members.set([partners["Youth Forum"], partners["Ministry of Justice"]])
    html = client_for("viewer").get(LIST).content.decode()
    assert "Human-rights thematic group" in html
    assert "Ministry of Justice; Youth Forum" in html


def test_add_button_and_edit_links_only_for_those_who_may(client_for, partners):
    edit = reverse("partners:edit", args=[partners["Youth Forum"].pk])
    programme = client_for("programme").get(LIST).content.decode()
    viewer = client_for("viewer").get(LIST).content.decode()
    assert CREATE in programme and edit in programme
    assert CREATE not in viewer and edit not in viewer


def test_create_saves_audits_and_returns_to_the_list(client_for, office, users):
    response = client_for("programme").post(CREATE, {
        "name": "  Bar Association ", "acronym": "BA", "kind": "ngo", "country": "TJ",
        "website": "bar.tj", "notes": ""}, follow=True)
    assert response.redirect_chain == [(LIST, 302)]
    assert "The organisation was saved." in response.content.decode()
    org = Organisation.objects.get(office=office, name="Bar Association")
    assert org.website == "https://bar.tj"
    entry = AuditEntry.objects.get(model="partners.Organisation", object_id=str(org.pk))
    assert (entry.action, entry.actor, entry.office) == ("create", users["programme"], office)


def test_edit_saves_and_audits_before_and_after(client_for, partners, users):
    org = partners["Youth Forum"]
    response = client_for("head").post(reverse("partners:edit", args=[org.pk]), {
        "name": "Youth Forum of Tajikistan", "acronym": "", "kind": "ngo", "country": "",
        "website": "", "notes": "Met in 2004"})
    assert response.status_code == 302
    org.refresh_from_db()
    assert (org.name, org.notes) == ("Youth Forum of Tajikistan", "Met in 2004")
    entry = AuditEntry.objects.get(model="partners.Organisation", action="update")
    assert entry.actor == users["head"]
    assert ("name", "Youth Forum", "Youth Forum of Tajikistan") in entry.changes
    assert ("notes", "", "Met in 2004") in entry.changes


@pytest.mark.parametrize(("data", "field", "message"), [
    ({"name": "", "kind": "ngo"}, "name", "This field is required."),
    ({"name": "Forum", "kind": "club"}, "kind",
     "Select a valid choice. club is not one of the available choices."),
    ({"name": "Forum", "kind": "ngo", "website": "not a url"}, "website",
     "Enter a valid URL."),
    ({"name": "Forum", "kind": "ngo", "country": "Tajikistan"}, "country",
     "Ensure this value has at most 2 characters (it has 10)."),
])
def test_invalid_input_is_shown_next_to_the_field_and_nothing_saved(
        client_for, office, data, field, message):
    response = client_for("programme").post(CREATE, data)
    assert response.status_code == 200
    assert response.context["form"].errors[field] == [message]
    assert escape(message) in response.content.decode()
    assert not Organisation.objects.exists()
    assert not AuditEntry.objects.exists()


def test_a_second_partner_of_the_same_name_is_refused_on_the_page(client_for, partners):
    response = client_for("programme").post(CREATE, {"name": "Youth Forum", "kind": "ngo"})
    assert response.status_code == 200
    assert response.context["form"].errors, "the duplicate name must be reported"
    html = response.content.decode()
    for error in response.context["form"].errors.values():
        for message in error:
            assert escape(message) in html
    assert Organisation.objects.filter(name="Youth Forum").count() == 1


def test_the_same_name_in_another_office_is_allowed(client_for, other_office, partners):
    # The outsider heads the other office, which already has its own "Foreign Forum".
    response = client_for("outsider").post(CREATE, {"name": "Youth Forum", "kind": "ngo"})
    assert response.status_code == 302
    assert Organisation.objects.filter(name="Youth Forum").count() == 2
    assert Organisation.objects.filter(name="Youth Forum", office=other_office).exists()

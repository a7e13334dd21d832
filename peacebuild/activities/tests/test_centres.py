"""The centres list and form."""

import datetime as dt

from django.urls import reverse

from peacebuild.activities.models import Centre

CENTRES = reverse("activities:centres")


def test_list_shows_centres_and_which_are_open(client_for, centre, office, places):
    Centre.objects.create(office=office, name="Closed centre", kind=Centre.Kind.RESOURCE,
                          place=places["TJ-KT"], opened_on=dt.date(2003, 1, 1),
                          closed_on=dt.date(2006, 1, 1))
    response = client_for("viewer").get(CENTRES)
    html = response.content.decode()
    assert "Khujand education centre" in html and "Closed centre" in html
    assert html.count("open now") == 1
    assert response.context["open_now"].value == 1
    assert reverse("activities:centre_create") not in html


def test_empty_centres_invite_to_add(client_for):
    html = client_for("head").get(CENTRES).content.decode()
    assert "No centres are recorded for this office yet." in html
    assert reverse("activities:centre_create") in html


def test_create_centre(client_for, places, partner, office):
    client = client_for("head")
    response = client.post(reverse("activities:centre_create"), {
        "name": "Resource centre", "kind": Centre.Kind.RESOURCE,
        "place": places["TJ-DU"].pk, "partner": partner.pk, "opened_on": "2004-05-01",
    })
    assert response.status_code == 302
    centre = Centre.objects.get()
    assert centre.office == office and centre.partner == partner


def test_closing_before_opening_is_an_error_on_the_field(client_for, places):
    response = client_for("head").post(reverse("activities:centre_create"), {
        "name": "Resource centre", "kind": Centre.Kind.RESOURCE, "place": places["TJ-DU"].pk,
        "opened_on": "2004-05-01", "closed_on": "2004-01-01",
    })
    assert response.status_code == 200
    assert response.context["form"].errors["closed_on"] == [
        "A centre cannot close before it opens."
    ]
    assert 'value="Resource centre"' in response.content.decode()
    assert Centre.objects.count() == 0


def test_edit_centre(client_for, centre, places):
    url = reverse("activities:centre_edit", args=[centre.pk])
    client = client_for("programme")
    assert "Khujand education centre" in client.get(url).content.decode()
    response = client.post(url, {"name": "Renamed", "kind": centre.kind,
                                 "place": places["TJ-SU"].pk, "opened_on": "2003-01-01",
                                 "closed_on": "2008-01-01"})
    assert response.status_code == 302
    centre.refresh_from_db()
    assert centre.name == "Renamed" and centre.closed_on == dt.date(2008, 1, 1)


def test_partner_of_another_office_cannot_be_chosen(client_for, places, other_office):
    from peacebuild.partners.models import Organisation

    foreign = Organisation.objects.create(office=other_office, name="Foreign", kind="ngo")
    response = client_for("head").post(reverse("activities:centre_create"), {
        "name": "X", "kind": Centre.Kind.RESOURCE, "place": places["TJ-DU"].pk,
        "partner": foreign.pk, "opened_on": "2004-05-01",
    })
    assert response.context["form"].errors["partner"]
    assert Centre.objects.count() == 0

import datetime as dt

import pytest
from django.urls import reverse

from peacebuild.accounts.permissions import SYSTEM
from peacebuild.activities.services import Cell, activity_create
from peacebuild.mandates.models import Document, MandatePeriod
from peacebuild.mandates.services import period_save

D = dt.date


@pytest.fixture
def mandate(office):
    letter = Document.objects.create(office=office, symbol="S/2004/331", title="Letter",
                                     dated_on=D(2004, 4, 23))
    for start, end in [(D(2002, 6, 1), D(2003, 6, 1)), (D(2003, 6, 1), D(2004, 6, 1))]:
        period_save(actor=SYSTEM, period=MandatePeriod(
            office=office, starts_on=start, ends_on=end, decision="approved"))
    period_save(actor=SYSTEM, period=MandatePeriod(
        office=office, starts_on=D(2004, 6, 1), ends_on=D(2005, 6, 1), decision="approved",
        proposed_on=D(2004, 4, 23), document=letter))


def test_overview_as_of_the_letter_shows_days_left_and_proposed_extension(client_for, mandate):
    response = client_for("viewer").get(reverse("ui:home"), {"as_of": "2004-04-23"})
    html = response.content.decode()
    assert "39 days" in html
    assert "Extension to 1 June 2005 proposed by S/2004/331" in html
    assert 'data-status="proposed"' in html
    assert "<svg" in html


def test_overview_warns_when_the_mandate_runs_out_without_extension(client_for, mandate):
    html = client_for("viewer").get(reverse("ui:home"), {"as_of": "2004-04-22"}).content.decode()
    assert "no extension has been proposed" in html


def test_bad_as_of_date_is_explained(client_for, mandate):
    html = client_for("viewer").get(reverse("ui:home"), {"as_of": "2004-13-45"}).content.decode()
    assert "is not a date" in html


def test_overview_counts_activities_and_participants(client_for, office, programme,
                                                      activity_type, users):
    activity_create(actor=users["programme"], office=office, programme=programme,
                    type=activity_type, title="Club", starts_on=D(2003, 9, 1),
                    ends_on=D(2003, 9, 1),
                    attendance={Cell("party", "f"): 40, Cell("party", "m"): 80})
    html = client_for("viewer").get(reverse("ui:home")).content.decode()
    assert 'data-measure="activities">1</a>' in html
    assert 'data-measure="participants">120</a>' in html


def test_overview_in_russian_formats_dates_in_russian(client_for, mandate):
    client = client_for("viewer")
    client.post(reverse("set_language"), {"language": "ru", "next": "/"})
    html = client.get(reverse("ui:home"), {"as_of": "2004-04-23"}).content.decode()
    assert "1 июня 2005" in html
    assert 'lang="ru"' in html


def test_user_without_office_sees_what_to_do(db, client):
    from peacebuild.accounts.models import User

    client.force_login(User.objects.create_user("loner", password="x-long-password"))
    html = client.get(reverse("ui:home")).content.decode()
    assert "not a member of any office" in html


def test_switching_office_only_to_ones_you_belong_to(client_for, users, office, other_office):
    client = client_for("head")
    client.post(reverse("ui:switch_office"), {"office": other_office.pk})
    html = client.get(reverse("ui:home")).content.decode()
    assert office.name in html and other_office.name not in html

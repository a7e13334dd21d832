"""The demo office holds what S/2004/331 and the public record say, and every figure of the
letter comes out of the figures engine."""

import datetime as dt
from io import StringIO

import pytest
from django.apps import apps
from django.core.management import CommandError, call_command
from django.db.models import Sum
from django_otp.plugins.otp_totp.models import TOTPDevice

from peacebuild.activities.models import Activity, ActivityType
from peacebuild.activities.queries import ActivityFilter
from peacebuild.demo.loader import (
    DEMO_RECOVERY_CODE,
    DEMO_RECOVERY_CODE_2,
    DEMO_TOTP_SECRET,
    DEMO_TOTP_SECRET_2,
    PASSWORD,
    SEED_YEAR,
    YEAR_2004_2005,
    load_demo,
)
from peacebuild.figures import engine as figures
from peacebuild.mandates.models import Document, Office, Sourced
from peacebuild.mandates.queries import mandate_state
from peacebuild.programmes.models import Programme

pytestmark = pytest.mark.django_db


@pytest.fixture
def untop() -> Office:
    return load_demo().office


def type_id(code: str) -> int:
    return ActivityType.objects.get(code=code).pk


def programme_id(office: Office, code: str) -> int:
    return Programme.objects.get(office=office, code=code).pk


def seed_year(**kw) -> ActivityFilter:
    return ActivityFilter(date_from=SEED_YEAR[0], date_to=SEED_YEAR[1], **kw)


def next_year(**kw) -> ActivityFilter:
    return ActivityFilter(date_from=YEAR_2004_2005[0], date_to=YEAR_2004_2005[1], **kw)


def test_discussion_clubs_of_the_seed_year(untop):
    flt = seed_year(type=type_id("discussion-club"))
    assert figures.activity_count(untop, flt).value == 11
    assert figures.participants(untop, flt).value > 1300
    dialogue = programme_id(untop, "dialogue")
    assert figures.activity_count(untop, seed_year(type=flt.type, programme=dialogue)).value == 11
    regions = {a.region.code for a in Activity.objects.filter(office=untop, type_id=flt.type,
                                                               starts_on__gte=SEED_YEAR[0],
                                                               ends_on__lte=SEED_YEAR[1])}
    assert regions == {"TJ-DU", "TJ-SU", "TJ-KT", "TJ-GB", "TJ-RA"}
    categories = {f.breakdown["category"] for f in figures.participants_by(untop, "category",
                                                                            flt)}
    assert categories == {"central_government", "local_administration", "party",
                          "civil_society"}


def test_every_breakdown_adds_up(untop):
    for activity in Activity.objects.filter(office=untop):
        cells = activity.attendance.aggregate(n=Sum("count"))["n"]
        if cells is not None:
            assert cells == activity.participants_total, activity


def test_letter_figures(untop):
    october = ActivityFilter(type=type_id("training"),
                             programme=programme_id(untop, "democratic-institutions"),
                             date_from=dt.date(2003, 10, 1), date_to=dt.date(2003, 10, 31))
    assert figures.participants(untop, october).value == 90
    by_category = {f.breakdown["category"]: f.value
                   for f in figures.participants_by(untop, "category", seed_year())}
    assert 195 <= by_category["teacher"] <= 205
    day = dt.date(2004, 4, 23)
    assert figures.centres_open(untop, day).value == 6  # 4 education + resource + documentation
    assert figures.centres_open(untop, day, kind="education").value == 4
    assert figures.centres_open(untop, day, kind="resource").value == 1
    assert figures.centres_open(untop, day, kind="documentation").value == 1
    assert figures.activity_count(untop, seed_year(type=type_id("assessment-mission"))
                                  ).value == 1
    assert figures.activity_count(untop, seed_year(type=type_id("recommendations"))).value == 2
    elections = Programme.objects.get(office=untop, code="elections")
    assert "free and non-violent" in elections.description


def test_figures_of_2004_2005(untop):
    clubs = next_year(type=type_id("discussion-club"))
    assert figures.participants(untop, clubs).value > 1000
    media = next_year(type=type_id("media-training"))
    assert figures.participants(untop, media).value >= 250
    training = type_id("training")
    poll = next_year(type=training, q="poll workers")
    assert figures.participants(untop, poll).value == 13000
    commissioners = next_year(type=training, q="district election commissioners")
    assert figures.participants(untop, commissioners).value == 300
    assert all("41" in a.description for a in Activity.objects.filter(
        office=untop, title__icontains="district election commissioners"))


def test_mandate_history(untop):
    periods = list(untop.periods.order_by("starts_on"))
    assert periods[0].starts_on == dt.date(2000, 6, 1)
    assert periods[-1].ends_on == dt.date(2007, 7, 31) == untop.closed_on
    for before, after in zip(periods, periods[1:], strict=False):
        assert before.ends_on == after.starts_on
    for period in periods:
        assert period.document_id or period.decided_by
        assert period.decision == "approved"
    seed = next(p for p in periods if p.starts_on == dt.date(2004, 6, 1))
    assert seed.document.symbol == "S/2004/331"
    assert seed.proposed_on == dt.date(2004, 4, 23) and seed.decided_on is None

    state = mandate_state(untop, dt.date(2004, 4, 23))
    assert state.current.ends_on == dt.date(2004, 6, 1)
    assert state.days_left == 39
    assert state.extension == seed
    assert dict((e.period.pk, e.status) for e in state.entries)[seed.pk] == "proposed"
    assert not state.warn
    assert untop.predecessor.code == "unmot"


def test_seed_document(untop):
    doc = Document.objects.get(symbol="S/2004/331")
    assert doc.dated_on == dt.date(2004, 4, 23) and doc.issued_on == dt.date(2004, 4, 29)
    assert doc.original_language == "en" and {"en", "zh"} <= set(doc.languages)
    assert doc.title.startswith("Letter dated 23 April 2004 from the Secretary-General")
    news = Document.objects.filter(office=untop, kind=Document.Kind.NEWS)
    assert news.count() == 6 and not news.exclude(symbol="").exists()


def test_every_record_says_where_it_comes_from(untop):
    checked = 0
    for model in apps.get_models():
        if not issubclass(model, Sourced):
            continue
        if model is Office:
            rows = Office.objects.filter(code__in=["untop", "unmot"])
        elif any(f.name == "office" for f in model._meta.fields):
            rows = model.objects.filter(office__code__in=["untop", "unmot"])
        elif any(f.name == "group" for f in model._meta.fields):
            rows = model.objects.filter(group__office=untop)
        else:
            continue
        for row in rows:
            checked += 1
            assert row.source_kind != "entered", row
            if row.source_kind == "public":
                assert row.source_note, row
            if row.source_kind == "invented":
                assert row.source_note, row
            if row.source_kind == "document":
                assert row.source_document_id, row
    assert checked > 100


def test_loading_twice_gives_the_same(untop):
    first = load_demo().counts
    second = load_demo()
    assert second.counts == first
    assert Office.objects.filter(code="untop").count() == 1
    flt = seed_year(type=type_id("discussion-club"))
    assert figures.activity_count(second.office, flt).value == 11


def test_demo_users(untop):
    from django.contrib.auth import authenticate

    roles = {"head": "head", "programme": "programme", "monitoring": "monitoring",
             "humanrights": "human_rights", "humanrights2": "human_rights",
             "viewer": "viewer", "admin": "head"}
    for username, role in roles.items():
        user = authenticate(username=username, password=PASSWORD)
        assert user is not None, username
        assert user.memberships.get(office=untop).role == role, username
    admin = authenticate(username="admin", password=PASSWORD)
    assert admin.is_staff and admin.is_superuser
    programme = authenticate(username="programme", password=PASSWORD)
    codes = set(programme.memberships.get().programmes.values_list("code", flat=True))
    assert codes == {"dialogue", "democratic-institutions"}


def test_command_loads_without_serving():
    out = StringIO()
    call_command("demo", "--no-serve", stdout=out)
    text = out.getvalue()
    assert "http://127.0.0.1:8000/" in text
    assert PASSWORD in text and "humanrights" in text
    # How the demo human-rights officer signs in with two factors.
    assert DEMO_TOTP_SECRET in text and "otpauth://totp/" in text
    assert DEMO_RECOVERY_CODE in text
    # And the second human-rights officer, of the other case team.
    assert DEMO_TOTP_SECRET_2 in text and DEMO_RECOVERY_CODE_2 in text
    assert "peacebuild demo_code humanrights2" in text
    for user in ("humanrights", "humanrights2"):
        code = StringIO()
        call_command("demo_code", user, stdout=code, stderr=StringIO())
        device = TOTPDevice.objects.get(user__username=user)
        assert device.verify_token(code.getvalue().strip()), user
    with pytest.raises(CommandError, match="not a demo user"):
        call_command("demo_code", "viewer", stdout=StringIO(), stderr=StringIO())
    assert "Database:" in text
    assert Office.objects.filter(code="untop").exists()

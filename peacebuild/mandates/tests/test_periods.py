import datetime as dt

import pytest
from django.core.exceptions import ValidationError

from peacebuild.accounts.models import AuditEntry
from peacebuild.accounts.permissions import SYSTEM
from peacebuild.mandates.models import Document, MandatePeriod
from peacebuild.mandates.queries import mandate_state
from peacebuild.mandates.services import document_save, period_save

D = dt.date


def period(office, start, end, **kw) -> MandatePeriod:
    kw.setdefault("decision", MandatePeriod.Decision.APPROVED)
    return period_save(actor=SYSTEM, period=MandatePeriod(office=office, starts_on=start,
                                                        ends_on=end, **kw))


@pytest.fixture
def history(office):
    period(office, D(2000, 6, 1), D(2001, 6, 1))
    period(office, D(2001, 6, 1), D(2002, 6, 1))
    letter = document_save(actor=SYSTEM, document=Document(
        office=office, symbol="S/2004/331", title="Letter", dated_on=D(2004, 4, 23),
        issued_on=D(2004, 4, 29)))
    period(office, D(2002, 6, 1), D(2003, 6, 1))
    period(office, D(2003, 6, 1), D(2004, 6, 1))
    period(office, D(2004, 6, 1), D(2005, 6, 1), proposed_on=D(2004, 4, 23), document=letter)
    return letter


def test_as_of_letter_date_shows_39_days_and_the_proposed_extension(office, history):
    state = mandate_state(office, D(2004, 4, 23))
    assert state.current.ends_on == D(2004, 6, 1)
    assert state.days_left == 39
    assert state.extension.document == history
    assert state.extension_status == "proposed"
    assert not state.warn


def test_a_day_before_the_letter_the_extension_is_unknown_and_a_warning_shows(office, history):
    state = mandate_state(office, D(2004, 4, 22))
    assert state.extension is None
    assert state.days_left == 40
    assert state.warn
    assert [e.period.starts_on.year for e in state.entries] == [2000, 2001, 2002, 2003]


def test_after_the_start_the_extension_is_in_force(office, history):
    state = mandate_state(office, D(2004, 7, 1))
    assert state.current.ends_on == D(2005, 6, 1)
    assert [e.status for e in state.entries] == ["ended"] * 4 + ["in_force"]


def test_no_warning_with_more_than_60_days_left(office, history):
    assert not mandate_state(office, D(2004, 3, 1)).warn


def test_overlapping_period_is_refused_and_nothing_saved(office, history):
    count = MandatePeriod.objects.count()
    with pytest.raises(ValidationError) as err:
        period(office, D(2003, 1, 1), D(2003, 12, 31))
    assert "overlaps" in str(err.value)
    assert MandatePeriod.objects.count() == count


def test_periods_of_other_offices_do_not_clash(office, other_office, history):
    saved = period(other_office, D(2003, 1, 1), D(2003, 12, 31))
    assert list(MandatePeriod.objects.filter(office=other_office)) == [saved]
    assert mandate_state(other_office, D(2003, 7, 1)).current == saved


def test_end_before_start_is_refused(office):
    with pytest.raises(ValidationError) as err:
        period(office, D(2003, 6, 1), D(2003, 1, 1))
    assert "ends_on" in err.value.message_dict


def test_period_before_the_office_existed_is_refused(office):
    with pytest.raises(ValidationError) as err:
        period(office, D(1999, 6, 1), D(2000, 6, 1))
    assert "established" in str(err.value)


def test_date_far_outside_any_plausible_range_is_refused(office):
    with pytest.raises(ValidationError) as err:
        period(office, D(2000, 6, 1), D(2999, 1, 1))
    assert list(err.value.message_dict) == ["ends_on"]
    assert not MandatePeriod.objects.exists()


@pytest.mark.parametrize("symbol", ["S/2004/331", "S/RES/1274 (1999)", "SC/6417", "A/58/1"])
def test_valid_symbols(office, symbol):
    document_save(actor=SYSTEM, document=Document(office=office, symbol=symbol, title="x"))
    assert Document.objects.get(office=office).symbol == symbol


@pytest.mark.parametrize("symbol", ["s/2004/331", "S 2004 331", "<script>", "S//1", "2004/331"])
def test_malformed_symbol_is_refused(office, symbol):
    with pytest.raises(ValidationError) as err:
        document_save(actor=SYSTEM, document=Document(office=office, symbol=symbol, title="x"))
    assert "symbol" in err.value.message_dict
    assert not Document.objects.exists()


def test_issued_before_dated_is_refused(office):
    with pytest.raises(ValidationError) as err:
        document_save(actor=SYSTEM, document=Document(
            office=office, title="x", dated_on=D(2004, 4, 23), issued_on=D(2004, 4, 1)))
    assert err.value.message_dict == {"issued_on": ["A document cannot be issued before its date."]}
    assert not Document.objects.exists()


def test_writes_are_audited_with_before_and_after(office, users):
    doc = document_save(actor=users["head"], document=Document(office=office, title="Draft"))
    doc.title = "Final"
    document_save(actor=users["head"], document=doc)
    entries = list(AuditEntry.objects.filter(model="mandates.Document").order_by("id"))
    assert [e.action for e in entries] == ["create", "update"]
    assert entries[1].actor == users["head"]
    assert ("title", "Draft", "Final") in entries[1].changes

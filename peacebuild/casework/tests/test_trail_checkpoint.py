"""The trail page verifies the chain from the last checkpoint, not from its first entry;
a checkpoint is an entry of the chain itself, so it cannot be edited, removed or forged
past without the check failing; and the full check (the command, the page's *Verify the
whole trail*) still finds what was done before the checkpoint."""

import json

import pytest
from django.core.management import CommandError, call_command
from django.urls import reverse

from peacebuild.casework import queries
from peacebuild.casework.models import TrailEntry
from peacebuild.casework.queries import CHECKPOINT_TARGET, verify_trail
from peacebuild.casework.services import record

from .test_trail import tamper


def _entries(office, user, n, start=0):
    for i in range(start, start + n):
        record(actor=user, office=office, action="read", target=f"event:{i}",
               detail={"fields": ["name"]})


@pytest.fixture
def checkpointed(db, office, users, capsys):
    """Ten entries, a checkpoint after them (by the command), five more."""
    _entries(office, users["head"], 10)
    call_command("verify_case_trail")
    assert "Checkpoint #" in capsys.readouterr().out
    _entries(office, users["head"], 5, start=10)
    return list(TrailEntry.objects.order_by("id"))


def test_a_check_from_the_checkpoint_reads_only_what_follows_it(checkpointed):
    checkpoint = TrailEntry.objects.get(target=CHECKPOINT_TARGET)
    assert checkpoint.detail["through"] == checkpointed[9].pk
    assert checkpoint.detail["head"] == checkpointed[9].digest
    check = verify_trail(from_checkpoint=True)
    full = verify_trail()
    assert check.whole and full.whole
    assert check.entries == full.entries == 16  # ten, the checkpoint, five
    assert check.head == full.head
    assert check.walked == 6 and full.walked == 16
    assert check.since == checkpointed[9].pk and full.since is None


def test_tampering_before_the_checkpoint_is_found_by_the_full_check(checkpointed):
    tamper("UPDATE casework_trailentry SET target = %s WHERE id = %s",
           ["event:99", checkpointed[3].pk])
    assert verify_trail(from_checkpoint=True).whole  # vouched for by the checkpoint
    full = verify_trail()
    assert full.broken_at == checkpointed[3].pk and full.kind == "altered"
    with pytest.raises(CommandError, match=f"broken at entry #{checkpointed[3].pk}"):
        call_command("verify_case_trail")
    assert TrailEntry.objects.filter(target=CHECKPOINT_TARGET).count() == 1  # none added


def test_tampering_after_the_checkpoint_is_found_from_it(checkpointed):
    tamper("UPDATE casework_trailentry SET target = %s WHERE id = %s",
           ["event:99", checkpointed[13].pk])
    check = verify_trail(from_checkpoint=True)
    assert check.broken_at == checkpointed[13].pk and check.kind == "altered"


def test_an_edited_checkpoint_is_found(checkpointed):
    """Moving the checkpoint forward (to skip entries) changes its content: it breaks."""
    checkpoint = TrailEntry.objects.get(target=CHECKPOINT_TARGET)
    forged = dict(checkpoint.detail, through=checkpointed[-1].pk, head=checkpointed[-1].digest)
    tamper("UPDATE casework_trailentry SET detail = %s WHERE id = %s",
           [json.dumps(forged), checkpoint.pk])
    check = verify_trail(from_checkpoint=True)
    assert check.broken_at == checkpoint.pk and check.kind == "altered"


def test_a_removed_checkpoint_is_found(checkpointed):
    checkpoint = TrailEntry.objects.get(target=CHECKPOINT_TARGET)
    tamper("DELETE FROM casework_trailentry WHERE id = %s", [checkpoint.pk])
    check = verify_trail(from_checkpoint=True)  # no checkpoint left: from the first entry
    assert check.full and check.broken_at == checkpointed[11].pk
    assert check.kind == "out_of_order"


def test_the_page_verifies_from_the_checkpoint_and_a_head_asks_for_the_whole_check(
        checkpointed, client_for, monkeypatch):
    monkeypatch.setattr(queries, "CHECKPOINT_EVERY", 1_000)
    tamper("UPDATE casework_trailentry SET target = %s WHERE id = %s",
           ["event:99", checkpointed[3].pk])
    head = client_for("head")
    page = head.get(reverse("casework:trail"))
    body = page.content.decode()
    assert page.context["check"].whole and "since the checkpoint of" in body
    assert "Verify the whole trail" in body
    whole = head.post(reverse("casework:trail"))
    assert whole.status_code == 200
    body = whole.content.decode()
    assert "The trail does not verify." in body
    assert f"Entry #{checkpointed[3].pk} was altered after it was written." in body
    asked = TrailEntry.objects.filter(target="trail").order_by("-id").first()
    assert asked.detail.get("verified") == "whole"  # the full check is recorded too


def test_the_page_records_a_checkpoint_every_so_many_entries(db, office, users, client_for,
                                                            monkeypatch):
    monkeypatch.setattr(queries, "CHECKPOINT_EVERY", 5)
    _entries(office, users["head"], 3)
    head = client_for("head")
    head.get(reverse("casework:trail"))
    assert not TrailEntry.objects.filter(target=CHECKPOINT_TARGET).exists()  # 4 read
    _entries(office, users["head"], 3)
    head.get(reverse("casework:trail"))
    checkpoint = TrailEntry.objects.get(target=CHECKPOINT_TARGET)
    assert checkpoint.office_id is None and checkpoint.username == "SYSTEM"
    head.get(reverse("casework:trail"))
    # The checkpoint, the two readings since: three entries walked.
    assert head.get(reverse("casework:trail")).context["check"].walked == 3
    # The whole check, asked for, is whole and records a checkpoint too.
    assert head.post(reverse("casework:trail")).context["check"].full
    assert TrailEntry.objects.filter(target=CHECKPOINT_TARGET).count() == 2


def test_a_checkpoint_is_not_shown_among_the_office_s_entries(checkpointed, client_for):
    rows = client_for("head").get(reverse("casework:trail")).context["rows"]
    assert all(r["e"].target != CHECKPOINT_TARGET for r in rows)


def test_the_command_can_verify_without_a_checkpoint(checkpointed, capsys):
    call_command("verify_case_trail", "--no-checkpoint")
    assert "holds: 16 entries" in capsys.readouterr().out
    assert TrailEntry.objects.filter(target=CHECKPOINT_TARGET).count() == 1

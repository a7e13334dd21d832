"""Writes of the casework ground: the trail (append one entry, chained to the last) and the
case keys (the key check of the current key, rotation of every sealed value)."""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Callable
from typing import Any

from django.apps import apps
from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.mail import send_mail
from django.core.serializers.json import DjangoJSONEncoder
from django.db import connection, models, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from peacebuild.accounts.permissions import SYSTEM, Actor, check_actor, user_of
from peacebuild.accounts.roles import Can
from peacebuild.mandates.models import Office
from peacebuild.places.models import Place

from . import attachments as files
from . import guard
from .crypto import KeyRing, key_id_of, keyring
from .fields import BlindIndexField, SealedTextField, blind_index_of, label_of
from .models import (
    GENESIS,
    Act,
    Attachment,
    BreakGlass,
    CaseExport,
    CaseTeam,
    CaseTeamMember,
    Event,
    FollowUp,
    Information,
    Intervention,
    Involvement,
    KeyCheck,
    Person,
    Revision,
    TrailEntry,
)
from .permissions import (
    case_officer,
    check_case_writer,
    may_write,
    team_membership,
    visible_events,
)
from .queries import CHECK_LABEL, CHECK_TEXT, CHECKPOINT_TARGET, TrailCheck

TRAIL_LOCK = 7_261_530_001  # PostgreSQL advisory lock: one writer appends at a time

Progress = Callable[[int, int, str], None]


def record(*, actor: Actor, office: Office | None, action: str, target: str = "",
           purpose: str = "", address: str = "", detail: dict[str, Any] | None = None
           ) -> TrailEntry:
    """Append one entry to the trail, chained to the entry before it.

    `detail` names records and fields, never their identifying values, passwords or codes.
    """
    if actor is None:
        raise PermissionDenied("A trail entry needs an actor: the user, or SYSTEM.")
    user = None if actor is SYSTEM else actor
    with transaction.atomic():
        if connection.vendor == "postgresql":
            with connection.cursor() as cursor:
                cursor.execute("SELECT pg_advisory_xact_lock(%s)", [TRAIL_LOCK])
        # On SQLite the transaction began IMMEDIATE (settings): writers are already serial.
        previous = TrailEntry.objects.order_by("-id").values_list("digest", flat=True).first()
        entry = TrailEntry(
            at=timezone.now(), user_id=getattr(user, "pk", None),
            username=str(getattr(user, "username", "SYSTEM"))[:150],
            office_id=office.pk if office is not None else None, action=action,
            target=target[:100], purpose=purpose[:500], address=address[:45],
            detail=detail or {}, previous=previous or GENESIS)
        entry.digest = entry.computed_digest()
        entry.save(force_insert=True)
    return entry


def trail_checkpoint(check: TrailCheck) -> TrailEntry | None:
    """Append a checkpoint after a check found the chain whole: the last entry it verified,
    that entry's digest and the number of entries up to it. Later checks of the page start
    there (`queries.verify_trail(from_checkpoint=True)`). Nothing for a broken chain."""
    if not check.whole or not check.last_id:
        return None
    return record(actor=SYSTEM, office=None, action=TrailEntry.Action.CHECKPOINT,
                  target=CHECKPOINT_TARGET,
                  detail={"through": check.last_id, "head": check.head,
                          "entries": check.entries, "full": check.full})


def ensure_key_check(ring: KeyRing | None = None) -> None:
    """Seal the check text under the current key if the database has not seen that key."""
    ring = ring or keyring()
    if not KeyCheck.objects.filter(key_id=ring.current).exists():
        KeyCheck.objects.get_or_create(key_id=ring.current,
                                       defaults={"sealed": ring.seal(CHECK_TEXT, CHECK_LABEL)})


def sealed_models() -> list[tuple[type[models.Model], list[SealedTextField]]]:
    found = []
    for model in apps.get_models():
        fields = [f for f in model._meta.concrete_fields if isinstance(f, SealedTextField)]
        if fields:
            found.append((model, fields))
    return found


def rotate_keys(*, actor: Actor, batch: int = 500, reindex: bool = False,
                progress: Progress | None = None) -> dict[str, int]:
    """Re-seal under the current key every value sealed under another, in small committed
    batches so the server keeps running (old keys stay readable until this is done), and
    resumable (values already under the current key are left alone). With `reindex`, also
    recompute every blind index (after changing the index key).

    Only the command line rotates keys (`SYSTEM`)."""
    if actor is not SYSTEM:
        raise PermissionDenied("Case keys are rotated from the command line only.")
    ring = keyring()
    ensure_key_check(ring)
    counts = {"values": 0, "resealed": 0, "reindexed": 0, "files": 0}
    quote = connection.ops.quote_name
    for model, fields in sealed_models():
        table, pk = quote(model._meta.db_table), quote(model._meta.pk.column)
        columns = ", ".join(quote(f.column) for f in fields)
        total = model._default_manager.count()
        last: Any = None
        seen = 0
        while True:
            where, params = (f"WHERE {pk} > %s", [last]) if last is not None else ("", [])
            with connection.cursor() as cursor:
                cursor.execute(f"SELECT {pk}, {columns} FROM {table} {where} "
                               f"ORDER BY {pk} LIMIT %s", [*params, batch])
                rows = cursor.fetchall()
            if not rows:
                break
            # Revisions are append-only; re-sealing their snapshot is the one change allowed.
            with transaction.atomic(), guard.resealing(), connection.cursor() as cursor:
                for row in rows:
                    for field, value in zip(fields, row[1:], strict=True):
                        if not value:
                            continue
                        counts["values"] += 1
                        if key_id_of(value) == ring.current:
                            continue
                        label = label_of(model, field.name)
                        column = quote(field.column)
                        cursor.execute(
                            f"UPDATE {table} SET {column} = %s WHERE {pk} = %s AND {column} = %s",
                            [ring.seal(ring.open(value, label), label), row[0], value])
                        counts["resealed"] += cursor.rowcount
            last, seen = rows[-1][0], seen + len(rows)
            if progress is not None:
                progress(seen, total, model._meta.label)
    counts["files"] = rotate_files(ring, progress)
    if reindex:
        counts["reindexed"] = _reindex()
    record(actor=actor, office=None, action=TrailEntry.Action.KEYS, target="case keys",
           detail={"current": ring.current, **counts})
    return counts


def _reindex() -> int:
    done = 0
    for model in apps.get_models():
        indexes = [f for f in model._meta.concrete_fields if isinstance(f, BlindIndexField)]
        if not indexes:
            continue
        sources = [f.source for f in indexes]
        for obj in model._default_manager.only(*sources).iterator(chunk_size=500):
            values = {f.attname: (blind_index_of(model, f.source, getattr(obj, f.source))
                                  if getattr(obj, f.source) else "") for f in indexes}
            model._default_manager.filter(pk=obj.pk).update(**values)
            done += 1
    return done


# The case records. Every write: the actor checked against the case's team, the record
# validated whole, saved in one transaction with its trail entry (which names the fields
# that changed, never their values).

MIN_REASON = 20  # characters of a break-glass reason
GLASS_MINUTES = (5, 240)


def _changed_fields(obj: models.Model, stored: models.Model | None) -> list[str]:
    if stored is None:
        return []
    return [f.name for f in obj._meta.concrete_fields
            if not isinstance(f, BlindIndexField) and f.name not in ("created_at", "updated_at")
            and getattr(stored, f.attname) != getattr(obj, f.attname)]


def _save_case_record(actor: Actor, obj: models.Model, *, team: CaseTeam, office: Office,
                      event: Event | None) -> None:
    check_case_writer(actor, team)
    # The stored record, read once: its team (a move to another team needs the right in
    # both) and the fields this save changes.
    stored = (type(obj)._default_manager.filter(pk=obj.pk).first()
              if obj.pk is not None else None)
    stored_team = _team_of(stored) if stored is not None else None
    if stored_team is not None and stored_team.pk != team.pk:
        check_case_writer(actor, stored_team)
    obj.full_clean()
    created = obj.pk is None
    with transaction.atomic():
        changed = _changed_fields(obj, stored)
        if not created and not changed:
            return  # a save that changes nothing writes nothing
        obj.save()
        entry = record(actor=actor, office=office,
                       action=TrailEntry.Action.CREATE if created else TrailEntry.Action.CHANGE,
                       target=_target(obj, event),
                       detail={"fields": changed} if changed else {})
        if stored is not None:
            _keep_revision(entry, obj, stored, changed, office=office, event=event)


def _team_of(stored: models.Model) -> CaseTeam | None:
    if isinstance(stored, (Event, Person)):
        return stored.team
    stored_event = getattr(stored, "event", None)
    if stored_event is None and isinstance(stored, Involvement):
        stored_event = stored.act.event
    return stored_event.team if stored_event is not None else None


def _target(obj: models.Model, event: Event | None) -> str:
    name = obj._meta.model_name
    if event is not None and obj is not event:
        return f"event:{event.pk}/{name}:{obj.pk}"
    return f"{name}:{obj.pk}"


def _same_team(team: CaseTeam, *persons: Person | None) -> None:
    for person in persons:
        if person is not None and person.team_id != team.pk:
            raise ValidationError(_("A case can name only persons recorded by its own team."))


def team_save(*, actor: Actor, team: CaseTeam) -> CaseTeam:
    check_actor(actor, team.office, Can.MANAGE_CASE_TEAMS)
    team.full_clean()
    with transaction.atomic():
        created = team.pk is None
        team.save()
        record(actor=actor, office=team.office,
               action=TrailEntry.Action.CREATE if created else TrailEntry.Action.CHANGE,
               target=f"team:{team.pk}")
    return team


def team_member_save(*, actor: Actor, member: CaseTeamMember) -> CaseTeamMember:
    """Put a human-rights officer in a case team (or change what they may do there).
    Nobody changes their own case teams: a head of office who did would bypass
    break-glass."""
    office = member.team.office
    check_actor(actor, office, Can.MANAGE_CASE_TEAMS)
    if getattr(actor, "pk", None) is not None and actor.pk == member.user_id:
        raise PermissionDenied(_("Nobody changes their own case teams."))
    if not case_officer(member.user, office):
        raise ValidationError(_("Only the office's human-rights officers can belong to a "
                                "case team."))
    member.full_clean()
    with transaction.atomic():
        member.save()
        record(actor=actor, office=office, action=TrailEntry.Action.CHANGE,
               target=f"team:{member.team_id}",
               detail={"member": member.user_id, "can_write": member.can_write})
    return member


def team_member_delete(*, actor: Actor, member: CaseTeamMember) -> None:
    office = member.team.office
    check_actor(actor, office, Can.MANAGE_CASE_TEAMS)
    if getattr(actor, "pk", None) is not None and actor.pk == member.user_id:
        raise PermissionDenied(_("Nobody changes their own case teams."))
    with transaction.atomic():
        team_id, user_id = member.team_id, member.user_id
        member.delete()
        record(actor=actor, office=office, action=TrailEntry.Action.CHANGE,
               target=f"team:{team_id}", detail={"removed": user_id})


def event_save(*, actor: Actor, event: Event) -> Event:
    if event.team.office_id != event.office_id:
        raise ValidationError(_("The case team is another office's."))
    if event.region is not None and event.region.level != Place.Level.REGION:
        raise ValidationError(_("Give the region; the exact place goes in the text."))
    if event.pk is None:
        event.created_by = user_of(actor)
    _save_case_record(actor, event, team=event.team, office=event.office, event=event)
    return event


def person_save(*, actor: Actor, person: Person) -> Person:
    if person.team.office_id != person.office_id:
        raise ValidationError(_("The case team is another office's."))
    _save_case_record(actor, person, team=person.team, office=person.office, event=None)
    return person


def act_save(*, actor: Actor, act: Act) -> Act:
    _same_team(act.event.team, act.victim)
    _save_case_record(actor, act, team=act.event.team, office=act.event.office, event=act.event)
    return act


def involvement_save(*, actor: Actor, involvement: Involvement) -> Involvement:
    event = involvement.act.event
    _same_team(event.team, involvement.perpetrator)
    _save_case_record(actor, involvement, team=event.team, office=event.office, event=event)
    return involvement


def information_save(*, actor: Actor, information: Information) -> Information:
    event = information.event
    _same_team(event.team, information.source)
    _save_case_record(actor, information, team=event.team, office=event.office, event=event)
    return information


def intervention_save(*, actor: Actor, intervention: Intervention) -> Intervention:
    event = intervention.event
    if intervention.authority.office_id != event.office_id:
        raise ValidationError(_("That authority is not among the office's partners."))
    if intervention.pk is None and intervention.made_by is None:
        intervention.made_by = user_of(actor)
    if intervention.follow_up_due and intervention.follow_up_due < intervention.made_on:
        raise ValidationError(_("A follow-up cannot fall due before the intervention."))
    _save_case_record(actor, intervention, team=event.team, office=event.office, event=event)
    return intervention


def follow_up_save(*, actor: Actor, follow_up: FollowUp) -> FollowUp:
    event = follow_up.event
    if follow_up.intervention is not None and follow_up.intervention.event_id != event.pk:
        raise ValidationError(_("That intervention is another case's."))
    if team_membership(follow_up.assignee, event.team) is None:
        raise ValidationError(_("A follow-up is assigned to a member of the case's team."))
    _save_case_record(actor, follow_up, team=event.team, office=event.office, event=event)
    return follow_up


def record_read(*, actor: Actor, event: Event, address: str = "",
                what: str = "case") -> None:
    """A case was opened (its page, an export's item): one trail entry."""
    record(actor=actor, office=event.office, action=TrailEntry.Action.READ,
           target=f"event:{event.pk}", address=address, detail={"what": what})


def record_denied(*, actor: Actor, office: Office | None, target: str,
                  address: str = "") -> None:
    """An attempt on case data the user may not reach (shown to the head of office)."""
    record(actor=actor, office=office, action=TrailEntry.Action.DENIED, target=target[:100],
           address=address)


def break_glass_open(*, actor: Actor, event: Event, reason: str,
                     minutes: int = 60) -> BreakGlass:
    """A head of office opens one case outside their teams for a while, for a stated reason.
    The case team is told by e-mail (no case details in it), and the trail keeps the
    reason. The page asks for a fresh sign-in first."""
    check_actor(actor, event.office, Can.BREAK_GLASS)
    user = user_of(actor)
    if user is None:
        raise PermissionDenied("Break-glass access is a person's.")
    reason = " ".join(reason.split())
    if len(reason) < MIN_REASON:
        raise ValidationError(_("State the reason in a full sentence (at least %(n)d "
                                "characters): it is recorded and shown to the case team.")
                              % {"n": MIN_REASON})
    low, high = GLASS_MINUTES
    if not low <= minutes <= high:
        raise ValidationError(_("Access lasts from %(low)d to %(high)d minutes.")
                              % {"low": low, "high": high})
    now = timezone.now()
    with transaction.atomic():
        grant = BreakGlass.objects.create(event=event, user=user, reason=reason[:2000],
                                          granted_at=now,
                                          expires_at=now + dt.timedelta(minutes=minutes))
        record(actor=actor, office=event.office, action=TrailEntry.Action.BREAK_GLASS,
               target=f"event:{event.pk}", purpose=reason[:500],
               detail={"minutes": minutes})
    recipients = [m.user.email for m in event.team.members.select_related("user")
                  if m.user.email]
    if recipients:
        send_mail(
            _("Break-glass access to case %(case)s") % {"case": event.pk},
            _("%(who)s opened case %(case)s of your team for %(minutes)d minutes. Reason "
              "given: %(reason)s") % {"who": user.get_username(), "case": event.pk,
                                      "minutes": minutes, "reason": reason},
            None, recipients, fail_silently=True)
    return grant


# Revisions (oversight): the previous version of every changed case record, kept with the
# change's trail entry in the same transaction.


def _revision_value(obj: models.Model, name: str) -> Any:
    field = obj._meta.get_field(name)
    value = getattr(obj, field.attname) if isinstance(field, models.Field) else None
    if isinstance(value, dt.date | dt.datetime):
        return value.isoformat()
    return value


def _keep_revision(entry: TrailEntry, obj: models.Model, stored: models.Model,
                   changed: list[str], *, office: Office, event: Event | None) -> Revision:
    """The changed fields' values before and after, sealed as one JSON text."""
    snapshot = {"before": {name: _revision_value(stored, name) for name in changed},
                "after": {name: _revision_value(obj, name) for name in changed}}
    return Revision.objects.create(
        at=entry.at, user_id=entry.user_id, username=entry.username, office_id=office.pk,
        event_id=event.pk if event is not None else None,
        record_type=str(obj._meta.model_name), record_id=obj.pk, fields=changed,
        snapshot=json.dumps(snapshot, cls=DjangoJSONEncoder, ensure_ascii=False,
                            sort_keys=True),
        trail_entry=entry)


# Attachments and exports (casework files). Every file's bytes are sealed with the case
# keys under CASE_FILES_DIR (`attachments.py`); the rows hold their names sealed.

EXPORT_MIN_PURPOSE = 10  # characters of an export's stated purpose


def attachment_add(*, actor: Actor, event: Event, name: str, content: bytes,
                   description: str = "", information: Information | None = None
                   ) -> Attachment:
    """Attach a document to a case (or to one of its information records). Its kind is
    read from its content; anything but PDF, JPEG, PNG, DOCX, ODT or plain text, or a file
    over the size limit, is refused with a message and nothing is saved."""
    check_case_writer(actor, event.team)
    if information is not None and information.event_id != event.pk:
        raise ValidationError(_("That information record is another case's."))
    limit = settings.CASE_ATTACHMENT_MAX_BYTES
    if len(content) > limit:
        raise ValidationError(files.too_large(limit))
    try:
        kind = files.detect(content)
        # A photograph loses its EXIF, XMP, IPTC and text chunks (a witness's position, the
        # device, the time) before anything is written; only the clean bytes are kept.
        content, _removed = files.without_metadata(content, kind)
    except files.Refused as refused:
        raise ValidationError(str(refused)) from refused
    name = _clean_file_name(name, kind)
    stored_as, key_id = files.store_attachment(content)
    try:
        with transaction.atomic():
            attachment = Attachment(event=event, information=information, name=name,
                                    description=description.strip(), kind=kind.code,
                                    size=len(content), stored_as=stored_as, key_id=key_id,
                                    metadata_removed=kind.code in files.PHOTOS,
                                    uploaded_by=user_of(actor))
            attachment.full_clean()
            attachment.save()
            record(actor=actor, office=event.office, action=TrailEntry.Action.CREATE,
                   target=f"event:{event.pk}/attachment:{attachment.pk}",
                   detail={"kind": kind.code, "size": len(content)})
    except BaseException:
        files.attachment_path(stored_as).unlink(missing_ok=True)  # no file without its row
        raise
    return attachment


def _clean_file_name(name: str, kind: files.Kind) -> str:
    """The name without any folder, control or bidi-override characters, at most 200
    characters, ending with the extension of what the file is."""
    name = name.replace("\\", "/").rsplit("/", 1)[-1]
    name = "".join(c for c in name if c.isprintable() and c not in "\u202a\u202b\u202c"
                   "\u202d\u202e\u2066\u2067\u2068\u2069").strip(" .") or "file"
    stem, dot, extension = name.rpartition(".")
    if not dot or extension.lower() not in {kind.extension, "jpeg", "text"}:
        stem = name
    return f"{stem[:190]}.{kind.extension}"


def attachment_read(*, actor: Actor, attachment: Attachment, address: str = "") -> bytes:
    """The attachment's bytes, for someone who may open its case; one trail entry."""
    event = attachment.event
    if not visible_events(actor, event.office).filter(pk=event.pk).exists():
        raise PermissionDenied("Only those who may open the case read its attachments.")
    content = files.read_attachment(attachment.stored_as)
    record(actor=actor, office=event.office, action=TrailEntry.Action.READ,
           target=f"event:{event.pk}/attachment:{attachment.pk}", address=address,
           detail={"what": "attachment"})
    return content


def attachment_delete(*, actor: Actor, attachment: Attachment, address: str = "") -> None:
    """Delete an attachment, for a member of its case's team who may change its cases: the
    row goes, with a revision that keeps its name and description (sealed) for the case's
    history and a trail entry, in one transaction; the sealed file is removed once that
    has committed (a failed deletion leaves the file with its row)."""
    event = attachment.event
    check_case_writer(actor, event.team)
    office = event.office
    before = {"name": attachment.name, "description": attachment.description,
              "kind": attachment.kind, "size": attachment.size,
              "information": attachment.information_id}
    stored_as, pk = attachment.stored_as, attachment.pk
    with transaction.atomic():
        entry = record(actor=actor, office=office, action=TrailEntry.Action.DELETE,
                       target=f"event:{event.pk}/attachment:{pk}", address=address,
                       detail={"kind": attachment.kind})
        Revision.objects.create(
            at=entry.at, user_id=entry.user_id, username=entry.username, office_id=office.pk,
            event_id=event.pk, record_type="attachment", record_id=pk, fields=list(before),
            snapshot=json.dumps({"before": before, "after": {}, "deleted": True},
                                cls=DjangoJSONEncoder, ensure_ascii=False, sort_keys=True),
            trail_entry=entry)
        attachment.delete()
        transaction.on_commit(lambda: files.attachment_path(stored_as).unlink(missing_ok=True))


def strip_photo_metadata(*, actor: Actor) -> int:
    """Remove the metadata of the photographs attached before uploads lost it: each JPEG
    and PNG attachment not yet marked is opened, stripped as an upload is, sealed again
    under the same storage name and marked, with a trail entry naming the record (never
    what was removed). Resumable: marked photographs are skipped. The number changed."""
    if actor is not SYSTEM:
        raise PermissionDenied("Only the system strips existing photographs.")
    changed = 0
    pending = (Attachment.objects.filter(kind__in=files.PHOTOS, metadata_removed=False)
               .select_related("event__office").order_by("pk"))
    for attachment in pending:
        kind = files.KINDS[attachment.kind]
        try:
            content, removed = files.without_metadata(
                files.read_attachment(attachment.stored_as), kind)
        except files.Refused:
            continue  # a picture that does not open is left as it was
        with transaction.atomic():
            if removed:
                files.write_atomic(files.attachment_path(attachment.stored_as),
                                   files.seal(content, attachment.stored_as))
                record(actor=actor, office=attachment.event.office,
                       action=TrailEntry.Action.CHANGE,
                       target=f"event:{attachment.event_id}/attachment:{attachment.pk}",
                       detail={"fields": ["metadata_removed"]})
                changed += 1
                Attachment.objects.filter(pk=attachment.pk).update(
                    size=len(content), key_id=keyring().current)
            Attachment.objects.filter(pk=attachment.pk).update(metadata_removed=True)
    return changed


def rotate_files(ring: KeyRing, progress: Progress | None = None) -> int:
    """Re-seal every attachment not under the current key (resumable: the file's header
    says which key it is under, so a file re-sealed before its row was updated is skipped)."""
    done = 0
    pending = Attachment.objects.exclude(key_id=ring.current).order_by("pk")
    total = pending.count()
    for seen, (pk, stored_as) in enumerate(pending.values_list("pk", "stored_as"), start=1):
        if files.reseal_attachment(stored_as, ring):
            done += 1
        Attachment.objects.filter(pk=pk).update(key_id=ring.current)
        if progress is not None:
            progress(seen, total, "casework.Attachment files")
    return done


def export_make(*, actor: Actor, office: Office, event_ids: list[int], purpose: str,
                format: str = CaseExport.Format.XLSX, with_attachments: bool = False,
                address: str = "") -> tuple[CaseExport, str]:
    """An encrypted archive of the given cases for their team's writer, and the passphrase
    that opens it (shown once; Peacebuild keeps only the archive). Access to every case is
    checked now, as the file is made: one case the actor may not export (or that does not
    exist) refuses the whole export and makes nothing."""
    check_actor(actor, office, Can.EXPORT_CASES)
    user = user_of(actor)
    if user is None:
        raise PermissionDenied("An export is a person's.")
    purpose = " ".join(purpose.split())
    if len(purpose) < EXPORT_MIN_PURPOSE:
        raise ValidationError(_("State what the export is for (at least %(n)d characters): "
                                "it is recorded.") % {"n": EXPORT_MIN_PURPOSE})
    ids = sorted(set(event_ids))
    if not ids:
        raise ValidationError(_("Choose at least one case to export."))
    events = {e.pk: e for e in visible_events(user, office).filter(pk__in=ids)
              .select_related("team", "region")}
    refused = [pk for pk in ids if pk not in events or not may_write(user, events[pk].team)]
    if refused:
        raise PermissionDenied(
            _("You may not export case %(ids)s: only the cases of your teams that you may "
              "change can be exported. Nothing was exported.")
            % {"ids": ", ".join(str(pk) for pk in refused)})
    from .exports import build_archive, new_passphrase

    passphrase = new_passphrase()
    ordered = [events[pk] for pk in ids]
    data = build_archive(ordered, passphrase, format=format, with_attachments=with_attachments)
    stored_as = files.new_name()
    now = timezone.now()
    files.write_atomic(files.export_path(stored_as), data)
    try:
        with transaction.atomic():
            export = CaseExport.objects.create(
                office=office, requested_by=user, event_ids=ids, purpose=purpose,
                format=format, with_attachments=with_attachments, stored_as=stored_as,
                size=len(data), created_at=now,
                expires_at=now + dt.timedelta(hours=settings.CASE_EXPORT_HOURS))
            for event in ordered:
                record_read(actor=actor, event=event, address=address, what="export")
            record(actor=actor, office=office, action=TrailEntry.Action.EXPORT,
                   target=f"export:{export.pk}", purpose=purpose[:500], address=address,
                   detail={"cases": ids, "format": format, "attachments": with_attachments})
    except BaseException:
        files.export_path(stored_as).unlink(missing_ok=True)
        raise
    return export, passphrase


def export_open(*, actor: Actor, export: CaseExport, address: str = "") -> bytes:
    """The archive, for its requester only, before it expires, while they may still
    export every case in it; each download is recorded."""
    user = user_of(actor)
    if user is None or export.requested_by_id != user.pk or export.expires_at <= timezone.now():
        raise PermissionDenied("Only its requester downloads an export, until it expires.")
    teams = {e.team for e in visible_events(user, export.office)
             .filter(pk__in=export.event_ids).select_related("team")}
    seen = visible_events(user, export.office).filter(pk__in=export.event_ids).count()
    if seen != len(export.event_ids) or not all(may_write(user, t) for t in teams):
        raise PermissionDenied("The requester may no longer export every case in it.")
    data = files.export_path(export.stored_as).read_bytes()
    record(actor=actor, office=export.office, action=TrailEntry.Action.EXPORT,
           target=f"export:{export.pk}", address=address, detail={"downloaded": True})
    return data


def purge_case_files(*, actor: Actor, now: dt.datetime | None = None) -> dict[str, int]:
    """Delete the expired exports (archive and row) and attachment files left without a
    record (their case was deleted). The command line runs this (`purge_case_files`)."""
    if actor is not SYSTEM:
        raise PermissionDenied("Case files are purged from the command line only.")
    now = now or timezone.now()
    counts = {"exports": 0, "orphans": 0}
    for export in CaseExport.objects.filter(expires_at__lte=now):
        with transaction.atomic():
            pk, office = export.pk, export.office
            export.delete()
            record(actor=actor, office=office, action=TrailEntry.Action.DELETE,
                   target=f"export:{pk}", detail={"expired": True})
        files.export_path(export.stored_as).unlink(missing_ok=True)
        counts["exports"] += 1
    known = set(CaseExport.objects.values_list("stored_as", flat=True))
    exports_dir = files.files_dir("exports")
    if exports_dir.is_dir():
        for path in exports_dir.iterdir():
            if path.is_file() and path.name not in known and not path.name.startswith("."):
                path.unlink(missing_ok=True)
    stored = set(Attachment.objects.values_list("stored_as", flat=True))
    attachments_dir = files.files_dir("attachments")
    if attachments_dir.is_dir():
        for path in attachments_dir.glob("*/*"):
            if path.is_file() and path.name not in stored and not path.name.startswith("."):
                path.unlink(missing_ok=True)
                counts["orphans"] += 1
    return counts

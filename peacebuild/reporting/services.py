"""Writes for reports: validated, atomic, audited. An issued report never changes: every
write checks the state first, and that the actor may make it in the report's office, whoever
calls it (page, command, admin)."""

import datetime as dt
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from peacebuild.accounts.audit import check_version, save_audited, snapshot
from peacebuild.accounts.permissions import Actor, check_actor, user_of
from peacebuild.accounts.roles import Can
from peacebuild.lib.unformat import LANGUAGES
from peacebuild.mandates.models import Office, validate_symbol
from peacebuild.programmes.models import Programme

from .catalogue import Cache
from .content import build_content, period_of
from .models import IssuedVersion, RenderJob, Report, Section
from .texts import draft_sections
from .workflow import EDIT_CAPABILITY, EDITABLE, TRANSITIONS


def _check_editable(report: Report) -> None:
    if report.status not in EDITABLE:
        raise ValidationError(_("This report is %(status)s: only drafts can change. A head of "
                                "office can return an approved report to draft; an issued "
                                "report never changes.") % {"status": report.get_status_display()})


def report_errors(report: Report, cache: Cache | None = None) -> list[dict[str, str]]:
    """Placeholders that cannot be stated, in every language: these block approval."""
    cache = cache or Cache(period_of(report))
    sections = list(report.sections.select_related("programme"))
    out = []
    for language in LANGUAGES:
        for error in build_content(report, sections, language, cache)["errors"]:
            out.append({**error, "language": language})
    return out


@transaction.atomic
def report_create(*, actor: Actor, office: Office, kind: str, period_start: dt.date,
                  period_end: dt.date, language: str = "en", dated_on: dt.date | None = None,
                  signatory: str = "", signatory_names: dict[str, str] | None = None
                  ) -> Report:
    """A new draft whose sections hold the standard texts that fit the period's records."""
    check_actor(actor, office, EDIT_CAPABILITY)
    report = Report(office=office, kind=kind, period_start=period_start,
                    period_end=period_end, language=language, dated_on=dated_on,
                    signatory=signatory, signatory_names=signatory_names or {})
    report.full_clean()
    if period_end < period_start:
        raise ValidationError({"period_end": _("The period ends before it starts.")})
    save_audited(actor=actor, instance=report, before=None)
    programmes = {p.code: p for p in Programme.objects.filter(office=office)}
    drafted = draft_sections(kind, Cache(period_of(report)))
    # The standard texts know some programmes by code; the office's others get a section
    # of their own to write in, before the closing.
    known = {key for key, _texts in drafted}
    closing = next((i for i, (key, _t) in enumerate(drafted) if key == "closing"), len(drafted))
    drafted[closing:closing] = [(code, dict.fromkeys(LANGUAGES, "")) for code in programmes
                                if code not in known]
    for position, (key, texts) in enumerate(drafted):
        if key not in ("opening", "closing") and key not in programmes:
            continue  # the office has no such programme
        save_audited(actor=actor, before=None, instance=Section(
            report=report, position=position, key=key, programme=programmes.get(key),
            texts=texts))
    return report


@transaction.atomic
def report_update(*, actor: Actor, report: Report, version: str | None = None,
                  **fields: Any) -> Report:
    """Change the date, signatory or period of a draft."""
    report = Report.objects.select_for_update().get(pk=report.pk)
    check_actor(actor, report.office, EDIT_CAPABILITY)
    _check_editable(report)
    before = snapshot(report)
    check_version(before, version)
    allowed = {"dated_on", "signatory", "signatory_names", "period_start", "period_end",
               "language"}
    for name, value in fields.items():
        if name not in allowed:
            raise ValidationError({name: _("This field cannot be changed here.")})
        setattr(report, name, value)
    save_audited(actor=actor, instance=report, before=before)
    return report


@transaction.atomic
def section_update(*, actor: Actor, section: Section, language: str, text: str,
                   version: str | None = None) -> Section:
    """Change one language's text of a draft's section."""
    if language not in LANGUAGES:
        raise ValidationError({"language": _("Unknown language.")})
    report = Report.objects.select_for_update().get(pk=section.report_id)
    check_actor(actor, report.office, EDIT_CAPABILITY)
    _check_editable(report)
    section = Section.objects.get(pk=section.pk)
    before = snapshot(section)
    # Translators may edit other languages of the section meanwhile: only this one counts.
    check_version(section_state(section, language), version)
    text = text.replace("\r\n", "\n").strip()
    if (section.texts or {}).get(language, "") == text:
        return section  # unchanged: no write, no audit entry, no "edited" mark
    section.texts = {**(section.texts or {}), language: text}
    section.edited = {**(section.edited or {}), language: timezone.now().isoformat()}
    save_audited(actor=actor, instance=section, before=before)
    Report.objects.filter(pk=report.pk).update(updated_at=timezone.now())
    return section


def section_state(section: Section, language: str) -> dict[str, Any]:
    """What an edit of one language of a section is made against: its version."""
    return {"id": section.pk, "language": language,
            "text": (section.texts or {}).get(language, "")}


def _transition(actor: Actor, report: Report, action: str) -> tuple[Report, dict[str, Any]]:
    report = Report.objects.select_for_update().get(pk=report.pk)
    step = TRANSITIONS[action]
    check_actor(actor, report.office, step.capability)
    if report.status != step.source:
        raise ValidationError(_("This step is not possible while the report is %(status)s.")
                              % {"status": report.get_status_display()})
    return report, snapshot(report)


@transaction.atomic
def report_approve(*, actor: Actor, report: Report) -> Report:
    report, before = _transition(actor, report, "approve")
    errors = report_errors(report)
    if errors:
        first = errors[0]
        raise ValidationError(_("%(count)s figure(s) cannot be stated, e.g. %(source)s in "
                                "the %(language)s text: %(error)s Correct them before "
                                "approving.") % {"count": len(errors), **first})
    report.status = Report.Status.APPROVED
    report.approved_by = user_of(actor)
    report.approved_at = timezone.now()
    save_audited(actor=actor, instance=report, before=before)
    return report


@transaction.atomic
def report_reopen(*, actor: Actor, report: Report) -> Report:
    report, before = _transition(actor, report, "reopen")
    report.status = Report.Status.DRAFT
    report.approved_by, report.approved_at = None, None
    save_audited(actor=actor, instance=report, before=before)
    return report


@transaction.atomic
def report_issue(*, actor: Actor, report: Report, symbol: str, issued_on: dt.date,
                 distribution: str = "General") -> IssuedVersion:
    """Freeze the approved report: its symbol, date, distribution, original language and
    the text of every language with the figures as they are today."""
    report, before = _transition(actor, report, "issue")
    symbol = (symbol or "").strip()
    errors: dict[str, list[str]] = {}
    try:
        validate_symbol(symbol)
    except ValidationError as error:
        errors["symbol"] = error.messages
    if IssuedVersion.objects.filter(symbol=symbol).exists():
        errors.setdefault("symbol", []).append(_("Another issued report has this symbol."))
    if report.dated_on and issued_on and issued_on < report.dated_on:
        errors.setdefault("issued_on", []).append(
            _("A document cannot be issued before its date (%(date)s).")
            % {"date": report.dated_on})
    if errors:
        raise ValidationError(errors)
    cache = Cache(period_of(report))
    if report_errors(report, cache):
        raise ValidationError(_("Since approval, some figures can no longer be stated; return "
                                "the report to draft and correct them."))
    version = IssuedVersion(report=report, office=report.office, symbol=symbol,
                            issued_on=issued_on, distribution=distribution or "General",
                            original_language=report.language, content={},
                            issued_by=user_of(actor))
    sections = list(report.sections.select_related("programme"))
    version.content = {lang: build_content(report, sections, lang, cache, issued=version)
                       for lang in LANGUAGES}
    save_audited(actor=actor, instance=version, before=None)
    report.status = Report.Status.ISSUED
    save_audited(actor=actor, instance=report, before=before)
    return version


def job_create(*, actor: Actor, report: Report, language: str, format: str,
               annex: bool = True) -> RenderJob:
    """Queue a rendering; the task backend runs it (at once with the immediate backend)."""
    from .tasks import render_job  # tasks import services' neighbours; avoid a cycle

    if language not in LANGUAGES:
        raise ValidationError({"language": _("Unknown language.")})
    if format not in RenderJob.Format.values:
        raise ValidationError({"format": _("Unknown format.")})
    check_actor(actor, report.office, Can.VIEW_RECORDS)
    job = RenderJob.objects.create(
        report=report, office=report.office, language=language, format=format, annex=annex,
        requested_by=user_of(actor))
    render_job.enqueue(job.pk)
    return job

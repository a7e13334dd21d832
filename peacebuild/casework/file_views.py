"""The attachment and export pages. A case's files are reached only through
`get_event_for_user` (a case one may not see is a 404, like one that does not exist); an
export only by its requester (anyone else's export id is a 404)."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django.conf import settings
from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.uploadhandler import FileUploadHandler, StopUpload
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.http import content_disposition_header
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.csrf import csrf_exempt, csrf_protect

from peacebuild.accounts.audit import client_address
from peacebuild.accounts.permissions import MemberRequest, office_view, reauth_required
from peacebuild.accounts.roles import Can

from . import attachments as files
from . import services
from .file_forms import AttachmentForm, ExportForm
from .models import Attachment, CaseExport, Event
from .permissions import get_event_for_user, may_write, visible_events


def _event(request: MemberRequest, pk: int, *, write: bool = False) -> Event:
    try:
        return get_event_for_user(request.user, request.office, pk, write=write)
    except Http404:
        services.record_denied(actor=request.user, office=request.office,
                               target=f"event:{pk}/files", address=client_address(request))
        raise


def _crumbs(event: Event, *more: tuple[str, str]) -> list[tuple[str, str]]:
    return [(_("Case %(pk)s") % {"pk": event.pk}, ""),
            (_("Files"), reverse("casework:files", args=[event.pk])), *more]


def _private(response: HttpResponse) -> HttpResponse:
    response["Cache-Control"] = "no-store"
    return response


@office_view(Can.VIEW_RECORDS)
def files_page(request: MemberRequest, pk: int) -> HttpResponse:
    event = _event(request, pk)
    services.record_read(actor=request.user, event=event, address=client_address(request),
                         what="files")
    attached = (Attachment.objects.filter(event=event)
                .select_related("uploaded_by", "information").order_by("uploaded_at", "pk"))
    return _private(render(request, "casework/files/list.html", {
        "event": event, "attachments": attached, "kinds": files.KINDS,
        "may_write": may_write(request.user, event.team),
        "crumbs": _crumbs(event)[:1] + [(_("Files"), "")]}))


class LimitedUpload(FileUploadHandler):
    """Stops reading an upload as soon as it passes the limit (the rest is not read)."""

    def __init__(self, limit: int, request: HttpRequest | None = None) -> None:
        super().__init__(request)
        self.limit, self.exceeded = limit, False

    def receive_data_chunk(self, raw_data: bytes, start: int) -> bytes:
        if start + len(raw_data) > self.limit:
            self.exceeded = True
            raise StopUpload(connection_reset=True)
        return raw_data

    def file_complete(self, file_size: int) -> None:
        return None


def _limited(view: Callable[..., HttpResponse]) -> Callable[..., HttpResponse]:
    """Put the size limit before Django reads the body (hence CSRF is checked after)."""

    protected = csrf_protect(view)

    @csrf_exempt
    def wrapped(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        limiter = LimitedUpload(settings.CASE_ATTACHMENT_MAX_BYTES, request)
        request.upload_handlers = [limiter, *request.upload_handlers]
        request.upload_limiter = limiter  # type: ignore[attr-defined]
        return protected(request, *args, **kwargs)

    return wrapped


@_limited
@office_view(Can.VIEW_RECORDS)
def file_add(request: MemberRequest, pk: int) -> HttpResponse:
    event = _event(request, pk, write=True)
    limit = settings.CASE_ATTACHMENT_MAX_BYTES
    if request.method == "POST":
        declared = request.META.get("CONTENT_LENGTH") or "0"
        if declared.isdigit() and int(declared) > limit + 100_000:
            # Said too large before the body is read: refused without reading it.
            return _form(request, event, _too_large(AttachmentForm({}, {}, event=event)))
        form = AttachmentForm(request.POST, request.FILES, event=event)
        limiter = getattr(request, "upload_limiter", None)
        if limiter is not None and limiter.exceeded:
            _too_large(form)
        elif form.is_valid():
            upload = form.cleaned_data["file"]
            try:
                attachment = services.attachment_add(
                    actor=request.user, event=event, name=upload.name,
                    content=files.read_limited(upload.chunks(), limit),
                    description=form.cleaned_data["description"],
                    information=form.cleaned_data["information"])
            except files.Refused as refused:
                form.add_error("file", str(refused))
            except ValidationError as error:
                form.add_error("file", error)
            else:
                if attachment.metadata_removed:
                    messages.success(request, _(
                        "The photograph's metadata (such as where and when it was taken and "
                        "with which device) was removed before it was saved."))
                return redirect("casework:files", event.pk)
    else:
        form = AttachmentForm(event=event)
    return _form(request, event, form)


def _too_large(form: AttachmentForm) -> AttachmentForm:
    form.is_valid()
    form.errors.pop("file", None)
    form.add_error("file", files.too_large(settings.CASE_ATTACHMENT_MAX_BYTES))
    return form


def _form(request: MemberRequest, event: Event, form: AttachmentForm) -> HttpResponse:
    return _private(render(request, "casework/files/add.html", {
        "event": event, "form": form, "crumbs": _crumbs(event, (_("Attach a file"), ""))},
        status=400 if form.errors else 200))


@office_view(Can.VIEW_RECORDS)
def file_download(request: MemberRequest, pk: int, file: int) -> HttpResponse:
    event = _event(request, pk)
    attachment = Attachment.objects.filter(event=event, pk=file).first()
    if attachment is None:
        raise Http404
    content = services.attachment_read(actor=request.user, attachment=attachment,
                                       address=client_address(request))
    return _file_response(content, files.KINDS[attachment.kind].content_type, attachment.name)


def _file_response(content: bytes, content_type: str, name: str) -> HttpResponse:
    response = HttpResponse(content, content_type=content_type)
    response["Content-Disposition"] = content_disposition_header(True, name) or "attachment"
    response["X-Content-Type-Options"] = "nosniff"
    # Opened by mistake in the browser, it runs nothing.
    response["Content-Security-Policy"] = "default-src 'none'; sandbox"
    return _private(response)


@office_view(Can.VIEW_RECORDS)
def file_delete(request: MemberRequest, pk: int, file: int) -> HttpResponse:
    """Confirm, then delete. For anyone but the team's writers (a read-only member too)
    the file is a 404 like one that does not exist: nothing tells them it is there."""
    event = _event(request, pk)
    attachment = (Attachment.objects.filter(event=event, pk=file)
                  .select_related("information").first())
    if attachment is None or not may_write(request.user, event.team):
        if attachment is not None:
            services.record_denied(actor=request.user, office=request.office,
                                   target=f"event:{pk}/attachment:{file}/delete",
                                   address=client_address(request))
        raise Http404
    if request.method == "POST":
        services.attachment_delete(actor=request.user, attachment=attachment,
                                   address=client_address(request))
        messages.success(request, _("The file was deleted. Its name and description stay in "
                                    "the case's history."))
        return redirect("casework:files", event.pk)
    return _private(render(request, "casework/files/delete.html", {
        "event": event, "attachment": attachment,
        "crumbs": _crumbs(event, (_("Delete a file"), ""))}))


# Exports


def _exportable(request: MemberRequest) -> list[Event]:
    return [e for e in visible_events(request.user, request.office).select_related("team")
            .order_by("-started_on", "-pk") if may_write(request.user, e.team)]


def _own_exports(request: MemberRequest) -> Any:
    return CaseExport.objects.filter(office=request.office, requested_by=request.user.pk,
                                     expires_at__gt=timezone.now())


@office_view(Can.EXPORT_CASES)
def exports_page(request: MemberRequest) -> HttpResponse:
    return _private(render(request, "casework/files/exports.html", {
        "exports": _own_exports(request).order_by("-created_at", "-pk"),
        "hours": settings.CASE_EXPORT_HOURS, "crumbs": [(_("Case exports"), "")]}))


@office_view(Can.EXPORT_CASES)
@reauth_required()
@never_cache
def export_new(request: MemberRequest) -> HttpResponse:
    events = _exportable(request)
    form = ExportForm(request.POST or None, events=events)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            export, passphrase = services.export_make(
                actor=request.user, office=request.office, event_ids=data["cases"],
                purpose=data["purpose"], format=data["format"],
                with_attachments=data["with_attachments"], address=client_address(request))
        except PermissionDenied as denied:
            services.record_denied(actor=request.user, office=request.office,
                                   target="export:" + ",".join(map(str, data["cases"]))[:90],
                                   address=client_address(request))
            form.add_error("cases", str(denied))
        except ValidationError as error:
            form.add_error(None, error)
        else:
            return _private(render(request, "casework/files/export_ready.html", {
                "export": export, "passphrase": passphrase,
                "crumbs": [(_("Case exports"), reverse("casework:exports")),
                           (_("Export ready"), "")]}))
    return _private(render(request, "casework/files/export_new.html", {
        "form": form, "events": events, "hours": settings.CASE_EXPORT_HOURS,
        "crumbs": [(_("Case exports"), reverse("casework:exports")), (_("New export"), "")]},
        status=400 if form.errors else 200))


@office_view(Can.VIEW_RECORDS)
def export_download(request: MemberRequest, pk: int) -> HttpResponse:
    """Anyone's export but one's own, expired or not, is a 404 like one that never was."""
    export = _own_exports(request).filter(pk=pk).first()
    if export is None:
        raise Http404
    try:
        data = services.export_open(actor=request.user, export=export,
                                    address=client_address(request))
    except (PermissionDenied, FileNotFoundError) as gone:
        raise Http404 from gone
    return _file_response(data, "application/zip",
                          f"{request.office.code}-cases-{export.pk}.zip")

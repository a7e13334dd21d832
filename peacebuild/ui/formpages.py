"""The one flow of every form page: show the form; on a valid POST call the service; on its
refusal show why; when someone else saved the record since the form was opened, say so,
show what differs and keep what was typed.

The form carries the version of the record as it was opened (`EDIT_VERSION`, the
fingerprint of its snapshot with child rows, see `accounts.audit.version_of`). The service
compares it with the stored record under a row lock; on a mismatch it raises `EditConflict`
and this flow re-renders the form with the person's input and the new version, so that a
second submit is their explicit say."""

import hashlib
import json
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from typing import Any

from django import forms
from django.contrib import messages
from django.core.exceptions import ValidationError
from django.db.models import Model
from django.http import HttpRequest, HttpResponse, QueryDict
from django.shortcuts import redirect, render
from django.utils import formats
from django.utils.translation import gettext as _

from peacebuild.accounts.audit import EditConflict, Snapshotter, snapshot, version_of

from .forms import apply_errors

EDIT_VERSION = "edit_version"
# Fingerprints of the values the form showed, field by field, so that a conflict can say
# which differences are someone else's. Only a display aid: the version decides.
EDIT_SHOWN = "edit_shown"

# make_form(data, files, instance) → the page's form, bound when data is not None.
FormMaker = Callable[[Any, Any, Any], forms.BaseForm]


@dataclass(frozen=True)
class Difference:
    label: str
    yours: str
    saved: str
    theirs: bool  # someone else changed it since the form was opened (else only you did)


def form_page(
    request: HttpRequest,
    *,
    make_form: FormMaker,
    instance: Model | None,
    save: Callable[[Any, str | None], Any],  # (the form, its version)
    done: str | Callable[[Any], str],
    success: str | Callable[[Any], str],
    template: str = "ui/form_page.html",
    context: dict[str, Any] | Callable[[Any], dict[str, Any]] | None = None,
    state: Snapshotter = snapshot,
) -> HttpResponse:
    """`save(form, version)` calls the service with the version the form was opened at
    (None on a create page, or from a client that sends none); `done` is where to go
    after saving (or a function of what `save` returned); `state` snapshots the record
    with its child rows, as the service does."""
    editing = instance is not None and instance.pk is not None
    post = request.method == "POST"
    form = make_form(_lf(request.POST) if post else None, request.FILES if post else None,
                     instance)
    conflict: list[Difference] | None = None
    if editing:
        form.initial[EDIT_SHOWN] = _fingerprints(form)
        form.initial[EDIT_VERSION] = version_of(state(instance))
        for name in (EDIT_VERSION, EDIT_SHOWN):
            form.fields[name] = forms.CharField(widget=forms.HiddenInput, required=False)
    if post and form.is_valid():
        version = form.cleaned_data.pop(EDIT_VERSION, None) or None
        form.cleaned_data.pop(EDIT_SHOWN, None)
        try:
            saved = save(form, version)
        except EditConflict as error:
            fresh = make_form(None, None, type(instance)._default_manager.get(pk=instance.pk))
            conflict = _differences(form, fresh)
            form.data = form.data.copy()
            form.data[EDIT_VERSION] = error.version
            form.data[EDIT_SHOWN] = _fingerprints(fresh)
        except ValidationError as error:
            # A form that knows its own layout (the attendance grid) places the messages.
            place = getattr(form, "add_service_errors", None)
            if place is not None:
                place(error)
            else:
                apply_errors(form, error)
        else:
            messages.success(request, success(form) if callable(success) else success)
            return redirect(done(saved) if callable(done) else done)
    extra = context(form) if callable(context) else (context or {})
    return render(request, template, {"form": form, "conflict": conflict, **extra})


def _lf(data: QueryDict) -> QueryDict:
    """Browsers send the line ends of a text area as CRLF; stored text has LF. Without this,
    an edit that changes nothing would rewrite every multi-line text."""
    data = data.copy()
    for key, values in data.lists():
        data.setlist(key, [v.replace("\r\n", "\n") for v in values])
    return data


def _stored_fields(form: forms.BaseForm) -> list[str]:
    skip = {EDIT_VERSION, EDIT_SHOWN, *getattr(form, "not_stored", ())}
    return [name for name in form.fields if name not in skip]


def _fingerprint(value: Any) -> str:
    if isinstance(value, list | tuple):
        value = sorted(str(v) for v in value)
    return hashlib.sha256(str(value).encode()).hexdigest()[:8]


def _fingerprints(form: forms.BaseForm) -> str:
    """name:fingerprint of each field's value as shown, for the fields that show one."""
    out = []
    for name in _stored_fields(form):
        field = form.fields[name]
        value = field.prepare_value(form.get_initial_for_field(field, name))
        if value not in (None, "", [], ()):
            out.append(f"{name}:{_fingerprint(value)}")
    return ",".join(out)


def _differences(form: forms.BaseForm, fresh: forms.BaseForm) -> list[Difference]:
    """Field by field: what the person submitted and what is stored now, where they differ,
    and whether the stored value is still the one their form showed."""
    shown_then = dict(item.split(":", 1) for item in
                      str(form.data.get(EDIT_SHOWN) or "").split(",") if ":" in item)
    rows = []
    for name in _stored_fields(form):
        if name not in fresh.fields:
            continue
        field = form.fields[name]
        saved = fresh.get_initial_for_field(fresh.fields[name], name)
        if field.has_changed(saved, form[name].data):
            now = field.prepare_value(saved)
            now_print = _fingerprint(now) if now not in (None, "", [], ()) else None
            rows.append(Difference(str(field.label or name),
                                   shown(field, form.cleaned_data.get(name)),
                                   shown(fresh.fields[name], saved),
                                   theirs=shown_then.get(name) != now_print))
    return rows


def _flat(choices: Iterable[Any]) -> dict[str, str]:
    out: dict[str, str] = {}
    for value, label in choices:
        if isinstance(label, list | tuple):
            out |= _flat(label)
        else:
            out[str(value)] = str(label)
    return out


def shown(field: forms.Field, value: Any) -> str:
    """A value as a person reads it: labels rather than codes, names rather than ids."""
    if value is None or value == "" or value == [] or value == ():
        return "—"
    if isinstance(field, forms.ModelMultipleChoiceField):
        objects = [v for v in value if isinstance(v, Model)] or list(
            field.queryset.filter(pk__in=[getattr(v, "pk", v) for v in value]))
        return ", ".join(sorted(str(o) for o in objects)) or "—"
    if isinstance(field, forms.ModelChoiceField):
        obj = value if isinstance(value, Model) else field.queryset.filter(pk=value).first()
        return str(obj) if obj is not None else "—"
    if isinstance(field, forms.MultipleChoiceField):
        labels = _flat(field.choices)
        return ", ".join(labels.get(str(v), str(v)) for v in value)
    if isinstance(field, forms.ChoiceField):
        return _flat(field.choices).get(str(value), str(value))
    if isinstance(field, forms.BooleanField):
        return _("yes") if value else _("no")
    if isinstance(value, dict | list):
        return json.dumps(value, ensure_ascii=False)
    if isinstance(field, forms.FileField):
        return str(getattr(value, "name", value))
    return str(formats.localize(value))

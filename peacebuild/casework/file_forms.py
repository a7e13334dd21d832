"""Forms of the attachment and export pages. They parse; the services decide (an id the
user may not export is refused by `services.export_make`, not by the form's choices)."""

from __future__ import annotations

from typing import Any

from django import forms
from django.conf import settings
from django.utils.html import escape, format_html
from django.utils.safestring import mark_safe
from django.utils.translation import gettext_lazy as _

from peacebuild.lib.ids import parse_id

from .models import CaseExport, Event, Information


class AttachmentForm(forms.Form):
    file = forms.FileField(label=_("File"), allow_empty_file=True, widget=forms.ClearableFileInput(
        attrs={"accept": ".pdf,.jpg,.jpeg,.png,.docx,.odt,.txt"}))
    description = forms.CharField(label=_("Description"), required=False, max_length=2000,
                                  widget=forms.Textarea(attrs={"rows": 3}))
    information = forms.TypedChoiceField(label=_("Attached to"), required=False,
                                         coerce=int, empty_value=None)

    def __init__(self, *args: Any, event: Event, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        mb = settings.CASE_ATTACHMENT_MAX_BYTES // 1_000_000
        self.fields["file"].help_text = _(
            "PDF, JPEG, PNG, DOCX, ODT or plain text, at most %(mb)s MB. The kind is read "
            "from the file itself, not from its name.") % {"mb": mb}
        self.records = {i.pk: i for i in Information.objects.filter(event=event)
                        .select_related("source").order_by("received_on", "pk")}
        choices: list[tuple[Any, Any]] = [("", _("the case itself"))] + [
            (pk, _("information received on %(date)s from %(source)s")
             % {"date": i.received_on.isoformat(), "source": i.source.name})
            for pk, i in self.records.items()]
        field = self.fields["information"]
        assert isinstance(field, forms.TypedChoiceField)
        field.choices = choices

    def clean_information(self) -> Information | None:
        pk = self.cleaned_data.get("information")
        return self.records.get(pk) if pk is not None else None


class IdsField(forms.Field):
    """Case ids ticked in a list; any id is accepted here and judged by the service."""

    widget = forms.CheckboxSelectMultiple

    def __init__(self, *, choices: list[tuple[int, str]] | None = None, **kwargs: Any) -> None:
        super().__init__(**kwargs)
        self.widget.choices = choices or []

    def to_python(self, value: Any) -> list[int]:
        values = value if isinstance(value, list | tuple) else [value] if value else []
        ids = []
        for item in values:
            pk = parse_id(str(item))
            if pk is None:
                raise forms.ValidationError(_("%(value)s is not a case number.")
                                            % {"value": str(item)[:20]})
            ids.append(pk)
        return ids


class ExportForm(forms.Form):
    cases = IdsField(label=_("Cases"), error_messages={
        "required": _("Choose at least one case to export.")})
    purpose = forms.CharField(label=_("Purpose"), max_length=500, widget=forms.Textarea(
        attrs={"rows": 2}), help_text=_("Who the export is for and why (for example, a "
                                        "court hearing or a submission to OHCHR). It is "
                                        "recorded in the case trail."))
    format = forms.ChoiceField(label=_("Format"), choices=CaseExport.Format.choices,
                               initial=CaseExport.Format.XLSX, widget=forms.RadioSelect)
    with_attachments = forms.BooleanField(label=_("Include the attachments"), required=False)

    def __init__(self, *args: Any, events: list[Event], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        # The title in its own direction (an English title in an Arabic page, and back).
        self.fields["cases"].widget.choices = [
            (e.pk, mark_safe(escape(_("case %(pk)s: %(title)s"))  # noqa: S308
                             % {"pk": e.pk, "title": format_html("<bdi>{}</bdi>", e.title)}))
            for e in events]

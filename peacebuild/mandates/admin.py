from typing import Any

from django import forms
from django.contrib import admin
from django.core.exceptions import ValidationError

from peacebuild.accounts.admin import AuditedModelAdmin

from .models import Document, HeadOfOffice, MandatePeriod, Office
from .services import period_check


@admin.register(Office)
class OfficeAdmin(AuditedModelAdmin):
    list_display = ["code", "name", "established_on", "closed_on"]
    search_fields = ["code", "name"]


@admin.register(Document)
class DocumentAdmin(AuditedModelAdmin):
    list_display = ["symbol", "title", "kind", "dated_on", "office"]
    list_filter = ["kind", "office"]
    search_fields = ["symbol", "title"]


class MandatePeriodForm(forms.ModelForm):
    class Meta:
        model = MandatePeriod
        fields = ["office", "starts_on", "ends_on", "decision", "proposed_on", "decided_on",
                  "document", "decided_by", "source_kind", "source_document", "source_note"]

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or {}
        if not self.errors:
            candidate = MandatePeriod(
                pk=self.instance.pk,
                **{f: cleaned.get(f) for f in ("office", "starts_on", "ends_on", "decision")},
            )
            try:
                period_check(candidate)
            except ValidationError as error:
                raise ValidationError(error.messages) from error
        return cleaned


@admin.register(MandatePeriod)
class MandatePeriodAdmin(AuditedModelAdmin):
    form = MandatePeriodForm
    list_display = ["office", "starts_on", "ends_on", "decision", "document"]
    list_filter = ["office", "decision"]


@admin.register(HeadOfOffice)
class HeadOfOfficeAdmin(AuditedModelAdmin):
    list_display = ["name", "office", "starts_on", "ends_on"]

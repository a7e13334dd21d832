"""Reports in the admin, for inspection: an issued report and its frozen version cannot be
changed or deleted here either (the services refuse too)."""

from typing import Any

from django.contrib import admin
from django.http import HttpRequest

from peacebuild.accounts.admin import AuditedModelAdmin, ReadOnlyMixin

from .models import FigureDefinition, IssuedVersion, Report, Section


class SectionInline(ReadOnlyMixin, admin.StackedInline):
    model = Section
    extra = 0
    fields = ["position", "key", "programme", "texts"]


@admin.register(Report)
class ReportAdmin(ReadOnlyMixin, AuditedModelAdmin):
    """Read-only: drafts are written through the pages, whose services validate and audit;
    issued reports are frozen."""

    list_display = ["__str__", "office", "kind", "language", "status"]
    list_filter = ["office", "kind", "status"]
    inlines = [SectionInline]

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return obj is not None and obj.status != Report.Status.ISSUED and \
            admin.ModelAdmin.has_delete_permission(self, request, obj)


@admin.register(IssuedVersion)
class IssuedVersionAdmin(ReadOnlyMixin, admin.ModelAdmin):
    list_display = ["symbol", "office", "issued_on", "original_language", "distribution"]
    readonly_fields = ["report", "office", "symbol", "issued_on", "distribution",
                       "original_language", "content", "issued_by", "created_at"]


@admin.register(FigureDefinition)
class FigureDefinitionAdmin(AuditedModelAdmin):
    """The office's named figures, in its own codes: what `{name}` in a report's text counts."""

    list_display = ["name", "office", "measure", "activity_type", "programme", "group",
                    "description"]
    list_filter = ["office", "measure"]
    search_fields = ["name", "description"]

"""Reports in the admin, for inspection: an issued report and its frozen version cannot be
changed or deleted here either (the services refuse too)."""

from typing import Any

from django.contrib import admin
from django.http import HttpRequest

from .models import IssuedVersion, Report, Section


class SectionInline(admin.StackedInline):
    model = Section
    extra = 0
    fields = ["position", "key", "programme", "texts"]

    def has_add_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False


@admin.register(Report)
class ReportAdmin(admin.ModelAdmin):
    """Read-only: drafts are written through the pages, whose services validate and audit;
    issued reports are frozen."""

    list_display = ["__str__", "office", "kind", "language", "status"]
    list_filter = ["office", "kind", "status"]
    inlines = [SectionInline]

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return obj is not None and obj.status != Report.Status.ISSUED and \
            super().has_delete_permission(request, obj)


@admin.register(IssuedVersion)
class IssuedVersionAdmin(admin.ModelAdmin):
    list_display = ["symbol", "office", "issued_on", "original_language", "distribution"]
    readonly_fields = ["report", "office", "symbol", "issued_on", "distribution",
                       "original_language", "content", "issued_by", "created_at"]

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

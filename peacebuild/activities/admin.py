"""Reference data is kept here (activity types, centres), audited. Activities are shown
read-only: they are written only through the pages and services, which keep the audit log
and the figures' summary tables exact."""

from django.contrib import admin

from peacebuild.accounts.admin import AuditedModelAdmin, ReadOnlyMixin

from .models import Activity, ActivityType, Attendance, Centre


@admin.register(ActivityType)
class ActivityTypeAdmin(AuditedModelAdmin):
    list_display = ["code", "name", "category"]
    list_filter = ["category"]
    search_fields = ["code", "name"]
    fields = ["code", "name", "names", "category"]


@admin.register(Centre)
class CentreAdmin(AuditedModelAdmin):
    list_display = ["name", "office", "kind", "place", "partner", "opened_on", "closed_on"]
    list_filter = ["office", "kind"]
    list_select_related = ["office", "place", "partner"]
    search_fields = ["name"]
    raw_id_fields = ["place", "partner", "programme", "source_document"]


class AttendanceInline(ReadOnlyMixin, admin.TabularInline):
    model = Attendance
    extra = 0
    fields = ["category", "sex", "age_group", "count"]


@admin.register(Activity)
class ActivityAdmin(ReadOnlyMixin, admin.ModelAdmin):
    list_display = ["title", "office", "programme", "type", "starts_on", "ends_on", "region",
                    "participants_total", "source_kind"]
    list_filter = ["office", "programme", "type__category", "source_kind"]
    list_select_related = ["office", "programme", "type", "region"]
    search_fields = ["title", "description"]
    date_hierarchy = "starts_on"
    raw_id_fields = ["place", "centre", "source_document", "created_by"]
    filter_horizontal = ["partners"]
    readonly_fields = ["region", "created_at", "updated_at"]
    inlines = [AttendanceInline]

from django.contrib import admin

from peacebuild.accounts.admin import AuditedModelAdmin

from .models import ActionPoint, Group, GroupMeeting, Organisation


@admin.register(Organisation)
class OrganisationAdmin(AuditedModelAdmin):
    list_display = ["name", "acronym", "kind", "office", "source_kind"]
    list_filter = ["office", "kind", "source_kind"]
    search_fields = ["name", "acronym"]


class ActionPointInline(admin.TabularInline):
    model = ActionPoint
    extra = 0


@admin.register(Group)
class GroupAdmin(AuditedModelAdmin):
    list_display = ["name", "office", "chaired_by_office"]
    filter_horizontal = ["members"]


@admin.register(GroupMeeting)
class GroupMeetingAdmin(AuditedModelAdmin):
    list_display = ["group", "held_on"]
    date_hierarchy = "held_on"
    inlines = [ActionPointInline]

from django.contrib import admin

from peacebuild.accounts.admin import AuditedModelAdmin

from .models import ActionPoint, Group, GroupMeeting, GroupMember, Organisation


@admin.register(Organisation)
class OrganisationAdmin(AuditedModelAdmin):
    list_display = ["name", "acronym", "kind", "office", "source_kind"]
    list_filter = ["office", "kind", "source_kind"]
    search_fields = ["name", "acronym"]


class ActionPointInline(admin.TabularInline):
    model = ActionPoint
    extra = 0


class GroupMemberInline(admin.TabularInline):
    model = GroupMember
    extra = 0


@admin.register(Group)
class GroupAdmin(AuditedModelAdmin):
    list_display = ["name", "office", "chaired_by_office"]
    inlines = [GroupMemberInline]


@admin.register(GroupMeeting)
class GroupMeetingAdmin(AuditedModelAdmin):
    list_display = ["group", "held_on"]
    date_hierarchy = "held_on"
    inlines = [ActionPointInline]

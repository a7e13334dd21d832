from django.contrib import admin

from peacebuild.accounts.admin import AuditedModelAdmin

from .models import Place


@admin.register(Place)
class PlaceAdmin(AuditedModelAdmin):
    list_display = ["name", "code", "level", "parent"]
    list_filter = ["level"]
    search_fields = ["name", "code"]
    raw_id_fields = ["parent"]

"""Programmes are reference data kept here, audited. The results framework is shown
read-only: it is written through its pages and services, which compile indicator rules,
check periods against the mandate and values against the indicator's kind."""

from django.contrib import admin

from peacebuild.accounts.admin import AuditedModelAdmin, ReadOnlyMixin

from .models import Assessment, Benchmark, Indicator, Programme


@admin.register(Programme)
class ProgrammeAdmin(AuditedModelAdmin):
    list_display = ["name", "code", "office", "starts_on", "ends_on"]
    list_filter = ["office"]
    search_fields = ["name", "code"]
    raw_id_fields = ["source_document"]


@admin.register(Indicator)
class IndicatorAdmin(ReadOnlyMixin, admin.ModelAdmin):
    list_display = ["code", "title", "kind", "output", "is_computed"]
    list_select_related = ["output"]
    search_fields = ["code", "title"]


class AssessmentInline(ReadOnlyMixin, admin.TabularInline):
    model = Assessment
    extra = 0
    fields = readonly_fields = ("assessed_on", "status", "evidence_note", "assessed_by",
                                "assessed_by_name")


@admin.register(Benchmark)
class BenchmarkAdmin(ReadOnlyMixin, admin.ModelAdmin):
    list_display = ["title", "office", "due_on"]
    list_filter = ["office"]
    inlines = [AssessmentInline]

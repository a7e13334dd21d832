"""Admin for people and roles, the read-only audit log, and the mixin that makes every
admin change of reference data land in the audit log like any other write."""

from typing import Any

from django import forms
from django.contrib import admin
from django.contrib.auth.admin import UserAdmin
from django.db import models
from django.db.models import Model
from django.http import HttpRequest
from django.utils.translation import gettext_lazy as _

from .audit import record_create, record_delete, record_update, snapshot
from .models import AuditEntry, Membership, Team, User


class ReadOnlyMixin:
    """For models written only through their services (which validate, audit and keep
    derived data exact) or never written at all (the audit log, issued reports): the admin
    shows them and changes nothing. Works for ModelAdmin and inlines alike."""

    def has_add_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False


class AuditedModelAdmin(admin.ModelAdmin):
    """Writes an audit entry (who, when, before/after) for each save and delete. The
    "before" is taken when the form is built from the stored row; the entry is written
    after the many-to-many fields are saved, so "after" is complete."""

    formfield_overrides = {models.URLField: {"assume_scheme": "https"}}

    def get_form(self, request: HttpRequest, obj: Model | None = None, change: bool = False,
                 **kwargs: Any) -> Any:
        form = super().get_form(request, obj, change=change, **kwargs)
        before = snapshot(obj) if obj is not None and obj.pk else None
        return type(form.__name__, (form,), {"audit_before": before})

    def save_related(self, request: HttpRequest, form: Any, formsets: Any, change: bool) -> None:
        super().save_related(request, form, formsets, change)
        before = getattr(form, "audit_before", None)
        if change and before is not None:
            record_update(actor=request.user, instance=form.instance, before=before)
        else:
            record_create(actor=request.user, instance=form.instance)

    def delete_model(self, request: HttpRequest, obj: Model) -> None:
        record_delete(actor=request.user, instance=obj, before=snapshot(obj))
        super().delete_model(request, obj)

    def delete_queryset(self, request: HttpRequest, queryset: Any) -> None:
        for obj in queryset:
            record_delete(actor=request.user, instance=obj, before=snapshot(obj))
        super().delete_queryset(request, queryset)


class MembershipInline(admin.TabularInline):
    """Memberships (roles) of a user: never one's own, so that no one raises their own role."""

    model = Membership
    extra = 0
    filter_horizontal = ["programmes"]

    def _own(self, request: HttpRequest, obj: Any) -> bool:
        return obj is not None and obj.pk == request.user.pk

    def has_add_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return not self._own(request, obj) and super().has_add_permission(request, obj)

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return not self._own(request, obj) and super().has_change_permission(request, obj)

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return not self._own(request, obj) and super().has_delete_permission(request, obj)


@admin.register(User)
class PeacebuildUserAdmin(UserAdmin):
    inlines = [MembershipInline]
    list_display = ["username", "first_name", "last_name", "email", "is_staff", "is_active"]


class TeamForm(forms.ModelForm):
    class Meta:
        model = Team
        fields = ["office", "name", "members"]

    def clean_members(self) -> Any:
        """No one adds themself to a team, or takes themself out of one (a team decides
        who sees its cases)."""
        members = self.cleaned_data["members"]
        me = self.acting_user.pk  # type: ignore[attr-defined]
        before = self.instance.pk is not None and self.instance.members.filter(pk=me).exists()
        if any(m.pk == me for m in members) != before:
            raise forms.ValidationError(_("You cannot add yourself to a team or remove "
                                          "yourself from one: ask another administrator."))
        return members


@admin.register(Team)
class TeamAdmin(AuditedModelAdmin):
    list_display = ["name", "office"]
    list_filter = ["office"]
    filter_horizontal = ["members"]
    form = TeamForm

    def get_form(self, request: HttpRequest, obj: Model | None = None, change: bool = False,
                 **kwargs: Any) -> Any:
        form = super().get_form(request, obj, change=change, **kwargs)
        return type(form.__name__, (form,), {"acting_user": request.user})


@admin.register(AuditEntry)
class AuditEntryAdmin(ReadOnlyMixin, admin.ModelAdmin):
    """The audit log can be read, never changed."""

    list_display = ["at", "actor", "action", "model", "object_id", "object_repr"]
    list_filter = ["action", "model", "office"]
    search_fields = ["object_repr", "object_id", "actor__username"]
    date_hierarchy = "at"

"""Forms of the oversight pages: case teams, break-glass, the trail's filters."""

from __future__ import annotations

from typing import Any, cast

from django import forms
from django.utils.translation import gettext, ngettext
from django.utils.translation import gettext_lazy as _

from peacebuild.accounts.models import User
from peacebuild.mandates.models import Office

from .models import CaseTeam, TrailEntry
from .services import GLASS_MINUTES, MIN_REASON

GLASS_CHOICES = [m for m in (15, 30, 60, 120, 240) if GLASS_MINUTES[0] <= m <= GLASS_MINUTES[1]]


def _date_widget() -> forms.DateInput:
    return forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")


class TeamForm(forms.Form):
    name = forms.CharField(label=_("Name of the new team"), max_length=120)

    def __init__(self, *args: Any, office: Office, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.office = office

    def clean_name(self) -> str:
        name = " ".join(self.cleaned_data["name"].split())
        if CaseTeam.objects.filter(office=self.office, name__iexact=name).exists():
            raise forms.ValidationError(_("The office already has a case team of that name."))
        return name


class MemberAddForm(forms.Form):
    """Any member of the office is accepted here, so that the service gives its own clear
    refusal (oneself, or someone who is not a human-rights officer); the list offers the
    human-rights officers who are not in the team yet."""

    user = forms.ModelChoiceField(label=_("Human-rights officer"), queryset=User.objects.none(),
                                  empty_label=_("Choose an officer"))
    can_write = forms.BooleanField(label=_("May change the team's cases"), required=False)

    def __init__(self, *args: Any, office: Office, offered: list[User], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field = cast(forms.ModelChoiceField, self.fields["user"])
        field.queryset = User.objects.filter(memberships__office=office)
        field.widget.choices = [("", field.empty_label)] + [
            (u.pk, f"{u.get_full_name() or u.get_username()} ({u.get_username()})")
            for u in offered]


class MemberWriteForm(forms.Form):
    can_write = forms.BooleanField(label=_("May change the team's cases"), required=False)


class BreakGlassForm(forms.Form):
    reason = forms.CharField(label=_("Why you need to open this case"), max_length=2000,
                             widget=forms.Textarea(attrs={"rows": 4}))
    minutes = forms.TypedChoiceField(label=_("For how long"), coerce=int, initial=60)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        # Translated here, in the request's language (a lazy text formatted at import
        # would be English).
        self.fields["reason"].help_text = gettext(
            "A full sentence (at least %(n)d characters). It is recorded in the trail and "
            "sent to the case team.") % {"n": MIN_REASON}
        cast(forms.TypedChoiceField, self.fields["minutes"]).choices = [
            (m, ngettext("%(n)d minute", "%(n)d minutes", m) % {"n": m}) for m in GLASS_CHOICES]


class TrailFilterForm(forms.Form):
    action = forms.ChoiceField(label=_("Action"), required=False,
                               choices=[("", _("All actions")), *TrailEntry.Action.choices])
    user = forms.CharField(label=_("User name"), required=False, max_length=150)
    since = forms.DateField(label=_("From"), required=False, widget=_date_widget())
    until = forms.DateField(label=_("To"), required=False, widget=_date_widget())

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        since, until = data.get("since"), data.get("until")
        if since and until and until < since:
            raise forms.ValidationError(_("The end date comes before the start date."))
        return data

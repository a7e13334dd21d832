from typing import Any

from django import forms
from django.conf import settings
from django.contrib.auth import get_user_model
from django.utils.translation import gettext_lazy as _

from peacebuild.mandates.models import Document, Office
from peacebuild.ui.forms import DateInput, OtherLanguagesForm, RecordsChoiceField

from .models import ActionPoint, Group, GroupMeeting, GroupMember, Organisation


class OrganisationForm(forms.ModelForm):
    website = forms.URLField(label=_("website"), required=False, assume_scheme="https")

    class Meta:
        model = Organisation
        fields = ["name", "acronym", "kind", "country", "website", "notes"]


# ---------------------------------------------------------------------------------------
# Coordination


class GroupForm(OtherLanguagesForm):
    names_in_other_languages = ("name", "names")

    class Meta:
        model = Group
        fields = ["name", "code", "purpose", "chaired_by_office", "convener",
                  "terms_of_reference"]
        widgets = {"purpose": forms.Textarea(attrs={"rows": 3})}

    def __init__(self, *args: Any, office: Office, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        fields: Any = self.fields
        fields["convener"].queryset = Organisation.objects.filter(office=office)
        fields["terms_of_reference"].queryset = Document.objects.filter(office=office)


class GroupMemberForm(forms.ModelForm):
    class Meta:
        model = GroupMember
        fields = ["organisation", "attendee"]

    def __init__(self, *args: Any, office: Office, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        fields: Any = self.fields
        fields["organisation"].queryset = Organisation.objects.filter(office=office)
        if self.instance.pk:  # the organisation defines the row; change the attendee only
            fields["organisation"].disabled = True


MINUTES_LANGUAGES = [code for code, _name in settings.LANGUAGES]


class MeetingForm(forms.ModelForm):
    """A meeting with who was present, its agenda, minutes (one field per language: the
    original and its translations) and decisions."""

    attended = RecordsChoiceField(
        queryset=Organisation.objects.none(), required=False,
        label=_("Organisations present"), widget=forms.CheckboxSelectMultiple,
    )

    class Meta:
        model = GroupMeeting
        fields = ["held_on", "venue", "summary", "agenda", "decisions", "minutes_language"]
        widgets = {
            "held_on": DateInput(),
            "summary": forms.Textarea(attrs={"rows": 2}),
            "agenda": forms.Textarea(attrs={"rows": 4}),
            "decisions": forms.Textarea(attrs={"rows": 4}),
        }

    def __init__(self, *args: Any, office: Office, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        fields: Any = self.fields
        group = self.instance.group
        # Members first (they are expected), then the office's other organisations.
        fields["attended"].queryset = Organisation.objects.filter(office=office).order_by(
            "name")
        member_ids = set(group.memberships.values_list("organisation_id", flat=True))
        self.member_ids = sorted(member_ids)  # the template lists members first, others folded
        fields["attended"].choices = [
            (o.pk, o) for o in sorted(fields["attended"].queryset,
                                      key=lambda o: (o.pk not in member_ids, o.name))
        ]
        if self.instance.pk:
            self.initial["attended"] = [o.pk for o in self.instance.attended.all()]
        minutes = self.instance.minutes or {}
        for code, name in settings.LANGUAGES:
            field_name = f"minutes_{code}"
            fields[field_name] = forms.CharField(
                required=False, label=_("Minutes in %(language)s") % {"language": name},
                widget=forms.Textarea(attrs={"rows": 4, "dir": "auto", "lang": code}),
            )
            self.initial[field_name] = minutes.get(code, "")

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        self.instance.minutes = {code: data.get(f"minutes_{code}", "")
                                 for code in MINUTES_LANGUAGES
                                 if data.get(f"minutes_{code}", "").strip()}
        return data


class ActionPointForm(forms.ModelForm):
    class Meta:
        model = ActionPoint
        fields = ["text", "owner", "owner_user", "due_on"]
        widgets = {"text": forms.Textarea(attrs={"rows": 2}), "due_on": DateInput()}

    def __init__(self, *args: Any, office: Office, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        fields: Any = self.fields
        fields["owner"].queryset = Organisation.objects.filter(office=office)
        fields["owner_user"].queryset = get_user_model().objects.filter(
            memberships__office=office).order_by("first_name", "username")
        fields["owner_user"].label_from_instance = lambda u: u.get_full_name() or u.username


class ActionCloseForm(forms.ModelForm):
    """Close an action point: done with its evidence, or dropped with the reason."""

    status = forms.ChoiceField(
        label=_("Outcome"), widget=forms.RadioSelect,
        choices=[(ActionPoint.Status.DONE, _("Done")),
                 (ActionPoint.Status.DROPPED, _("Dropped"))],
    )

    field_order = ["status", "closed_on", "evidence", "evidence_document", "drop_reason"]

    class Meta:
        model = ActionPoint
        fields = ["closed_on", "evidence", "evidence_document", "drop_reason"]
        widgets = {"closed_on": DateInput(), "evidence": forms.Textarea(attrs={"rows": 3}),
                   "drop_reason": forms.Textarea(attrs={"rows": 2})}

    def __init__(self, *args: Any, office: Office, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        fields: Any = self.fields
        fields["evidence_document"].queryset = Document.objects.filter(office=office)
        fields["status"].initial = ActionPoint.Status.DONE

    def _post_clean(self) -> None:
        # The service decides what a closing needs (evidence or reason): the model's
        # constraints would otherwise speak first, in their general terms.
        pass

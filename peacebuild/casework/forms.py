"""Forms of the case pages. They parse what people type and offer only the team's own
persons, the office's partners and the case's own interventions; the services validate the
record as a whole and their messages are put back on the fields (`ui.formpages`)."""

from __future__ import annotations

from typing import Any

from django import forms
from django.db.models import Q
from django.utils.text import capfirst
from django.utils.translation import get_language, gettext_lazy
from django.utils.translation import gettext as _

from peacebuild.accounts.models import User
from peacebuild.lib.formatting import format_day
from peacebuild.mandates.models import Office
from peacebuild.partners.models import Organisation
from peacebuild.places.models import Place
from peacebuild.ui.forms import DateInput

from .fields import blind_index_of
from .models import (
    Act,
    CaseTeam,
    Event,
    FollowUp,
    Information,
    Intervention,
    Involvement,
    Person,
)

LINE = forms.TextInput(attrs={"dir": "auto"})


def _text(rows: int = 3) -> forms.Textarea:
    return forms.Textarea(attrs={"rows": rows, "dir": "auto"})


def _regions(office: Office) -> Any:
    return Place.objects.filter(level=Place.Level.REGION, parent__code=office.country)


class PersonChoice(forms.ModelChoiceField):
    """A person of the team, by name: the form is seen by the team only."""

    def label_from_instance(self, obj: Any) -> str:
        return str(obj.name)


class InterventionChoice(forms.ModelChoiceField):
    def label_from_instance(self, obj: Any) -> str:
        return _("%(day)s, %(channel)s") % {"day": format_day(obj.made_on, get_language(),
                                                              "medium"),
                                            "channel": obj.get_channel_display()}


class UserChoice(forms.ModelChoiceField):
    def label_from_instance(self, obj: Any) -> str:
        return str(obj.get_full_name() or obj.get_username())


class CaseFilterForm(forms.Form):
    """Renders the filters of the case list; the view reads them from its cleaned data."""

    q = forms.CharField(label=gettext_lazy("Title contains"), required=False, max_length=200,
                        widget=forms.TextInput(attrs={"type": "search", "dir": "auto"}))
    status = forms.ChoiceField(label=gettext_lazy("Status"), required=False)
    violation = forms.ChoiceField(label=gettext_lazy("Violation"), required=False)
    region = forms.ModelChoiceField(label=gettext_lazy("Region"), queryset=Place.objects.none(),
                                    required=False, empty_label=gettext_lazy("All regions"))
    confidentiality = forms.ChoiceField(label=gettext_lazy("Confidentiality"), required=False)
    date_from = forms.DateField(label=gettext_lazy("Began from"), required=False,
                                widget=DateInput())
    date_to = forms.DateField(label=gettext_lazy("Began up to"), required=False,
                              widget=DateInput())

    def __init__(self, *args: Any, office: Office, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        fields: Any = self.fields
        fields["status"].choices = [("", _("Any status")), *Event.Status.choices]
        fields["violation"].choices = [("", _("Any violation")), *Act.Violation.choices]
        fields["confidentiality"].choices = [("", _("Any level")),
                                             *Event.Confidentiality.choices]
        fields["region"].queryset = _regions(office)

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if data.get("date_from") and data.get("date_to") and data["date_to"] < data["date_from"]:
            self.add_error("date_to", _("The end of the period is before its beginning."))
        return data


class CaseForm(forms.ModelForm):
    """Every case form: the errors of `clean` said before the model's bare constraint
    message could reach the user."""

    dates: tuple[str, str] | None = None  # (first, last): the last may not be earlier

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if self.dates is not None:
            first, last = (data.get(name) for name in self.dates)
            if first and last and last < first:
                self.add_error(self.dates[1], self.date_order_message())
        return data

    def date_order_message(self) -> str:
        return _("This date is before the one it follows.")


class EventForm(CaseForm):
    dates = ("started_on", "ended_on")

    class Meta:
        model = Event
        fields = ["team", "title", "started_on", "start_precision", "ended_on",
                  "end_precision", "region", "status", "confidentiality", "description"]
        widgets = {"title": LINE, "description": _text(6), "started_on": DateInput(),
                   "ended_on": DateInput()}

    def __init__(self, *args: Any, office: Office, teams: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        fields: Any = self.fields
        fields["region"].queryset = _regions(office)
        if self.instance.pk:
            del fields["team"]  # a case stays in its team; moving it is not a page's job
        else:
            fields["team"].queryset = teams
            fields["team"].empty_label = None

    def date_order_message(self) -> str:
        return _("The event cannot end before it begins.")


class PersonForm(CaseForm):
    """A person of the team. A new person is first looked up by exact name and by ID number
    (through the blind indexes, in the team only): one already recorded is used again
    rather than recorded twice."""

    record_anyway = forms.BooleanField(
        label=gettext_lazy("This is someone else with the same name: record them anyway"),
        required=False)
    not_stored = ("record_anyway",)

    class Meta:
        model = Person
        fields = ["kind", "name", "other_names", "sex", "born_in", "contact", "id_number",
                  "notes"]
        widgets = {"name": LINE, "other_names": LINE, "contact": _text(2),
                   "id_number": LINE, "notes": _text(4)}

    def __init__(self, *args: Any, team: CaseTeam, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.team = team
        self.already: Person | None = None  # the person found, when one is
        if self.instance.pk:
            del self.fields["record_anyway"]

    def clean(self) -> dict[str, Any]:
        data = super().clean()
        if self.instance.pk or self.errors:
            return data
        same_team = Person.objects.filter(team=self.team)
        id_number = data.get("id_number") or ""
        if id_number:
            self.already = same_team.filter(
                id_number_index=blind_index_of(Person, "id_number", id_number)).first()
            if self.already is not None:
                self.add_error("id_number", _("A person with this identity document number "
                                              "is already recorded by your team: use them."))
                return data
        name = data.get("name") or ""
        if name and not data.get("record_anyway"):
            self.already = same_team.filter(
                name_index=blind_index_of(Person, "name", name)).first()
            if self.already is not None:
                self.add_error("name", _("This person is already recorded by your team: use "
                                         "them, or tick “record them anyway” if this is "
                                         "someone else."))
        return data


def _team_persons(team: CaseTeam) -> Any:
    return Person.objects.filter(team=team).order_by("id")


class ActForm(CaseForm):
    victim = PersonChoice(label=capfirst(gettext_lazy("victim")),
                          queryset=Person.objects.none())

    class Meta:
        model = Act
        fields = ["violation", "victim", "happened_on", "precision", "place", "consequences"]
        widgets = {"happened_on": DateInput(), "place": LINE, "consequences": _text(4)}

    def __init__(self, *args: Any, event: Event, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        fields: Any = self.fields
        fields["victim"].queryset = _team_persons(event.team)


class InvolvementForm(CaseForm):
    perpetrator = PersonChoice(label=capfirst(gettext_lazy("alleged perpetrator")),
                               queryset=Person.objects.none())

    class Meta:
        model = Involvement
        fields = ["perpetrator", "degree", "notes"]
        widgets = {"notes": _text(3)}

    def __init__(self, *args: Any, event: Event, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        fields: Any = self.fields
        fields["perpetrator"].queryset = _team_persons(event.team)


class InformationForm(CaseForm):
    source = PersonChoice(label=capfirst(gettext_lazy("source")),
                          queryset=Person.objects.none())

    class Meta:
        model = Information
        fields = ["source", "received_on", "reliability", "content", "consent_to_use",
                  "consent_to_share", "consent_notes"]
        widgets = {"received_on": DateInput(), "content": _text(6), "consent_notes": _text(2)}

    def __init__(self, *args: Any, event: Event, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        fields: Any = self.fields
        fields["source"].queryset = _team_persons(event.team)

    def clean(self) -> dict[str, Any]:
        data = super().clean()
        if data.get("consent_to_share") and not data.get("consent_to_use"):
            self.add_error("consent_to_share", _(
                "A source who does not consent to the use of what they said cannot consent "
                "to its sharing."))
        return data


class InterventionForm(CaseForm):
    dates = ("made_on", "follow_up_due")

    class Meta:
        model = Intervention
        fields = ["made_on", "authority", "channel", "request", "response", "outcome",
                  "follow_up_due"]
        widgets = {"made_on": DateInput(), "follow_up_due": DateInput(),
                   "request": _text(4), "response": _text(4)}

    def __init__(self, *args: Any, event: Event, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        fields: Any = self.fields
        fields["authority"].queryset = Organisation.objects.filter(office=event.office)

    def date_order_message(self) -> str:
        return _("A follow-up cannot fall due before the intervention.")


class FollowUpForm(CaseForm):
    assignee = UserChoice(label=capfirst(gettext_lazy("assigned to")),
                          queryset=User.objects.none())
    intervention = InterventionChoice(label=capfirst(gettext_lazy("intervention")),
                                      required=False, queryset=Intervention.objects.none())

    class Meta:
        model = FollowUp
        fields = ["task", "due_on", "assignee", "intervention", "done_on"]
        widgets = {"task": _text(3), "due_on": DateInput(), "done_on": DateInput()}

    def __init__(self, *args: Any, event: Event, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        fields: Any = self.fields
        fields["assignee"].queryset = User.objects.filter(
            Q(case_teams__team=event.team)).order_by("username").distinct()
        fields["intervention"].queryset = Intervention.objects.filter(event=event)

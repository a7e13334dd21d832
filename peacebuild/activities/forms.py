"""Forms for activities and centres. They parse what people type; the services in
`services.py` validate the record as a whole and their messages are put back on the fields."""

from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

from django import forms
from django.core.exceptions import ValidationError
from django.db.models import Q
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from peacebuild.accounts.permissions import MemberRequest, may_edit_programme
from peacebuild.mandates.models import Office
from peacebuild.partners.models import GroupMeeting, Organisation
from peacebuild.places.models import Place
from peacebuild.programmes.models import Programme
from peacebuild.ui.forms import OtherLanguagesForm, RecordsChoiceField

from .models import (
    MAX_PARTICIPANTS,
    Activity,
    ActivityType,
    AgeGroup,
    Centre,
    ParticipantCategory,
    Sex,
    interface_language,
)
from .services import Cell

DATE_INPUT = {"type": "date"}


def date_widget() -> forms.DateInput:
    # HTML date inputs show the date in the user's locale and send ISO dates.
    return forms.DateInput(attrs=DATE_INPUT, format="%Y-%m-%d")


def place_choices(office: Office) -> list[tuple[Any, Any]]:
    """The office country's regions, each followed by its districts, grouped by region."""
    places = list(
        Place.objects.filter(
            Q(level=Place.Level.REGION, parent__code=office.country)
            | Q(level=Place.Level.DISTRICT, parent__parent__code=office.country)
        )
    )
    regions = sorted((p for p in places if p.level == Place.Level.REGION),
                     key=lambda p: p.localized_name)
    districts: dict[int, list[Place]] = {}
    for p in places:
        if p.level == Place.Level.DISTRICT and p.parent_id is not None:
            districts.setdefault(p.parent_id, []).append(p)
    choices: list[tuple[Any, Any]] = [("", "—")]
    for region in regions:
        # The region itself first: an activity may concern the whole region.
        options = [(region.pk, region.localized_name)]
        options += [(d.pk, d.localized_name)
                    for d in sorted(districts.get(region.pk, []), key=lambda d: d.localized_name)]
        choices.append((region.localized_name, options))
    return choices


def country_places(office: Office):
    return Place.objects.filter(
        Q(level=Place.Level.REGION, parent__code=office.country)
        | Q(level=Place.Level.DISTRICT, parent__parent__code=office.country)
    )


class ActivityFilterForm(forms.Form):
    """Renders the filters of the activity list. Parsing is `ActivityFilter.from_query`'s job,
    so this form is bound for display only and never validated."""

    q = forms.CharField(label=gettext_lazy("Search"), required=False,
                        widget=forms.TextInput(attrs={"type": "search"}))
    programme = forms.ModelChoiceField(label=gettext_lazy("Programme"),
                                       queryset=Programme.objects.none(), required=False,
                                       empty_label=gettext_lazy("All programmes"))
    type = forms.ModelChoiceField(label=gettext_lazy("Type"), queryset=ActivityType.objects.all(),
                                  required=False, empty_label=gettext_lazy("All types"))
    category = forms.ChoiceField(label=gettext_lazy("Kind of activity"), required=False)
    region = forms.ModelChoiceField(label=gettext_lazy("Region"), queryset=Place.objects.none(),
                                    required=False, empty_label=gettext_lazy("All regions"))
    partner = forms.ModelChoiceField(label=gettext_lazy("Partner"),
                                     queryset=Organisation.objects.none(), required=False,
                                     empty_label=gettext_lazy("All partners"))
    date_from = forms.DateField(label=gettext_lazy("From"), required=False, widget=date_widget())
    date_to = forms.DateField(label=gettext_lazy("To"), required=False, widget=date_widget())
    sex = forms.ChoiceField(label=gettext_lazy("Attended by"), required=False)
    participant_category = forms.ChoiceField(label=gettext_lazy("Participant category"),
                                             required=False)

    def __init__(self, *args: Any, office: Office, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        fields: Any = self.fields
        fields["programme"].queryset = Programme.objects.filter(office=office)
        fields["region"].queryset = Place.objects.filter(
            level=Place.Level.REGION, parent__code=office.country
        )
        fields["partner"].queryset = Organisation.objects.filter(office=office)
        fields["category"].choices = [("", _("All kinds")), *ActivityType.Category.choices]
        fields["sex"].choices = [("", _("Anyone")), *Sex.choices]
        fields["participant_category"].choices = [("", _("All categories")),
                                                  *ParticipantCategory.choices]


@dataclass
class GridRow:
    category: str
    label: str
    cells: list[forms.BoundField]
    age: str = AgeGroup.UNKNOWN  # the first row of a category holds the age not recorded
    hidden: bool = False

    @property
    def key(self) -> str:
        return self.category if self.age == AgeGroup.UNKNOWN else f"{self.category}/{self.age}"


def attendance_field_name(category: str, sex: str, age_group: str = AgeGroup.UNKNOWN) -> str:
    if age_group == AgeGroup.UNKNOWN:
        return f"att-{category}-{sex}"
    return f"att-{category}-{sex}-{age_group}"


AGE_GROUPS = [a for a in AgeGroup if a != AgeGroup.UNKNOWN]
ALL_CELLS = [(c, s, a) for c in ParticipantCategory.values for s in Sex.values
             for a in AgeGroup.values]


class ActivityForm(forms.ModelForm):
    """An activity with its attendance grid: participant category × sex, and under each
    category a row per age group. Every cell of the record is a field of its own, so an
    edit sends back exactly the breakdown it was shown. The age rows show when the record
    has any age breakdown or the person asks for it; empty ones are hidden otherwise."""

    by_age = forms.BooleanField(
        label=gettext_lazy("Break the attendance down by age group"), required=False,
        widget=forms.CheckboxInput(attrs={"data-age-toggle": ""}),
    )
    # Fields of the page, not of the record: a conflict's comparison leaves them out.
    not_stored = ("by_age",)
    max_participants = MAX_PARTICIPANTS

    class Meta:
        model = Activity
        field_classes = {"partners": RecordsChoiceField}
        fields = ["programme", "type", "title", "description", "language", "starts_on",
                  "ends_on", "place", "centre", "partners", "participants_total", "outputs",
                  "follow_up", "meeting"]
        widgets = {
            "starts_on": date_widget(),
            "ends_on": date_widget(),
            "description": forms.Textarea(attrs={"rows": 3}),
            "outputs": forms.Textarea(attrs={"rows": 3}),
            "follow_up": forms.Textarea(attrs={"rows": 2}),
            "partners": forms.SelectMultiple(attrs={"size": 6}),
        }

    def clean_language(self) -> str:
        typed: str = self.cleaned_data.get("language") or ""
        if typed:
            return typed
        return self.instance.language if self.instance.pk else interface_language()

    def __init__(self, *args: Any, request: MemberRequest, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.attendance_errors: list[str] = []  # from the service: the grid as a whole
        office: Office = request.office
        fields: Any = self.fields
        programmes = Programme.objects.filter(office=office)
        fields["programme"].queryset = programmes.filter(
            pk__in=[p.pk for p in programmes if may_edit_programme(request, p.pk)]
        )
        if not self.instance.pk:  # a new record's text is most likely in the interface's
            self.initial.setdefault("language", interface_language())
        fields["language"].required = False  # not sent: as stored, or the interface's
        allowed = list(fields["programme"].queryset)
        if len(allowed) == 1 and not self.instance.pk:
            # Most officers record for one programme: no need to choose it every time.
            self.initial.setdefault("programme", allowed[0].pk)
        fields["place"].queryset = country_places(office)
        fields["place"].choices = place_choices(office)
        fields["centre"].queryset = Centre.objects.filter(office=office)
        fields["partners"].queryset = Organisation.objects.filter(office=office)
        fields["meeting"].queryset = GroupMeeting.objects.filter(
            group__office=office).select_related("group")
        fields["participants_total"].widget.attrs.update({"min": 0, "max": MAX_PARTICIPANTS})
        fields["participants_total"].validators.append(_max_participants)
        for category in ParticipantCategory:
            for sex in Sex:
                for age in AgeGroup:
                    fields[attendance_field_name(category.value, sex.value, age.value)] = \
                        _cell_field(category, sex, age)
        if self.instance.pk and not self.is_bound:
            for row in self.instance.attendance.all():
                self.initial[attendance_field_name(row.category, row.sex, row.age_group)] = \
                    row.count
                if row.age_group != AgeGroup.UNKNOWN:
                    self.initial["by_age"] = True

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        starts_on, ends_on = data.get("starts_on"), data.get("ends_on")
        if starts_on and ends_on and ends_on < starts_on:
            # Said here as well as in the service so that the model's bare constraint
            # message ("Constraint … is violated") never reaches the user.
            self.add_error("ends_on", _("The end date is before the start date."))
        return data

    # The grid, for the template and the service.

    def show_ages(self) -> bool:
        return bool(self["by_age"].value())

    def age_rows_rendered(self) -> bool:
        """The age rows are on the page when asked for or when any holds a count; otherwise
        the page stays small and its script adds them when "by age group" is ticked."""
        if self.show_ages():
            return True
        source = self.data if self.is_bound else self.initial
        return any(str(source.get(attendance_field_name(c, s, a)) or "0") != "0"
                   for c, s, a in ALL_CELLS if a != AgeGroup.UNKNOWN)

    def attendance_rows(self) -> Iterator[GridRow]:
        show, ages = self.show_ages(), self.age_rows_rendered()
        for category in ParticipantCategory:
            yield GridRow(category.value, str(category.label), [
                self[attendance_field_name(category.value, sex.value)] for sex in Sex
            ])
            for age in AGE_GROUPS if ages else []:
                cells = [self[attendance_field_name(category.value, sex.value, age.value)]
                         for sex in Sex]
                filled = any(cell.value() not in (None, "", 0, "0") for cell in cells)
                yield GridRow(category.value, str(age.label), cells, age=age.value,
                              hidden=not (show or filled))

    def age_groups(self) -> list[tuple[str, str]]:
        return [(a.value, str(a.label)) for a in AGE_GROUPS]

    def sexes(self) -> list[tuple[str, str]]:
        return [(s.value, str(s.label)) for s in Sex]

    def unknown_age_label(self) -> str:
        return str(AgeGroup.UNKNOWN.label)

    def attendance_has_errors(self) -> bool:
        return any(self[attendance_field_name(*cell)].errors for cell in ALL_CELLS)

    def attendance(self) -> dict[Cell, int]:
        return {
            Cell(category, sex, age):
                self.cleaned_data.get(attendance_field_name(category, sex, age)) or 0
            for category, sex, age in ALL_CELLS
        }

    def activity_fields(self) -> dict[str, Any]:
        """The cleaned values of the activity's own fields (partners go separately)."""
        return {name: self.cleaned_data[name] for name in self._meta.fields or ()
                if name != "partners"}

    def add_service_errors(self, error: ValidationError) -> None:
        """Put a service's errors next to the fields they are about."""
        for field, messages in error.message_dict.items():
            if field == "attendance":
                self.attendance_errors.extend(messages)
            elif field in self.fields:
                for message in messages:
                    self.add_error(field, message)
            else:
                for message in messages:
                    self.add_error(None, message)


def _cell_field(category: ParticipantCategory, sex: Sex, age: AgeGroup) -> forms.IntegerField:
    if age == AgeGroup.UNKNOWN:
        label = _("%(category)s, %(sex)s") % {"category": category.label, "sex": sex.label}
    else:
        label = _("%(category)s, %(sex)s, %(age)s") % {
            "category": category.label, "sex": sex.label, "age": age.label}
    row = category.value if age == AgeGroup.UNKNOWN else f"{category.value}/{age.value}"
    return forms.IntegerField(
        required=False, min_value=0, max_value=MAX_PARTICIPANTS, label=label,
        widget=forms.NumberInput(attrs={
            "min": 0, "inputmode": "numeric", "data-category": category.value,
            "data-sex": sex.value, "data-row": row,
        }),
    )


def _max_participants(value: int | None) -> None:
    if value is not None and value > MAX_PARTICIPANTS:
        raise ValidationError(
            _("%(value)s participants is more than any activity holds (at most %(max)s)."),
            params={"value": value, "max": MAX_PARTICIPANTS}, code="max_value",
        )


class CentreForm(OtherLanguagesForm):
    names_in_other_languages = ("name", "names")

    class Meta:
        model = Centre
        fields = ["name", "kind", "place", "partner", "programme", "opened_on", "closed_on",
                  "description"]
        widgets = {
            "opened_on": date_widget(),
            "closed_on": date_widget(),
            "description": forms.Textarea(attrs={"rows": 3}),
        }

    def __init__(self, *args: Any, office: Office, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        fields: Any = self.fields
        fields["place"].queryset = country_places(office)
        fields["place"].choices = place_choices(office)
        fields["partner"].queryset = Organisation.objects.filter(office=office)
        fields["programme"].queryset = Programme.objects.filter(office=office)

    def add_service_errors(self, error: ValidationError) -> None:
        for field, messages in error.message_dict.items():
            for message in messages:
                self.add_error(field if field in self.fields else None, message)

"""Forms of the results framework. They parse what people type; the services validate the
record as a whole (rules, periods, values by kind) and their messages go back on the fields."""

from typing import Any

from django import forms
from django.core.exceptions import ValidationError
from django.forms.fields import InvalidJSONInput
from django.utils.translation import gettext_lazy as _

from peacebuild.mandates.models import Document, Office
from peacebuild.ui.forms import DateInput, OtherLanguagesForm, choice_field

from .models import Actual, Assessment, Benchmark, Indicator, Outcome, Output, Programme, Target

PERIOD_HELP = _("2003-10 for a month, 2003-Q4 for a quarter, 2003 for a year, or the first "
                "day of a mandate year (2003-06-01).")


class OutcomeForm(OtherLanguagesForm):
    names_in_other_languages = ("title", "titles")

    class Meta:
        model = Outcome
        fields = ["code", "title", "order"]


class OutputForm(OtherLanguagesForm):
    names_in_other_languages = ("title", "titles")

    class Meta:
        model = Output
        fields = ["code", "title", "order"]


class RuleField(forms.JSONField):
    """The rule as typed. JSON nested past the parser's depth is a form error, not a crash."""

    def to_python(self, value: Any) -> Any:
        try:
            return super().to_python(value)
        except RecursionError as error:
            raise ValidationError(_("This rule nests values more deeply than a rule can; a "
                                    "rule has a measure, filters by code and a list of "
                                    "dimensions."), code="invalid") from error

    def bound_data(self, data: Any, initial: Any) -> Any:
        try:
            return super().bound_data(data, initial)
        except RecursionError:  # shown back as typed, with the error above
            return InvalidJSONInput(data)


class IndicatorForm(OtherLanguagesForm):
    names_in_other_languages = ("title", "titles")

    class Meta:
        model = Indicator
        field_classes = {"rule": RuleField}
        fields = ["code", "title", "unit", "kind", "direction", "baseline_value", "baseline_on",
                  "baseline_source", "rule", "order"]
        widgets = {"baseline_on": DateInput(), "rule": forms.Textarea(attrs={"rows": 3})}
        help_texts = {"rule": _(
            'Leave empty to enter actuals by hand. To compute them from the records, name a '
            'measure and filters by code, e.g. {"measure": "participants", "filters": '
            '{"type": "training", "programme": "rule-of-law"}}. Measures: activities, '
            'participants, attendance (with "by": ["sex"]), distinct_participants, '
            'centres_open (with "centre_kind": "education").')}

    def clean_rule(self) -> Any:
        return self.cleaned_data.get("rule") or {}


def _documents(office: Office) -> Any:
    return Document.objects.filter(office=office).order_by("-dated_on", "title")


class TargetForm(forms.ModelForm):
    class Meta:
        model = Target
        fields = ["period_kind", "period_key", "value", "text", "source_note"]
        help_texts = {"period_key": PERIOD_HELP}


class ActualForm(forms.ModelForm):
    class Meta:
        model = Actual
        fields = ["period_kind", "period_key", "value", "text", "evidence_document",
                  "evidence_note"]
        help_texts = {"period_key": PERIOD_HELP,
                      "evidence_note": _("Where the value comes from, if not a document.")}

    def __init__(self, *args: Any, office: Office, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        choice_field(self, "evidence_document").queryset = _documents(office)


class BenchmarkForm(OtherLanguagesForm):
    names_in_other_languages = ("title", "titles")

    class Meta:
        model = Benchmark
        fields = ["title", "programme", "due_on", "description"]
        widgets = {"due_on": DateInput()}

    def __init__(self, *args: Any, office: Office, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        choice_field(self, "programme").queryset = Programme.objects.filter(office=office)


class AssessmentForm(forms.ModelForm):
    class Meta:
        model = Assessment
        fields = ["assessed_on", "status", "evidence_note", "evidence_document"]
        widgets = {"assessed_on": DateInput()}

    def __init__(self, *args: Any, office: Office, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        choice_field(self, "evidence_document").queryset = _documents(office)

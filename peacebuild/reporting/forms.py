from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from peacebuild.ui.forms import DateInput

from .models import LANGUAGE_CHOICES, RenderJob, Report


class ReportForm(forms.ModelForm):
    class Meta:
        model = Report
        fields = ["kind", "period_start", "period_end", "language", "dated_on", "signatory"]
        widgets = {"period_start": DateInput(), "period_end": DateInput(),
                   "dated_on": DateInput()}

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        start, end = data.get("period_start"), data.get("period_end")
        if start and end and end < start:
            self.add_error("period_end", _("The period ends before it starts."))
        return data


class ReportDetailsForm(forms.ModelForm):
    """What may change on a draft besides its text: its date and signatory."""

    class Meta:
        model = Report
        fields = ["dated_on", "signatory", "language"]
        widgets = {"dated_on": DateInput()}


class SectionForm(forms.Form):
    text = forms.CharField(label=_("Text"), required=False, widget=forms.Textarea(
        attrs={"rows": 16, "spellcheck": "true"}),
        help_text=_("Plain text; a blank line starts a new paragraph. Figures are written in "
                    "braces, e.g. {club_meetings}, and computed from the records."))


class IssueForm(forms.Form):
    symbol = forms.CharField(label=_("Document symbol"), max_length=60,
                             help_text=_("e.g. S/2004/331"))
    issued_on = forms.DateField(label=_("Issued on"), widget=DateInput())
    distribution = forms.ChoiceField(label=_("Distribution"),
                                     choices=[("General", _("General"))])


class RenderForm(forms.Form):
    language = forms.ChoiceField(label=_("Language"), choices=LANGUAGE_CHOICES)
    format = forms.ChoiceField(label=_("Format"), choices=RenderJob.Format.choices)
    annex = forms.BooleanField(label=_("With the annex of figures"), required=False,
                               initial=True)

from django import forms
from django.utils.translation import gettext_lazy as _

from peacebuild.ui.forms import DateInput, choice_field

from .models import Document, MandatePeriod, Office

LANGUAGE_CHOICES = [
    ("ar", _("Arabic")), ("zh", _("Chinese")), ("en", _("English")), ("fr", _("French")),
    ("ru", _("Russian")), ("es", _("Spanish")), ("tg", _("Tajik")),
]


class DocumentForm(forms.ModelForm):
    original_language = forms.ChoiceField(label=_("original language"), choices=LANGUAGE_CHOICES)
    languages = forms.MultipleChoiceField(
        label=_("available languages"), choices=LANGUAGE_CHOICES, required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    url = forms.URLField(label=_("web address"), required=False, assume_scheme="https")

    class Meta:
        model = Document
        fields = ["symbol", "title", "kind", "dated_on", "issued_on", "original_language",
                  "languages", "url", "file", "source_note"]
        widgets = {"dated_on": DateInput(), "issued_on": DateInput()}

    def clean_languages(self) -> list[str]:
        # The boxes come back in the form's order; the same languages in the stored order
        # are no change, so the record is left as it was.
        chosen = self.cleaned_data["languages"]
        stored = list(self.instance.languages or [])
        return stored if sorted(chosen) == sorted(stored) else chosen


class PeriodForm(forms.ModelForm):
    def __init__(self, *args, office: Office, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        choice_field(self, "document").queryset = Document.objects.filter(office=office)

    class Meta:
        model = MandatePeriod
        fields = ["starts_on", "ends_on", "decision", "proposed_on", "decided_on", "document",
                  "decided_by", "source_note"]
        widgets = {f: DateInput() for f in ["starts_on", "ends_on", "proposed_on", "decided_on"]}

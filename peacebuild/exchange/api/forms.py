import datetime as dt

from django import forms
from django.utils.translation import gettext_lazy as _

from .models import ApiToken


class TokenForm(forms.Form):
    name = forms.CharField(label=_("Name"), max_length=100,
                           help_text=_("What the token is for, e.g. “IATI publisher”."))
    scope = forms.ChoiceField(label=_("Scope"), choices=ApiToken.Scope.choices,
                              initial=ApiToken.Scope.READ)
    expires_on = forms.DateField(label=_("Expires on"), required=False,
                                 help_text=_("Leave blank for a token that does not expire."),
                                 widget=forms.DateInput(attrs={"type": "date"}))

    def __init__(self, *args: object, today: dt.date, **kwargs: object) -> None:
        super().__init__(*args, **kwargs)  # type: ignore[arg-type]
        self.today = today

    def clean_expires_on(self) -> dt.date | None:
        value: dt.date | None = self.cleaned_data.get("expires_on")
        if value is not None and value <= self.today:
            raise forms.ValidationError(_("The expiry must be in the future."))
        return value

"""The forms of signing in and of the second factor."""

from django import forms
from django.contrib.auth.forms import AuthenticationForm
from django.utils.translation import gettext_lazy as _


class SignInForm(AuthenticationForm):
    error_messages = {
        "invalid_login": _("Your user name and password did not match. Please try again."),
        "inactive": _("This account is inactive."),
    }


class CodeForm(forms.Form):
    code = forms.CharField(
        label=_("Code"), max_length=20, strip=True,
        help_text=_("The six-digit code your authenticator app shows now, or one of your "
                    "recovery codes."),
        widget=forms.TextInput(attrs={"autocomplete": "one-time-code", "autofocus": True,
                                      "spellcheck": "false", "autocapitalize": "none"}),
    )


class EnrolForm(forms.Form):
    code = forms.CharField(
        label=_("Code from the app"), max_length=6, min_length=6, strip=True,
        help_text=_("The six-digit code the app shows after you add Peacebuild to it."),
        widget=forms.TextInput(attrs={"autocomplete": "one-time-code", "inputmode": "numeric",
                                      "pattern": "[0-9]{6}"}),
    )

    def clean_code(self) -> str:
        code: str = self.cleaned_data["code"]
        if not (code.isascii() and code.isdigit()):
            raise forms.ValidationError(_("Enter the six digits the app shows."))
        return code


class ReauthForm(forms.Form):
    password = forms.CharField(label=_("Password"), strip=False,
                               widget=forms.PasswordInput(attrs={"autocomplete":
                                                                 "current-password"}))
    code = forms.CharField(label=_("Code"), max_length=20, strip=True, required=False,
                           help_text=_("The six-digit code your authenticator app shows now, "
                                       "or one of your recovery codes."),
                           widget=forms.TextInput(attrs={"autocomplete": "one-time-code"}))

    def __init__(self, *args: object, needs_code: bool, **kwargs: object) -> None:
        super().__init__(*args, **kwargs)  # type: ignore[arg-type]
        if needs_code:
            self.fields["code"].required = True
        else:
            del self.fields["code"]

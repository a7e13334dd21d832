"""Form helpers shared by every app's pages."""

from typing import Any

from django import forms
from django.conf import settings
from django.core.exceptions import NON_FIELD_ERRORS, ValidationError

from peacebuild.lib.ids import parse_id
from peacebuild.lib.names import OTHER_LANGUAGES, merged_names


class DateInput(forms.DateInput):
    """The browser's date picker, shown in the user's locale; the value stays ISO."""

    input_type = "date"

    def __init__(self, attrs: dict | None = None) -> None:
        super().__init__(attrs=attrs, format="%Y-%m-%d")


class RecordsChoiceField(forms.ModelMultipleChoiceField):
    """Several records chosen by id. An id no database column holds ("²", a number past
    the 64-bit range) is refused before the query that would fail on it."""

    def _check_values(self, value: Any) -> Any:
        for pk in value:
            if parse_id(str(pk)) is None:
                raise ValidationError(self.error_messages["invalid_pk_value"],
                                      code="invalid_pk_value", params={"pk": pk})
        return super()._check_values(value)  # type: ignore[misc]  # private: not in the stubs


def choice_field(form: forms.BaseForm, name: str) -> forms.ModelChoiceField:
    """The form's field for a foreign key, to narrow its choices (to the office's rows)."""
    field = form.fields[name]
    assert isinstance(field, forms.ModelChoiceField)
    return field


def apply_errors(form: forms.BaseForm, error: ValidationError) -> None:
    """Show a service's ValidationError on the form: next to the field when the form has
    that field, at the top otherwise."""
    if not hasattr(error, "error_dict"):
        form.add_error(None, error)
        return
    for field, errors in error.message_dict.items():
        target = field if field in form.fields and field != NON_FIELD_ERRORS else None
        for message in errors:
            form.add_error(target, message)


# The six other languages as the interface names them: "zh" is the interface's "zh-hans".
_INTERFACE_CODE = {"zh": "zh-hans"}


class OtherLanguagesForm(forms.ModelForm):
    """A model form with a compact block of the record's name in the six other languages:
    `names_in_other_languages = ("name", "names")` says which column and which JSON field.
    Each input is optional, trimmed, refuses NUL and is no longer than the English column.
    On saving, the languages typed replace the stored ones, an emptied one is removed, and
    whatever else the JSON field holds is kept as it was."""

    names_in_other_languages: tuple[str, str] | None = None

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        if self.names_in_other_languages is None:
            return
        column, json_field = self.names_in_other_languages
        model_field = self._meta.model._meta.get_field(column)
        stored = getattr(self.instance, json_field) or {}
        labels = dict(settings.LANGUAGES)
        for key in OTHER_LANGUAGES:
            code = _INTERFACE_CODE.get(key, key)
            field = forms.CharField(
                label=labels.get(code, key), required=False,
                max_length=getattr(model_field, "max_length", None),
                initial=stored.get(key, ""),
                widget=forms.TextInput(attrs={"lang": code, "dir": "auto"}))
            field.other_language = key  # type: ignore[attr-defined]  # for the template
            self.fields[self._key(key)] = field

    def _key(self, language: str) -> str:
        assert self.names_in_other_languages is not None
        return f"{self.names_in_other_languages[1]}_{language}"

    @property
    def main_fields(self) -> list[Any]:
        return [f for f in self.visible_fields() if not hasattr(f.field, "other_language")]

    @property
    def other_languages_legend(self) -> str:
        assert self.names_in_other_languages is not None
        field = self._meta.model._meta.get_field(self.names_in_other_languages[1])
        return str(field.verbose_name)

    @property
    def other_language_fields(self) -> list[Any]:
        return [f for f in self.visible_fields() if hasattr(f.field, "other_language")]

    def clean(self) -> dict[str, Any]:
        # Before the model form copies its fields onto the instance, which leaves the JSON
        # field (not one of them) as set here.
        cleaned = super().clean() or self.cleaned_data
        if self.names_in_other_languages is not None:
            json_field = self.names_in_other_languages[1]
            typed = {key: cleaned[self._key(key)]
                     for key in OTHER_LANGUAGES if self._key(key) in cleaned}
            setattr(self.instance, json_field,
                    merged_names(getattr(self.instance, json_field), typed))
        return cleaned

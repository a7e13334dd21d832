"""Form helpers shared by every app's pages."""

from typing import Any

from django import forms
from django.core.exceptions import NON_FIELD_ERRORS, ValidationError

from peacebuild.lib.ids import parse_id


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

"""Model fields for identifying data: sealed at rest (`SealedTextField`) and found again by
exact match through a keyed blind index (`BlindIndexField`).

A sealed field supports no lookups but `isnull`: the database holds only ciphertext, so a
filter on it could never match; look people up through their blind index instead:
`Person.objects.filter(name_index=blind_index_of(Person, "name", "Rustam Nazarov"))`.
"""

from __future__ import annotations

from typing import Any

from django.db import models
from django.db.models import Lookup

from .crypto import keyring


def label_of(model: type[models.Model], field_name: str) -> str:
    return f"{model._meta.label}.{field_name}"


class SealedTextField(models.TextField):
    description = "Text sealed at rest (AES-256-GCM)"

    @property
    def label(self) -> str:
        return label_of(self.model, self.name)

    def from_db_value(self, value: str | None, expression: Any, connection: Any) -> str | None:
        if not value:
            return value
        return keyring().open(value, self.label)

    def get_prep_value(self, value: Any) -> Any:
        value = super().get_prep_value(value)
        if value is None or value == "":
            return value
        return keyring().seal(str(value), self.label)

    def get_lookup(self, lookup_name: str) -> type[Lookup[Any]] | None:
        if lookup_name == "isnull":
            return super().get_lookup(lookup_name)
        return None


class BlindIndexField(models.CharField):
    """The keyed blind index of another field of the same record, kept on every save."""

    description = "Keyed blind index (HMAC-SHA-256) of a sealed field"

    def __init__(self, *args: Any, source: str = "", **kwargs: Any) -> None:
        self.source = source
        kwargs.setdefault("max_length", 64)
        kwargs.setdefault("editable", False)
        kwargs.setdefault("blank", True)
        kwargs.setdefault("db_index", True)
        super().__init__(*args, **kwargs)

    def deconstruct(self) -> Any:
        name, path, args, kwargs = super().deconstruct()
        kwargs["source"] = self.source
        return name, path, args, kwargs

    def pre_save(self, model_instance: models.Model, add: bool) -> str:
        value = getattr(model_instance, self.source)
        index = blind_index_of(type(model_instance), self.source, value) if value else ""
        setattr(model_instance, self.attname, index)
        return index


def blind_index_of(model: type[models.Model], field_name: str, value: str) -> str:
    return keyring().blind_index(value, label_of(model, field_name))

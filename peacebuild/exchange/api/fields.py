"""Serializer fields that keep each request inside its token's office."""

from typing import Any, cast

from django.db.models import Model, QuerySet
from rest_framework import serializers

from peacebuild.accounts.models import User
from peacebuild.activities.models import Activity, Centre
from peacebuild.lib.ids import parse_id
from peacebuild.mandates.models import Document
from peacebuild.partners.models import Group, GroupMeeting, Organisation
from peacebuild.programmes.models import Benchmark, Indicator, Outcome, Output, Programme

# How a record reaches its office. Models not named here are shared reference data
# (places, activity types): every office uses the same rows.
OFFICE_PATHS: dict[type[Model], str] = {
    Document: "office", Organisation: "office", Group: "office", Programme: "office",
    Benchmark: "office", Centre: "office", Activity: "office",
    GroupMeeting: "group__office", Outcome: "programme__office",
    Output: "outcome__programme__office", Indicator: "output__outcome__programme__office",
    User: "memberships__office",
}


def office_of_request(context: dict[str, Any]) -> Any:
    request = context.get("request")
    return getattr(getattr(request, "_request", None), "office", None)


class OfficeRelated(serializers.PrimaryKeyRelatedField):
    """A record named by its id, looked for only in the request's office: another office's
    record is "does not exist", exactly like an id that names nothing."""

    def get_queryset(self) -> QuerySet[Any]:
        queryset = cast("QuerySet[Any]", super().get_queryset())
        path = OFFICE_PATHS.get(queryset.model)
        if path is None:
            return queryset
        office = office_of_request(self.context)
        return queryset.filter(**{path: office}) if office is not None else queryset.none()

    def to_internal_value(self, data: Any) -> Any:
        # An id no column holds (past 64 bits, "²", true) names nothing, before any query.
        if isinstance(data, bool) or parse_id(str(data)) is None:
            self.fail("does_not_exist", pk_value=data)
        return super().to_internal_value(data)

"""The machinery every endpoint shares: token scope, rate limits, keyset pages, and edits
that say which version of the record they change (If-Match, ETag)."""

from collections.abc import Callable
from typing import Any, ClassVar, cast

from django.core.exceptions import ValidationError
from django.db.models import Model, QuerySet
from django.http import HttpRequest
from django.utils.translation import gettext as _
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import status, viewsets
from rest_framework.pagination import BasePagination
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.serializers import BaseSerializer

from peacebuild.accounts.audit import EditConflict, snapshot, version_of
from peacebuild.accounts.permissions import require
from peacebuild.accounts.roles import Can
from peacebuild.lib.ids import parse_id
from peacebuild.mandates.models import Office

from .errors import PreconditionFailed, PreconditionRequired

DEFAULT_LIMIT = 50
MAX_LIMIT = 200


def page_limit(request: Request) -> int:
    raw = request.query_params.get("limit")
    if raw in (None, ""):
        return DEFAULT_LIMIT
    value = parse_id(raw)
    if value is None:
        raise ValidationError({"limit": _("Give a whole number from 1 to %(max)s.")
                               % {"max": MAX_LIMIT}})
    return min(value, MAX_LIMIT)


def id_page(qs: QuerySet[Any], after: str | None, size: int) -> tuple[list[Any], str | None]:
    """One page in id order after the cursor (the last id seen)."""
    qs = qs.order_by("pk")
    if after:
        pk = parse_id(after)
        if pk is None:
            raise ValidationError({"after": _("This cursor is broken; start from the first "
                                              "page.")})
        qs = qs.filter(pk__gt=pk)
    rows = list(qs[: size + 1])
    more = len(rows) > size
    rows = rows[:size]
    return rows, (str(rows[-1].pk) if more and rows else None)


class KeysetPagination(BasePagination):
    """How lists are paged, for the schema: `after` (a cursor) and `limit`; every list
    answers {"results": [...], "next_cursor": "...", "next": "<url>"}."""

    def get_schema_operation_parameters(self, view: Any) -> list[dict[str, Any]]:
        return [
            {"name": "after", "in": "query", "required": False, "schema": {"type": "string"},
             "description": "The cursor of the next page, as `next_cursor` of the page "
                            "before gave it."},
            {"name": "limit", "in": "query", "required": False,
             "schema": {"type": "integer", "minimum": 1},
             "description": f"Records per page (default {DEFAULT_LIMIT}, at most "
                            f"{MAX_LIMIT})."},
        ]

    def get_paginated_response_schema(self, schema: dict[str, Any]) -> dict[str, Any]:
        return {"type": "object", "required": ["results", "next_cursor", "next"],
                "properties": {"results": schema,
                               "next_cursor": {"type": ["string", "null"]},
                               "next": {"type": ["string", "null"], "format": "uri"}}}


IF_MATCH = OpenApiParameter(
    "If-Match", OpenApiTypes.STR, OpenApiParameter.HEADER, required=True,
    description="The record's version, as its ETag gave it. Without it: 428; when the "
                "record changed since: 412.")


def if_match(request: Request) -> str:
    raw = (request.headers.get("If-Match") or "").strip()
    if raw.startswith("W/"):
        raw = raw[2:]
    raw = raw.strip('"')
    if not raw or raw == "*":
        raise PreconditionRequired(
            _("Say which version you are changing: send If-Match with the record's ETag."))
    return raw


class OfficeViewSet(viewsets.GenericViewSet):
    """Records of the token's office.

    A subclass names how to list them (`rows`), how to reach one (`access`, the app's
    access function: 404 for another office's, 403 without the role) and, where the pages
    allow writes, the service that saves (`save`) or deletes (`remove`) one."""

    lookup_value_regex = "[0-9]{1,19}"
    pagination_class = KeysetPagination
    access: ClassVar[Callable[..., Any]]
    update_serializer_class: ClassVar[type[BaseSerializer[Any]] | None] = None

    # Reads

    @property
    def office(self) -> Office:
        return cast(Office, self.django_request.office)  # type: ignore[attr-defined]

    @property
    def django_request(self) -> HttpRequest:
        return self.request._request

    def rows(self, office: Office) -> QuerySet[Any]:
        raise NotImplementedError

    def get_queryset(self) -> QuerySet[Any]:
        if getattr(self, "swagger_fake_view", False):  # the schema generator's visit
            return cast("QuerySet[Any]", self.queryset)
        return self.rows(self.office)

    def get_object(self, write: bool = False) -> Any:
        pk = parse_id(str(self.kwargs.get("pk", "")))
        return type(self).access(self.django_request, pk, write=write)

    def get_serializer_class(self) -> type[BaseSerializer[Any]]:
        if self.action in ("update", "partial_update") and self.update_serializer_class:
            return self.update_serializer_class
        return super().get_serializer_class()

    def page(self, request: Request) -> tuple[list[Any], str | None]:
        return id_page(self.get_queryset(), request.query_params.get("after"),
                       page_limit(request))

    def paged(self, request: Request, rows: list[Any], cursor: str | None) -> Response:
        data = self.get_serializer(rows, many=True).data
        nxt = None
        if cursor:
            query = request.query_params.copy()
            query["after"] = cursor
            nxt = request.build_absolute_uri(f"{request.path}?{query.urlencode()}")
        return Response({"results": data, "next_cursor": cursor, "next": nxt})

    def state(self, obj: Any) -> dict[str, Any]:
        """What the record's edit version is made of (its service's "before")."""
        return snapshot(obj)

    def version(self, obj: Model) -> str:
        return version_of(self.state(obj))

    def with_etag(self, obj: Model, response: Response) -> Response:
        response["ETag"] = f'"{self.version(obj)}"'
        return response

    def list(self, request: Request) -> Response:
        rows, cursor = self.page(request)
        return self.paged(request, rows, cursor)

    def retrieve(self, request: Request, pk: Any = None) -> Response:
        obj = self.get_object()
        return self.with_etag(obj, Response(self.get_serializer(obj).data))

    # Writes (in the mixins below, each endpoint taking the ones its pages allow)

    write_capability: ClassVar[Can | None] = None

    def save(self, obj: Any, data: dict[str, Any], version: str | None) -> Any:
        """Call the app's service for the record, its fields set (new or stored)."""
        raise NotImplementedError

    def new(self, data: dict[str, Any]) -> Any:
        model = self.get_serializer_class().Meta.model  # type: ignore[attr-defined]
        fields = {k: v for k, v in data.items() if not _is_many(model, k)}
        if any(f.name == "office" for f in model._meta.concrete_fields):
            fields["office"] = self.office
        return model(**fields)

    def fresh(self, obj: Model) -> Any:
        return type(self).access(self.django_request, obj.pk)


class Create(OfficeViewSet):
    def create(self, request: Request) -> Response:
        if self.write_capability is not None:  # as the page's office_view(Can.X) would
            require(self.django_request, self.write_capability)
        serializer = self.get_serializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        data = dict(serializer.validated_data)
        obj = self.save(self.new(data), data, None)
        obj = self.fresh(obj)
        return self.with_etag(obj, Response(self.get_serializer(obj).data,
                                            status=status.HTTP_201_CREATED))


class Update(OfficeViewSet):
    def _update(self, request: Request, partial: bool) -> Response:
        obj = self.get_object(write=True)
        version = if_match(request)
        serializer = self.get_serializer(obj, data=request.data, partial=partial)
        serializer.is_valid(raise_exception=True)
        data = dict(serializer.validated_data)
        for name, value in data.items():
            if not _is_many(type(obj), name):
                setattr(obj, name, value)
        try:
            obj = self.save(obj, data, version)
        except EditConflict as conflict:
            changed = {k for k in data if conflict.current.get(k) != _plain(data[k])}
            raise PreconditionFailed(
                str(conflict.messages[0]),
                {k: [_("Changed by someone else since your version.")] for k in sorted(changed)},
                {k: conflict.current.get(k) for k in sorted(data) if k in conflict.current},
                conflict.version) from conflict
        obj = self.fresh(obj)
        return self.with_etag(obj, Response(self.get_serializer(obj).data))

    @extend_schema(parameters=[IF_MATCH])
    def update(self, request: Request, pk: Any = None) -> Response:
        return self._update(request, partial=False)

    @extend_schema(parameters=[IF_MATCH])
    def partial_update(self, request: Request, pk: Any = None) -> Response:
        return self._update(request, partial=True)


class Destroy(OfficeViewSet):
    def remove(self, obj: Any) -> None:
        raise NotImplementedError

    def destroy(self, request: Request, pk: Any = None) -> Response:
        obj = self.get_object(write=True)
        self.remove(obj)
        return Response(status=status.HTTP_204_NO_CONTENT)


def _is_many(model: type[Model], name: str) -> bool:
    return any(f.name == name for f in model._meta.many_to_many) or name == "attendance"


def _plain(value: Any) -> Any:
    """A value as a snapshot holds it (records as ids, dates as text)."""
    if isinstance(value, Model):
        return value.pk
    if isinstance(value, list | tuple):
        return sorted(_plain(v) for v in value) if all(
            isinstance(v, Model) for v in value) else value
    if hasattr(value, "isoformat"):
        return value.isoformat()
    return value

"""Shared by the API tests: a client that sends a token of a named user."""

from typing import Any

from django.test import Client

from peacebuild.accounts.permissions import SYSTEM
from peacebuild.exchange.api.services import token_create


class ApiClient:
    """A test client that sends `Authorization: Bearer <key>` and JSON."""

    def __init__(self, key: str | None) -> None:
        self.client = Client()
        self.headers = {"Authorization": f"Bearer {key}"} if key else {}

    def _send(self, method: str, path: str, data: Any = None, headers: dict[str, str] | None
              = None, **extra: Any) -> Any:
        call = getattr(self.client, method)
        all_headers = {**self.headers, **(headers or {})}
        if method in ("get", "delete", "head", "options"):
            return call(path, data, headers=all_headers, **extra)
        return call(path, data, content_type="application/json", headers=all_headers, **extra)

    def get(self, path: str, data: Any = None, **kw: Any) -> Any:
        return self._send("get", path, data, **kw)

    def post(self, path: str, data: Any = None, **kw: Any) -> Any:
        return self._send("post", path, data, **kw)

    def put(self, path: str, data: Any = None, **kw: Any) -> Any:
        return self._send("put", path, data, **kw)

    def patch(self, path: str, data: Any = None, **kw: Any) -> Any:
        return self._send("patch", path, data, **kw)

    def delete(self, path: str, data: Any = None, **kw: Any) -> Any:
        return self._send("delete", path, data, **kw)


def key_for(user: Any, office: Any, scope: str = "write") -> str:
    return token_create(actor=SYSTEM, user=user, office=office, name="test", scope=scope)[1]


def api_for(user: Any, office: Any, scope: str = "write") -> ApiClient:
    return ApiClient(key_for(user, office, scope) if user is not None else None)

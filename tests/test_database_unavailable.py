"""A lost database answers 503 "try again in a moment", in the visitor's language, with no
traceback, whether the connection fails while loading the session (before any view) or in
the view itself. The real outage (a server stopped and started again) is in
tests/test_replication.py."""

import pytest
from django.contrib.sessions.backends.db import SessionStore
from django.db import InterfaceError, OperationalError
from django.db.models.query import QuerySet
from django.test import Client

from conftest import login_verified


@pytest.fixture
def signed_in(users):
    return login_verified(Client(raise_request_exception=False), users["head"])


def _lost(*args, **kwargs):
    raise OperationalError("connection to server at 127.0.0.1 failed: Connection refused")


def _gone(*args, **kwargs):
    raise InterfaceError("connection already closed")


def test_lost_while_loading_the_session(signed_in, monkeypatch):
    monkeypatch.setattr(SessionStore, "_get_session_from_db", _lost)
    response = signed_in.get("/", headers={"Accept-Language": "fr"})
    assert response.status_code == 503 and response["Retry-After"]
    text = response.content.decode()
    assert "La base de données est injoignable" in text
    assert "Traceback" not in text and "127.0.0.1" not in text


def test_lost_on_any_query(signed_in, monkeypatch):
    assert signed_in.get("/").status_code == 200
    monkeypatch.setattr(QuerySet, "_fetch_all", _gone)
    response = signed_in.get("/activities/", headers={"Accept-Language": "ar"})
    assert response.status_code == 503
    assert 'dir="rtl"' in response.content.decode()
    assert "تعذّر الوصول إلى قاعدة البيانات" in response.content.decode()
    monkeypatch.undo()
    assert signed_in.get("/activities/").status_code == 200


def test_other_errors_stay_server_errors(signed_in, monkeypatch):
    def broken(*args, **kwargs):
        raise ValueError("a bug")

    monkeypatch.setattr(SessionStore, "_get_session_from_db", broken)
    assert signed_in.get("/").status_code == 500

"""One JSON line per request, with what an operator needs and nothing of the person."""

import datetime as dt
import json
import logging

import pytest
from django.http import HttpResponse
from django.test import RequestFactory

from peacebuild.deploy.logs import json_formatter, request_fields

NAME, EMAIL, PASSPORT = "Zarina Karimova", "zarina.k@example.org", "A12345678"


@pytest.fixture
def lines(caplog):
    caplog.set_level(logging.DEBUG)  # every logger, every level: nothing may leak anywhere
    caplog.set_level(logging.INFO, logger="peacebuild.requests")
    formatter = json_formatter()

    def read():
        return [formatter.format(record) for record in caplog.records]
    return read


def _requests(lines):
    parsed = [json.loads(line) for line in lines()]
    return [p for p in parsed if p.get("logger") == "peacebuild.requests"]


def test_one_line_per_request_with_its_facts(client_for, users, lines):
    client = client_for("viewer")
    response = client.get("/activities/", {"q": NAME}, HTTP_X_REQUEST_ID="req-0123456789")
    assert response["X-Request-ID"] == "req-0123456789"
    (line,) = [r for r in _requests(lines) if r["path"] == "/activities/"]
    assert line["method"] == "GET"
    assert line["status"] == response.status_code
    assert line["user_id"] == users["viewer"].pk
    assert line["request_id"] == "req-0123456789"
    assert isinstance(line["duration_ms"], float) and line["duration_ms"] > 0
    assert line["level"] == "INFO"
    # UTC, ISO 8601, whatever the office's TIME_ZONE: log stores sort servers' lines together.
    stamp = dt.datetime.fromisoformat(line["time"])
    assert stamp.utcoffset() == dt.timedelta(0)
    assert abs((dt.datetime.now(dt.UTC) - stamp).total_seconds()) < 60


def test_a_request_id_that_is_not_a_plain_token_is_replaced(client, db, lines):
    response = client.get("/login/", HTTP_X_REQUEST_ID=f"{NAME}\n{{evil}}")
    assert response["X-Request-ID"] != f"{NAME}\n{{evil}}"
    assert _requests(lines)[-1]["request_id"] == response["X-Request-ID"]
    assert _requests(lines)[-1]["user_id"] is None


def test_no_personal_data_or_case_content_in_any_log(client_for, users, lines):
    anonymous = client_for("anonymous")
    anonymous.post("/login/", {"username": EMAIL, "password": PASSPORT})  # a failed sign-in
    viewer = client_for("viewer")
    viewer.get("/activities/", {"q": NAME, "passport": PASSPORT})
    viewer.post("/activities/new/", {"title": NAME, "notes": f"{EMAIL} {PASSPORT}"})
    viewer.get("/no-such-page/", {"who": NAME})
    text = "\n".join(lines())
    assert _requests(lines), "the requests were logged"
    for value in (NAME, EMAIL, PASSPORT, users["viewer"].username, users["viewer"].email):
        if value:
            assert value not in text, value


def test_a_page_read_from_the_replica_says_so(db):
    # Set by lib/dbrouting.py for a page whose reads went to the standby (the real one:
    # peacebuild/deploy/tests/test_deploy_doc.py finds such a line in the server's log).
    request = RequestFactory().get("/api/partners/")
    request.request_id = "r" * 8
    assert "database" not in request_fields(request, HttpResponse(), 0.0)
    request.reads_from_replica = True
    assert request_fields(request, HttpResponse(), 0.0)["database"] == "replica"

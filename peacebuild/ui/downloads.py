"""File downloads for every app's pages: the spreadsheet files of `lib.spreadsheets` as
responses. Like the rest of the ui shell, this imports no domain app."""

from collections.abc import Iterable
from typing import Any, TypeVar

from django.http import HttpResponse, StreamingHttpResponse
from django.http.response import HttpResponseBase

from peacebuild.lib.spreadsheets import csv_lines, xlsx_bytes

R = TypeVar("R", bound=HttpResponseBase)
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def csv_download(rows: Iterable[Iterable[Any]], filename: str, *, stream: bool = False
                 ) -> HttpResponse | StreamingHttpResponse:
    """Rows as a CSV attachment; `stream` for exports too long to hold in memory."""
    lines = csv_lines(rows)
    response: HttpResponse | StreamingHttpResponse
    if stream:
        response = StreamingHttpResponse(lines, content_type="text/csv; charset=utf-8")
    else:
        response = HttpResponse("".join(lines), content_type="text/csv; charset=utf-8")
    return _attachment(response, filename)


def xlsx_download(rows: Iterable[Iterable[Any]], filename: str, *, title: str) -> HttpResponse:
    """Rows as an XLSX attachment of one sheet named `title`."""
    return _attachment(HttpResponse(xlsx_bytes(title, rows), content_type=XLSX), filename)


def _attachment(response: R, filename: str) -> R:
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response

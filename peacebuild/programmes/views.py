"""Results pages: parse the request, call a query or a service, render."""

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils.translation import gettext as _

from peacebuild.accounts.permissions import office_view


@office_view()
def dashboard(request: HttpRequest) -> HttpResponse:
    return render(request, "programmes/dashboard.html", {"crumbs": [(_("Results"), None)]})

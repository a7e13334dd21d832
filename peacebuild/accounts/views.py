from django.core.paginator import Paginator
from django.http import HttpResponse
from django.shortcuts import render
from django.utils.translation import gettext as _

from .models import AuditEntry
from .permissions import MemberRequest, office_view
from .queries import audit_entries, audit_models
from .roles import Can


@office_view(Can.VIEW_AUDIT)
def audit_log(request: MemberRequest) -> HttpResponse:
    office = request.office
    model = request.GET.get("model", "")
    action = request.GET.get("action", "")
    actor = request.GET.get("actor", "").strip()
    entries = audit_entries(office, model=model, action=action, actor=actor)
    page = Paginator(entries, 50).get_page(request.GET.get("page"))
    return render(request, "accounts/audit_log.html", {
        "page": page, "models": audit_models(office), "actions": AuditEntry.Action.choices,
        "model": model, "action": action, "actor": actor,
        "crumbs": [(_("Audit log"), "")],
    })

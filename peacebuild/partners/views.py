from django.core.paginator import Paginator
from django.http import HttpResponse
from django.shortcuts import render
from django.urls import reverse
from django.utils.translation import gettext as _

from peacebuild.accounts.permissions import MemberRequest, office_view
from peacebuild.accounts.roles import Can
from peacebuild.ui.formpages import form_page

from .forms import OrganisationForm
from .models import Group, Organisation
from .permissions import get_organisation_for_user
from .services import organisation_save


@office_view()
def organisation_list(request: MemberRequest) -> HttpResponse:
    kind = request.GET.get("kind", "")
    organisations = Organisation.objects.filter(office=request.office)
    if kind in Organisation.Kind.values:
        organisations = organisations.filter(kind=kind)
    q = request.GET.get("q", "").strip()
    if q:
        organisations = organisations.filter(name__icontains=q)
    page = Paginator(organisations.order_by("name", "id"), 50).get_page(request.GET.get("page"))
    groups = Group.objects.filter(office=request.office).prefetch_related("members")
    return render(request, "partners/organisation_list.html", {
        "page": page, "groups": groups, "kinds": Organisation.Kind.choices, "kind": kind,
        "q": q, "crumbs": [(_("Partners"), "")],
    })


def _form(request: MemberRequest, organisation: Organisation, heading: str) -> HttpResponse:
    return form_page(
        request, instance=organisation,
        make_form=lambda data, files, instance: OrganisationForm(data, instance=instance),
        save=lambda form, version: organisation_save(
            actor=request.user, organisation=form.instance, version=version),
        done=reverse("partners:list"), success=_("The organisation was saved."),
        context={"heading": heading, "cancel_url": reverse("partners:list"),
                 "crumbs": [(_("Partners"), reverse("partners:list")), (heading, "")]},
    )


@office_view(Can.EDIT_REFERENCE)
def organisation_create(request: MemberRequest) -> HttpResponse:
    return _form(request, Organisation(office=request.office), _("New partner organisation"))


@office_view(Can.EDIT_REFERENCE)
def organisation_edit(request: MemberRequest, pk: int) -> HttpResponse:
    organisation = get_organisation_for_user(request, pk, write=True)
    return _form(request, organisation, _("Edit partner organisation"))

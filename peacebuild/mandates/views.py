from django.core.paginator import Paginator
from django.http import HttpResponse
from django.shortcuts import render
from django.urls import reverse
from django.utils.translation import gettext as _

from peacebuild.accounts.permissions import MemberRequest, office_view
from peacebuild.accounts.roles import Can
from peacebuild.ui.formpages import form_page

from . import services
from .forms import DocumentForm, PeriodForm
from .models import Document, MandatePeriod
from .permissions import get_document_for_user, get_period_for_user


def _documents_crumb() -> tuple[str, str]:
    return (_("Documents"), reverse("mandates:documents"))


@office_view()
def document_list(request: MemberRequest) -> HttpResponse:
    documents = Document.objects.filter(office=request.office).order_by("-dated_on", "-id")
    page = Paginator(documents, 50).get_page(request.GET.get("page"))
    return render(request, "mandates/document_list.html",
                  {"page": page, "crumbs": [(_("Documents"), "")]})


@office_view()
def document_detail(request: MemberRequest, pk: int) -> HttpResponse:
    document = get_document_for_user(request, pk)
    return render(request, "mandates/document_detail.html", {
        "document": document,
        "periods": document.periods.all(),
        "crumbs": [_documents_crumb(), (document.symbol or document.title, "")],
    })


def _document_form(request: MemberRequest, document: Document, heading: str) -> HttpResponse:
    return form_page(
        request, instance=document,
        make_form=lambda data, files, instance: DocumentForm(data, files, instance=instance),
        save=lambda form, version: services.document_save(
            actor=request.user, document=form.instance, version=version),
        done=lambda saved: reverse("mandates:document", args=[saved.pk]),
        success=_("The document was saved."),
        context={"heading": heading, "cancel_url": reverse("mandates:documents"),
                 "crumbs": [_documents_crumb(), (heading, "")]},
    )


@office_view(Can.EDIT_REFERENCE)
def document_create(request: MemberRequest) -> HttpResponse:
    return _document_form(request, Document(office=request.office), _("New document"))


@office_view(Can.EDIT_REFERENCE)
def document_edit(request: MemberRequest, pk: int) -> HttpResponse:
    document = get_document_for_user(request, pk, write=True)
    return _document_form(request, document, _("Edit document"))


def _period_form(request: MemberRequest, period: MandatePeriod, heading: str) -> HttpResponse:
    return form_page(
        request, instance=period,
        make_form=lambda data, files, instance: PeriodForm(data, instance=instance,
                                                           office=request.office),
        save=lambda form, version: services.period_save(
            actor=request.user, period=form.instance, version=version),
        done=reverse("ui:home"), success=_("The mandate period was saved."),
        context={"heading": heading, "cancel_url": reverse("ui:home"),
                 "crumbs": [(_("Mandate"), reverse("ui:home")), (heading, "")]},
    )


@office_view(Can.EDIT_MANDATE)
def period_create(request: MemberRequest) -> HttpResponse:
    return _period_form(request, MandatePeriod(office=request.office), _("New mandate period"))


@office_view(Can.EDIT_MANDATE)
def period_edit(request: MemberRequest, pk: int) -> HttpResponse:
    period = get_period_for_user(request, pk, write=True)
    return _period_form(request, period, _("Edit mandate period"))

from typing import Any, cast
from urllib.parse import quote, urlencode

import segno
from django.conf import settings
from django.contrib import messages
from django.contrib.auth import logout
from django.contrib.auth.decorators import login_required
from django.contrib.auth.forms import PasswordChangeForm
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseNotAllowed
from django.http.response import HttpResponseBase
from django.shortcuts import redirect, render, resolve_url
from django.utils import timezone
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.cache import never_cache
from django.views.decorators.csrf import csrf_protect
from django.views.decorators.debug import sensitive_post_parameters

from . import services
from .forms import CodeForm, EnrolForm, ReauthForm, SignInForm
from .models import AuditEntry, User
from .permissions import (
    MemberRequest,
    is_verified,
    office_view,
    reauth_redirect,
    reauth_required,
)
from .queries import (
    audit_entries,
    audit_models,
    office_accounts,
    office_member,
    recovery_codes_left,
    totp_device_of,
    two_factor_required,
)
from .roles import Can

# Wrong passwords on the re-authentication page before the session is ended.
REAUTH_TRIES = 5


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


def _next(request: HttpRequest, default: str = settings.LOGIN_REDIRECT_URL) -> str:
    """The page to go on to, if it is one of ours."""
    target = request.POST.get("next") or request.GET.get("next") or ""
    if not target.startswith("/") or "\x00" in target or not url_has_allowed_host_and_scheme(
            target, allowed_hosts={request.get_host()}, require_https=request.is_secure()):
        return resolve_url(default)
    return target


def _user(request: HttpRequest) -> User:
    return cast(User, request.user)


# Signing in


@sensitive_post_parameters("password")
@csrf_protect
@never_cache
def sign_in(request: HttpRequest) -> HttpResponse:
    """The first step: user name and password (django-axes counts the failures and locks
    the user name out from that address after settings.AXES_FAILURE_LIMIT of them)."""
    form = SignInForm(request, data=request.POST if request.method == "POST" else None)
    if request.method == "POST":
        if form.is_valid():
            user = form.get_user()
            services.sign_in(request, user)
            nxt = _next(request)
            if totp_device_of(user) is not None:
                return redirect(f"{resolve_url('accounts:verify')}?{urlencode({'next': nxt})}")
            if two_factor_required(user):
                return redirect(f"{resolve_url('accounts:enrol')}?{urlencode({'next': nxt})}")
            return redirect(nxt)
        username = str(request.POST.get("username", ""))
        if username:
            services.sign_in_refused(request, username,
                                     locked_out=bool(getattr(request, "axes_locked_out", False)))
    return render(request, "registration/login.html", {"form": form, "next": _next(request)})


def locked_out(request: HttpRequest, original_response: Any = None,
               credentials: Any = None) -> HttpResponse:
    """django-axes' answer to a sign-in while the user name is locked out (its
    AXES_LOCKOUT_CALLABLE): when to try again, and who can unlock sooner."""
    until = timezone.localtime(timezone.now() + settings.AXES_COOLOFF_TIME)
    return render(request, "accounts/locked_out.html", {
        "until": until, "minutes": int(settings.AXES_COOLOFF_TIME.total_seconds() // 60),
    }, status=429)


@login_required
@never_cache
def verify(request: HttpRequest) -> HttpResponse:
    """The second step: a code from the authenticator app, or a recovery code."""
    user = _user(request)
    if is_verified(request) or totp_device_of(user) is None:
        return redirect(_next(request))
    form = CodeForm(request.POST if request.method == "POST" else None)
    if form.is_valid():
        if services.second_factor_verify(request=request, user=user,
                                         code=form.cleaned_data["code"]):
            left = recovery_codes_left(user)
            if left <= 3:
                messages.warning(request, ngettext(
                    "Only %(count)s recovery code is left: make new ones on the Account "
                    "security page.",
                    "Only %(count)s recovery codes are left: make new ones on the Account "
                    "security page.", left) % {"count": left})
            return redirect(_next(request))
        form.add_error("code", _("This code is not valid, or was already used. Wait for the "
                                 "next code and try again."))
    return render(request, "accounts/verify.html", {"form": form, "next": _next(request)})


# The second factor


def _otpauth_uri(user: User, key_hex: str) -> str:
    from base64 import b32encode
    from binascii import unhexlify

    secret = b32encode(unhexlify(key_hex)).decode().rstrip("=")
    issuer = settings.OTP_TOTP_ISSUER
    label = quote(f"{issuer}:{user.get_username()}")
    query = urlencode({"secret": secret, "issuer": issuer, "algorithm": "SHA1", "digits": 6,
                       "period": 30})
    return f"otpauth://totp/{label}?{query}"


def _grouped(secret: str) -> str:
    return " ".join(secret[i:i + 4] for i in range(0, len(secret), 4))


@login_required
@never_cache
def enrol(request: HttpRequest) -> HttpResponse:
    """Set up the authenticator: scan the QR code (or type the secret), confirm with a
    code; the ten recovery codes are then shown once."""
    user = _user(request)
    if totp_device_of(user) is not None:
        messages.info(request, _("Two-factor authentication is already set up for your "
                                 "account."))
        return redirect("accounts:security")
    key = services.pending_key(request)
    form = EnrolForm(request.POST if request.method == "POST" else None)
    if form.is_valid():
        codes = services.totp_enrol(request=request, user=user, code=form.cleaned_data["code"])
        if codes is not None:
            return render(request, "accounts/recovery_codes.html", {
                "codes": codes, "next": _next(request, "accounts:security"), "enrolled": True})
        form.add_error("code", _("This code does not match. Check that the app shows "
                                 "Peacebuild and that your phone's clock is right, then try "
                                 "the next code."))
    uri = _otpauth_uri(user, key)
    secret = uri.split("secret=")[1].split("&")[0]
    qr = segno.make(uri, error="m").svg_inline(
        scale=4, dark="#1a1a1a", light="#ffffff", title=_("QR code to scan with the app"))
    return render(request, "accounts/enrol.html", {
        "form": form, "qr": qr, "secret": _grouped(secret), "next": _next(request),
        "required": two_factor_required(user),
    })


@login_required
@never_cache
def security(request: HttpRequest) -> HttpResponse:
    user = _user(request)
    device = totp_device_of(user)
    return render(request, "accounts/security.html", {
        "device": device, "codes_left": recovery_codes_left(user) if device else 0,
        "required": two_factor_required(user),
        "idle_minutes": settings.HUMAN_RIGHTS_IDLE_TIMEOUT // 60,
    })


@reauth_required()
@never_cache
def recovery_codes(request: HttpRequest) -> HttpResponse:
    user = _user(request)
    if totp_device_of(user) is None:
        return redirect("accounts:security")
    if request.method == "POST":
        codes = services.recovery_codes_renew(request=request, user=user)
        return render(request, "accounts/recovery_codes.html", {
            "codes": codes, "next": resolve_url("accounts:security")})
    return render(request, "accounts/confirm.html", {
        "title": _("New recovery codes"),
        "text": _("Ten new recovery codes replace the ones you have: the old ones stop "
                  "working at once."),
        "button": _("Make new recovery codes"), "danger": False,
    })


@reauth_required()
@never_cache
def two_factor_disable(request: HttpRequest) -> HttpResponse:
    user = _user(request)
    if totp_device_of(user) is None:
        return redirect("accounts:security")
    required = two_factor_required(user)
    if request.method == "POST":
        services.two_factor_disable(request=request, user=user)
        if required:
            messages.info(request, _("Your authenticator was removed. Your role requires "
                                     "two-factor authentication: set up the new one now."))
            return redirect("accounts:enrol")
        messages.success(request, _("Two-factor authentication is off for your account."))
        return redirect("accounts:security")
    text = (_("Your authenticator and recovery codes will stop working. Your role requires "
              "two-factor authentication, so you will set up a new authenticator at once.")
            if required else
            _("Your authenticator and recovery codes will stop working, and signing in will "
              "ask for your password only."))
    return render(request, "accounts/confirm.html", {
        "title": _("Turn off two-factor authentication") if not required
        else _("Replace your authenticator"),
        "text": text, "button": _("Remove the authenticator"), "danger": True,
    })


@login_required
@never_cache
@sensitive_post_parameters("password", "code")
def reauth(request: HttpRequest) -> HttpResponseBase:
    """Confirm it is still you: the password again, and the code when you have an
    authenticator. Too many wrong tries end the session."""
    user = _user(request)
    needs_code = totp_device_of(user) is not None
    form = ReauthForm(request.POST if request.method == "POST" else None, needs_code=needs_code)
    if form.is_valid():
        if services.reauthenticate(request=request, user=user,
                                   password=form.cleaned_data["password"],
                                   code=form.cleaned_data.get("code", "")):
            request.session.pop("reauth_failures", None)
            return redirect(_next(request, "accounts:security"))
        failures = int(request.session.get("reauth_failures", 0)) + 1
        if failures >= REAUTH_TRIES:
            logout(request)
            return redirect("login")
        request.session["reauth_failures"] = failures
        form.add_error(None, _("The password or the code is not right."))
    return render(request, "accounts/reauth.html", {"form": form, "next": _next(request)})


# A head of office and the office's accounts


@office_view(Can.MANAGE_ACCOUNTS)
def people(request: MemberRequest) -> HttpResponse:
    return render(request, "accounts/people.html", {
        "members": office_accounts(request.office),
        "cooloff_minutes": int(settings.AXES_COOLOFF_TIME.total_seconds() // 60),
        "crumbs": [(_("Accounts of the office"), "")],
    })


@office_view(Can.MANAGE_ACCOUNTS)
@never_cache
def reset_second_factor(request: MemberRequest, pk: int) -> HttpResponseBase:
    member = office_member(request.office, pk)
    if member is None:
        raise Http404
    again = reauth_redirect(request)
    if again is not None:
        return again
    if request.method == "POST":
        services.two_factor_reset(actor=request.user, office=request.office, user=member,
                                  request=request)
        messages.success(request, _("The second factor of %(name)s was reset: they set up a "
                                    "new authenticator when they next sign in.")
                         % {"name": member.get_full_name() or member.get_username()})
        return redirect("accounts:people")
    return render(request, "accounts/confirm.html", {
        "title": _("Reset two-factor authentication"),
        "text": _("%(name)s's authenticator and recovery codes will stop working and they "
                  "will be signed out everywhere. They set up a new authenticator when they "
                  "next sign in.") % {"name": member.get_full_name() or member.get_username()},
        "button": _("Reset"), "danger": True,
        "crumbs": [(_("Accounts of the office"), resolve_url("accounts:people")),
                   (member.get_username(), "")],
    })


@office_view(Can.MANAGE_ACCOUNTS)
def unlock(request: MemberRequest, pk: int) -> HttpResponseBase:
    """Lift a member's lock-out before the cool-off ends (the locked-out page tells them to
    ask their head of office). POST only; a member of another office is a 404 first."""
    member = office_member(request.office, pk)
    if member is None:
        raise Http404
    if request.method != "POST":
        return HttpResponseNotAllowed(["POST"])
    services.account_unlock(actor=request.user, office=request.office, user=member,
                            request=request)
    messages.success(request, _("%(name)s can sign in again.")
                     % {"name": member.get_full_name() or member.get_username()})
    return redirect("accounts:people")


@login_required
@never_cache
@sensitive_post_parameters("old_password", "new_password1", "new_password2")
def password(request: HttpRequest) -> HttpResponse:
    form = PasswordChangeForm(_user(request), request.POST if request.method == "POST" else None)
    if form.is_valid():
        services.password_change(request=request, form=form)
        messages.success(request, _("Your password was changed. Your other sessions were "
                                    "signed out."))
        return redirect("accounts:security")
    return render(request, "accounts/password.html", {"form": form})

"""The second factor's pages (units/second_factor.py): verify at sign-in, enrol with a QR
code, the account's security page (enrol, disable) and the admin's reset on a person's page."""

from base64 import b32encode

import segno
from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from core import ratelimits
from core.errors import shown
from core.ratelimits import rate_limited
from units import second_factor, selectors
from units.forms import SecondFactorCodeForm
from units.permissions import can_manage_people

# A code is six digits: per account, 10 tries a minute on top of django-otp's doubling wait and
# the lockout after 5 wrong codes in a row; per address, as the login form.
CODE_LIMITS = (
    ratelimits.PUBLIC,
    ratelimits.Limit("30/m", method="POST"),
    ratelimits.Limit("10/m", method="POST", key=ratelimits.account),
)


def _next_url(request) -> str:
    target = request.POST.get("next") or request.GET.get("next") or ""
    allowed = url_has_allowed_host_and_scheme(
        target, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    )
    return target if allowed else "/"


@never_cache
@rate_limited("second_factor", *CODE_LIMITS)
@require_http_methods(["GET", "POST"])
def verify(request):
    if second_factor.session_state(request) != second_factor.VERIFY:
        return redirect(_next_url(request))
    form = SecondFactorCodeForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            result = second_factor.verify(user=request.user, code=form.cleaned_data["code"])
        except second_factor.SecondFactorError as error:
            form.add_error("code", shown(error))
        else:
            second_factor.mark_verified(request)
            if result.by_recovery_code:
                messages.warning(
                    request,
                    _("Kode pemulihan dipakai; tersisa %(n)s. Buat kode baru di Keamanan akun.")
                    % {"n": result.recovery_codes_left},
                )
            return redirect(_next_url(request))
    return render(
        request,
        "units/second_factor/verify.html",
        {"form": form, "next": _next_url(request)},
        status=400 if form.errors else 200,
    )


@never_cache
@rate_limited("second_factor", *CODE_LIMITS)
@require_http_methods(["GET", "POST"])
def enrol(request):
    if second_factor.has_device(request.user):
        return redirect("second_factor:security")
    device = second_factor.enrolment_start(user=request.user)
    form = SecondFactorCodeForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            codes = second_factor.enrolment_confirm(
                user=request.user, code=form.cleaned_data["code"]
            )
        except second_factor.SecondFactorError as error:
            form.add_error("code", shown(error))
        else:
            second_factor.mark_verified(request)
            return render(
                request,
                "units/second_factor/recovery_codes.html",
                {"codes": codes, "next": _next_url(request)},
            )
    return render(
        request,
        "units/second_factor/enrol.html",
        {
            "form": form,
            "qr_svg": segno.make(device.config_url, error="m").svg_inline(scale=4),
            "secret": _grouped(device),
            "required": second_factor.is_required(request.user),
            "next": _next_url(request),
        },
        status=400 if form.errors else 200,
    )


def _grouped(device) -> str:
    """The base32 secret for typing into the app, in groups of four."""
    secret = b32encode(device.bin_key).decode().rstrip("=")
    return " ".join(secret[i : i + 4] for i in range(0, len(secret), 4))


@never_cache
@require_GET
def security(request):
    user = request.user
    return render(
        request,
        "units/second_factor/security.html",
        {
            "enrolled": second_factor.has_device(user),
            "required": second_factor.is_required(user),
            "codes_left": second_factor.recovery_codes_left(user),
            "form": SecondFactorCodeForm(),
        },
    )


@never_cache
@rate_limited("second_factor", *CODE_LIMITS)
@require_POST
def recovery_codes(request):
    form = SecondFactorCodeForm(request.POST)
    if form.is_valid():
        try:
            codes = second_factor.recovery_codes_renew(
                user=request.user, code=form.cleaned_data["code"]
            )
        except second_factor.SecondFactorError as error:
            messages.error(request, shown(error))
        else:
            context = {"codes": codes, "next": reverse("second_factor:security")}
            return render(request, "units/second_factor/recovery_codes.html", context)
    else:
        messages.error(request, _("Masukkan kode dari aplikasi autentikator."))
    return redirect("second_factor:security")


@rate_limited("second_factor", *CODE_LIMITS)
@require_POST
def disable(request):
    form = SecondFactorCodeForm(request.POST)
    if form.is_valid():
        try:
            second_factor.disable(user=request.user, code=form.cleaned_data["code"])
        except second_factor.SecondFactorError as error:
            messages.error(request, shown(error))
        else:
            messages.success(request, _("Faktor kedua dimatikan."))
    else:
        messages.error(request, _("Masukkan kode dari aplikasi autentikator."))
    return redirect("second_factor:security")


@require_POST
def reset(request, pk):
    if not can_manage_people(request.user):
        raise PermissionDenied
    person = selectors.person_for_user(request.user, pk)
    second_factor.reset(person=person, by=request.user)  # 403 unless can_change_person
    messages.success(request, _("Faktor kedua pengguna diatur ulang."))
    return redirect("units:person", pk=person.pk)

"""The pages around the API: a person's own tokens (akun/token-api/) and the admin's service
accounts (layanan-api/).

A new token is shown once, in the page that answers the POST which made it (no redirect: it
never travels in a URL, a message, the session or a log), and that page is never stored by
a browser or proxy. Writes are counted per account by core.middleware.AccountWriteLimitMiddleware
like every other page's.
"""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.cache import add_never_cache_headers
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from api import services
from api.forms import ServiceAccountForm, TokenForm
from api.models import ApiToken, ServiceAccount
from core.errors import UnitsError, shown
from core.pagination import page_of
from units import permissions


def _shown_once(request, template: str, context: dict, raw: str | None):
    """The page, with the new token when one was just made: never cached anywhere."""
    context["raw_token"] = raw
    if raw is not None:
        context["api_base"] = request.build_absolute_uri("/api/v1/")
    response = render(request, template, context, status=200)
    add_never_cache_headers(response)
    return response


@require_http_methods(["GET", "POST"])
def tokens(request):
    """The signed-in person's tokens; a POST makes one and shows it once."""
    form = TokenForm(request.POST or None)
    raw = None
    if request.method == "POST" and form.is_valid():
        try:
            _token, raw = services.token_create(
                user=request.user,
                name=form.cleaned_data["name"],
                expires_at=form.expires_at(),
                by=request.user,
            )
        except UnitsError as error:
            form.add_error(None, shown(error))
        else:
            form = TokenForm()
    page = page_of(ApiToken.objects.owned_by(request.user), request.GET.get("page"))
    return _shown_once(request, "api/tokens.html", {"form": form, "page": page}, raw)


@require_POST
def token_revoke(request, pk):
    token = get_object_or_404(ApiToken.objects.owned_by(request.user), pk=pk)  # 404 if not own
    services.token_revoke(token=token, by=request.user)
    messages.success(request, _("Token %(name)s dicabut.") % {"name": token.name})
    return redirect("api_tokens:tokens")


# --- service accounts: Admin nasional only ---


def _require_admin(request) -> None:
    if not permissions.is_admin(request.user):
        raise PermissionDenied


def _account(request, pk) -> ServiceAccount:
    _require_admin(request)
    return get_object_or_404(ServiceAccount.objects.select_related("user"), pk=pk)


@require_GET
def service_accounts(request):
    _require_admin(request)
    page = page_of(ServiceAccount.objects.for_list(), request.GET.get("page"))
    return render(request, "api/service_accounts.html", {"page": page})


@require_http_methods(["GET", "POST"])
def service_account_create(request):
    _require_admin(request)
    form = ServiceAccountForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            account = services.service_account_create(
                full_name=form.cleaned_data["full_name"],
                email=form.cleaned_data["email"],
                description=form.cleaned_data["description"],
                role=form.cleaned_data["role"],
                unit=form.cleaned_data["unit_code"],
                by=request.user,
            )
        except UnitsError as error:
            form.add_error(None, shown(error))
        else:
            messages.success(request, _("Akun layanan dibuat. Terbitkan tokennya di bawah."))
            return redirect("api_tokens:service_account", pk=account.pk)
    return render(request, "api/service_account_form.html", {"form": form})


@require_http_methods(["GET", "POST"])
def service_account_detail(request, pk):
    """The account, its scope and tokens; a POST issues a token and shows it once."""
    account = _account(request, pk)
    form = TokenForm(request.POST or None, allow_never=True)
    raw = None
    if request.method == "POST" and form.is_valid():
        try:
            _token, raw = services.service_token_create(
                account=account,
                name=form.cleaned_data["name"],
                expires_at=form.expires_at(),
                by=request.user,
            )
        except UnitsError as error:
            form.add_error(None, shown(error))
        else:
            form = TokenForm(allow_never=True)
    context = {
        "account": account,
        "form": form,
        "memberships": account.user.memberships.select_related("unit").order_by("role"),
        "page": page_of(ApiToken.objects.owned_by(account.user), request.GET.get("page")),
    }
    return _shown_once(request, "api/service_account_detail.html", context, raw)


@require_POST
def service_token_revoke(request, pk, token_pk):
    account = _account(request, pk)
    token = get_object_or_404(ApiToken.objects.owned_by(account.user), pk=token_pk)
    services.token_revoke(token=token, by=request.user)
    messages.success(request, _("Token %(name)s dicabut.") % {"name": token.name})
    return redirect("api_tokens:service_account", pk=account.pk)


@require_POST
def service_account_deactivate(request, pk):
    account = _account(request, pk)
    services.service_account_deactivate(account=account, by=request.user)
    messages.success(request, _("Akun layanan dinonaktifkan; semua tokennya dicabut."))
    return redirect("api_tokens:service_account", pk=account.pk)

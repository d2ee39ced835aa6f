"""The SSO pages (units/oidc.py): start, callback, and the portal's one logout.

The start and callback pages answer 404 while SSO is off (ZI_OIDC_CLIENT_ID empty). Both are
reachable without login and rate-limited with the login form (zi_portal/urls.py).
"""

from __future__ import annotations

import logging
from urllib.parse import urlencode

import requests
from django.conf import settings
from django.contrib import auth, messages
from django.contrib.auth import views as auth_views
from django.core.exceptions import SuspiciousOperation
from django.http import Http404, HttpResponseRedirect
from django.urls import reverse
from mozilla_django_oidc import views as oidc_views

from units import oidc, second_factor

log = logging.getLogger(__name__)


class _OnlyWhenEnabled:
    def dispatch(self, request, *args, **kwargs):
        if not oidc.enabled():
            raise Http404
        return super().dispatch(request, *args, **kwargs)


class SignInStart(_OnlyWhenEnabled, oidc_views.OIDCAuthenticationRequestView):
    """Sends the browser to the provider's authorization endpoint (state, nonce, PKCE)."""


class SignInCallback(_OnlyWhenEnabled, oidc_views.OIDCAuthenticationCallbackView):
    """The provider sends the browser back here with a code; the backend decides who it is."""

    @property
    def failure_url(self):
        return reverse("login")

    def get(self, request):
        if request.GET.get("error"):
            return self._provider_error(request)
        try:
            return super().get(request)
        except (SuspiciousOperation, requests.RequestException) as error:
            # A stale or replayed state, a provider that is down, a token that does not verify.
            log.warning("SSO callback failed: %s", error)
            setattr(request, oidc.REFUSAL, "failed")
            return self.login_failure()

    def _provider_error(self, request):
        """The provider answered with an error (the person cancelled, no consent...). Unlike
        the library, which signs out whoever follows /oidc/callback/?error=x (a link on any
        site could log people out), only a sign-in this session started ends: its state is
        used up, and a session that was signed in is signed out as the library does."""
        states = request.session.get("oidc_states") or {}
        state = request.GET.get("state")
        if state and state in states:
            del states[state]
            request.session["oidc_states"] = states
            if request.user.is_authenticated:
                auth.logout(request)
        log.info("SSO provider answered with an error: %s", request.GET.get("error")[:100])
        setattr(request, oidc.REFUSAL, "failed")
        return self.login_failure()

    def login_failure(self):
        reason = getattr(self.request, oidc.REFUSAL, "failed")
        messages.error(self.request, oidc.REFUSALS[reason])
        return HttpResponseRedirect(self.failure_url)

    def login_success(self):
        # Always a fresh login (a new session key), unlike the library's "same user, keep the
        # session": the second factor's state is worked out again (units.second_factor.on_login).
        auth.login(self.request, self.user)
        # After auth.login, whose user_logged_in receiver (units.second_factor.on_login) drops
        # any ID token a password login must not inherit.
        id_token = getattr(self.request, oidc.ID_TOKEN, None)
        if id_token:
            self.request.session[oidc.SESSION_ID_TOKEN] = id_token
        if settings.ZI_OIDC_TRUST_AMR and oidc.has_mfa(getattr(self.request, oidc.AMR, None)):
            # After auth.login: its user_logged_in receiver clears the flag.
            self.request.session[second_factor.PROVIDER_FLAG] = True
        return HttpResponseRedirect(self.success_url)


class PortalLoginView(auth_views.LoginView):
    """Django's login form, and the SSO button when SSO is on."""

    def get_context_data(self, **kwargs):
        return {**super().get_context_data(**kwargs), "sso_enabled": oidc.enabled()}


class PortalLogoutView(auth_views.LogoutView):
    """The portal's one logout: ends the portal session and, for a session begun with SSO when
    the provider has an end_session endpoint, the provider's too (RP-initiated logout)."""

    def post(self, request, *args, **kwargs):
        id_token = request.session.get(oidc.SESSION_ID_TOKEN)
        response = super().post(request, *args, **kwargs)
        endpoint = settings.ZI_OIDC_END_SESSION_ENDPOINT
        if not (id_token and endpoint and oidc.enabled()):
            return response
        query = urlencode(
            {
                "id_token_hint": id_token,
                "client_id": settings.OIDC_RP_CLIENT_ID,
                "post_logout_redirect_uri": request.build_absolute_uri(reverse("login")),
            }
        )
        return HttpResponseRedirect(f"{endpoint}{'&' if '?' in endpoint else '?'}{query}")

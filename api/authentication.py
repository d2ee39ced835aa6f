"""`Authorization: Bearer zi_…` for other systems; the browser's session for people reading
the docs or trying the API while signed in (DRF's, which asks for the CSRF token on writes)."""

from __future__ import annotations

from datetime import timedelta

from django.utils import timezone
from django.utils.crypto import constant_time_compare
from django.utils.translation import gettext_lazy as _
from rest_framework import authentication, exceptions

from api.models import ApiToken
from api.tokens import digest_of, looks_like_token

LAST_USED_EVERY = timedelta(minutes=5)  # not a write per request


class BearerTokenAuthentication(authentication.BaseAuthentication):
    keyword = "Bearer"

    def authenticate(self, request):
        header = authentication.get_authorization_header(request).split()
        if not header or header[0].lower() != self.keyword.lower().encode():
            return None
        if len(header) != 2:
            raise exceptions.AuthenticationFailed(_("Header Authorization tidak sah."))
        try:
            raw = header[1].decode("ascii")
        except UnicodeDecodeError:
            raise exceptions.AuthenticationFailed(_("Token tidak sah.")) from None
        if not looks_like_token(raw):
            raise exceptions.AuthenticationFailed(_("Token tidak sah."))
        token = (
            ApiToken.objects.live()
            .select_related("user")
            .filter(digest=digest_of(raw), user__is_active=True)
            .first()
        )
        if token is not None and not constant_time_compare(
            token.auth_hash, token.user.get_session_auth_hash()
        ):
            token = None  # made before the owner's password changed
        if token is None:
            raise exceptions.AuthenticationFailed(
                _("Token tidak dikenal, sudah dicabut, atau kedaluwarsa.")
            )
        now = timezone.now()
        if token.last_used_at is None or now - token.last_used_at > LAST_USED_EVERY:
            ApiToken.objects.filter(pk=token.pk).update(last_used_at=now)
        return token.user, token

    def authenticate_header(self, request):
        return self.keyword  # so a missing or bad token is a 401, not a 403


class SessionAuthentication(authentication.SessionAuthentication):
    """The portal's session, but never for a service account (it has no pages)."""

    def authenticate(self, request):
        found = super().authenticate(request)
        if found and hasattr(found[0], "service_account"):
            return None
        return found

"""Request limits, counted in the shared cache like the pages' rate limits: per token (else
per person or address), per account over all its tokens (20 tokens may not make 20 times the
limit), and an account's writes with the pages' write limit (ZI_ACCOUNT_WRITE_RATE), which
the pages' middleware counts only for session callers. A counter only refuses; it never
decides what a response shows."""

from rest_framework.permissions import SAFE_METHODS
from rest_framework.throttling import SimpleRateThrottle

from core.ratelimits import client_ip


class TokenRateThrottle(SimpleRateThrottle):
    scope = "token"

    def get_cache_key(self, request, view):
        if request.auth is not None and hasattr(request.auth, "pk"):
            ident = f"t{request.auth.pk}"
        elif request.user and request.user.is_authenticated:
            ident = f"u{request.user.pk}"
        else:
            ident = client_ip(request)  # as the pages' limits and the lockout see it
        return self.cache_format % {"scope": self.scope, "ident": ident}


class AccountRateThrottle(SimpleRateThrottle):
    scope = "account"

    def get_cache_key(self, request, view):
        if not (request.user and request.user.is_authenticated):
            return None  # the anonymous are counted by address above
        return self.cache_format % {"scope": self.scope, "ident": f"u{request.user.pk}"}


class AccountWriteThrottle(AccountRateThrottle):
    scope = "account_write"

    def get_cache_key(self, request, view):
        if request.method in SAFE_METHODS:
            return None
        return super().get_cache_key(request, view)

"""Per-token (else per-person) request limits, counted in the shared cache like the pages'
rate limits. A counter only refuses; it never decides what a response shows."""

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

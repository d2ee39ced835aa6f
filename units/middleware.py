import time

from django.conf import settings
from django.contrib.auth import logout
from django.utils.cache import patch_cache_control

REFRESH_EVERY_SECONDS = 300


class IdleSessionMiddleware:
    """Ends sessions after SESSION_COOKIE_AGE without activity (8 hours), and in any case
    ZI_SESSION_MAX_SECONDS after they began (12 hours); pages of a signed-in person are never
    stored by the browser (a shared office PC keeps nothing after logout).

    Instead of saving the session on every request (a database write per page view), the expiry
    is pushed forward at most every five minutes, so the idle limit holds to within five minutes.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        session = getattr(request, "session", None)
        signed_in = session is not None and request.user.is_authenticated
        if signed_in:
            now = int(time.time())
            started = session.setdefault("_started", now)
            if now - started >= settings.ZI_SESSION_MAX_SECONDS:
                logout(request)  # the login page follows (LoginRequiredMiddleware)
                signed_in = False
            elif now - session.get("_touched", 0) >= REFRESH_EVERY_SECONDS:
                session["_touched"] = now  # marks the session modified: saved with a new expiry
        response = self.get_response(request)
        if signed_in and "Cache-Control" not in response:
            patch_cache_control(response, private=True, no_store=True)
        return response

import time

REFRESH_EVERY_SECONDS = 300


class IdleSessionMiddleware:
    """Ends sessions after SESSION_COOKIE_AGE without activity (8 hours).

    Instead of saving the session on every request (a database write per page view), the expiry
    is pushed forward at most every five minutes, so the idle limit holds to within five minutes.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        session = getattr(request, "session", None)
        if session is not None and request.user.is_authenticated:
            now = int(time.time())
            if now - session.get("_touched", 0) >= REFRESH_EVERY_SECONDS:
                session["_touched"] = now  # marks the session modified: saved with a new expiry
        return self.get_response(request)

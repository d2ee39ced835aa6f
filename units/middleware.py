import time

from django.conf import settings
from django.contrib.auth import logout
from django.http import JsonResponse
from django.shortcuts import redirect
from django.urls import reverse
from django.utils.cache import patch_cache_control
from django.utils.http import urlencode
from django.utils.translation import gettext as _

from units import second_factor
from units.sessions import REFRESH_EVERY_SECONDS


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


class SecondFactorMiddleware:
    """Holds a session that has not given its second factor to the verification page, and a
    session whose roles require one but has none to the enrolment page (units.second_factor),
    as LoginRequiredMiddleware does for the login page. Pages anyone may open without signing
    in, logging out and the language switch stay open.

    The API is left alone when the request carries a bearer token: the token (its secret,
    scope and expiry) is the API's factor, and DRF authenticates it in the view, not here. A
    session calling the API gets a 403 until the session is verified.
    """

    ALWAYS_OPEN = frozenset({"logout", "set_language"})
    PAGES = {
        second_factor.VERIFY: "second_factor:verify",
        second_factor.ENROL: "second_factor:enrol",
    }

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        return self.get_response(request)

    def process_view(self, request, view_func, view_args, view_kwargs):
        if not request.user.is_authenticated:
            return None
        view_name = request.resolver_match.view_name if request.resolver_match else ""
        api = view_name.startswith("api:")
        if api and request.headers.get("Authorization", "").lower().startswith("bearer "):
            return None
        # The API's views are all open to DRF's own authentication; its session one is held.
        if not api and not getattr(view_func, "login_required", True):
            return None
        page = self.PAGES.get(second_factor.session_state(request))
        if page is None or view_name == page or view_name in self.ALWAYS_OPEN:
            return None
        if api:
            return JsonResponse(
                {"detail": _("Masukkan kode faktor kedua di portal terlebih dahulu.")}, status=403
            )
        url = reverse(page)
        if request.method == "GET" and view_name != "home":
            url += "?" + urlencode({"next": request.get_full_path()})
        return redirect(url)

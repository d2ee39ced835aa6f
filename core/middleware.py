import auditlog.middleware
from django.conf import settings
from django.http import QueryDict
from django.middleware.gzip import GZipMiddleware
from django.shortcuts import render
from django.utils import translation

from core import ratelimits
from core.ratelimits import client_ip
from core.text import TextError, clean_text, has_control

API_PREFIX = "/api/"  # the API's paths (api/): no switch there, and never stored


class PortalLanguageMiddleware:
    """Indonesian first: the language is the one chosen with the switch (its cookie), else
    LANGUAGE_CODE. Unlike Django's LocaleMiddleware, the browser's Accept-Language is ignored:
    many office PCs run an English browser, and the portal speaks Indonesian unless asked.
    A program calling the API has no switch to use: there Accept-Language is what asks."""

    def __init__(self, get_response):
        self.get_response = get_response
        self.supported = {code for code, _name in settings.LANGUAGES}

    def __call__(self, request):
        chosen = request.COOKIES.get(settings.LANGUAGE_COOKIE_NAME)
        if chosen not in self.supported and request.path_info.startswith(API_PREFIX):
            chosen = self._accepted(request)
        language = chosen if chosen in self.supported else settings.LANGUAGE_CODE
        translation.activate(language)
        request.LANGUAGE_CODE = language
        response = self.get_response(request)
        response.headers.setdefault("Content-Language", language)
        return response

    def _accepted(self, request) -> str | None:
        header = request.headers.get("Accept-Language", "")[:200]
        for tag, _quality in translation.trans_real.parse_accept_lang_header(header):
            primary = tag.split("-")[0].lower()
            if primary in self.supported:
                return primary
        return None


class AuditlogMiddleware(auditlog.middleware.AuditlogMiddleware):
    """django-auditlog's middleware (actor and address of each change) with the client address
    that axes and the rate limits use: auditlog's own believes the first X-Forwarded-For entry,
    which any client can write."""

    @staticmethod
    def _get_remote_addr(request):
        return client_ip(request)


class AccountWriteLimitMiddleware:
    """Every state-changing request of a signed-in account counts against its write limit
    (core.ratelimits.ACCOUNT_WRITES); a view may add stricter limits of its own with
    `rate_limited` (report requests, uploads). Over the limit: 429 before the view runs."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        return self.get_response(request)

    def process_view(self, request, view_func, view_args, view_kwargs):
        if request.method not in ratelimits.WRITE_METHODS or not request.user.is_authenticated:
            return None
        return ratelimits.refusal(request, "account.writes", [ratelimits.ACCOUNT_WRITES])


class BoundaryTextMiddleware:
    """Text parameters are cleaned before any view or form sees them (core.text): a NUL byte
    is refused with a translated 400 (PostgreSQL cannot store or compare it: it was a 500 on
    several pages, and a transition note holding one was dropped silently), and other control
    characters are removed (tab and line breaks stay). Query strings and form bodies alike,
    except the body of a view exempt from CSRF middleware: such a view reads its own body (the
    evidence upload installs its size cap first), and its service cleans its text fields, as
    the imports and the command line do."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        return self.get_response(request)

    def process_view(self, request, view_func, view_args, view_kwargs):
        try:
            cleaned = _cleaned(request.GET)
            if cleaned is not None:
                request.GET = cleaned
            if request.method == "POST" and not getattr(view_func, "csrf_exempt", False):
                cleaned = _cleaned(request.POST)
                if cleaned is not None:
                    request.POST = cleaned
        except TextError:
            return render(request, "400_text.html", status=400)
        return None


def _cleaned(params: QueryDict) -> QueryDict | None:
    """A cleaned copy of `params`, or None when nothing needed cleaning (the usual case)."""
    if not any(has_control(key) or any(map(has_control, values)) for key, values in params.lists()):
        return None
    copy = QueryDict(mutable=True)
    for key, values in params.lists():
        copy.setlist(clean_text(key), [clean_text(value) for value in values])
    copy._mutable = False
    return copy


class DomainErrorMiddleware:
    """The one mapping of a domain error a view let through (core.errors): a missing
    permission is a 403; any other refusal goes back to the page the person came from (or
    home) with the message and its problems, so nothing ends in a 500."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        return self.get_response(request)

    def process_exception(self, request, exception):
        from django.contrib import messages
        from django.shortcuts import redirect

        from core.errors import DomainError, shown
        from core.http import safe_target

        if not isinstance(exception, DomainError):
            return None
        for text in (shown(exception), *exception.problems):
            messages.error(request, text)
        return redirect(safe_target(request, request.META.get("HTTP_REFERER", ""), "/"))


class PageGZipMiddleware(GZipMiddleware):
    """Compresses pages (HTML, JSON, text) for slow links; files (evidence, reports, static)
    leave as they are: they are streamed (a CSV report is text too), stored compressed or do
    not compress, and a download keeps its length."""

    COMPRESSED_TYPES = ("text/", "application/json")

    def process_response(self, request, response):
        if response.streaming or not response.get("Content-Type", "").startswith(
            self.COMPRESSED_TYPES
        ):
            return response
        return super().process_response(request, response)

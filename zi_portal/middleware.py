import auditlog.middleware
from django.conf import settings
from django.utils import translation

from zi_portal.ratelimits import client_ip


class PortalLanguageMiddleware:
    """Indonesian first: the language is the one chosen with the switch (its cookie), else
    LANGUAGE_CODE. Unlike Django's LocaleMiddleware, the browser's Accept-Language is ignored:
    many office PCs run an English browser, and the portal speaks Indonesian unless asked."""

    def __init__(self, get_response):
        self.get_response = get_response
        self.supported = {code for code, _name in settings.LANGUAGES}

    def __call__(self, request):
        chosen = request.COOKIES.get(settings.LANGUAGE_COOKIE_NAME)
        language = chosen if chosen in self.supported else settings.LANGUAGE_CODE
        translation.activate(language)
        request.LANGUAGE_CODE = language
        response = self.get_response(request)
        response.headers.setdefault("Content-Language", language)
        return response


class AuditlogMiddleware(auditlog.middleware.AuditlogMiddleware):
    """django-auditlog's middleware (actor and address of each change) with the client address
    that axes and the rate limits use: auditlog's own believes the first X-Forwarded-For entry,
    which any client can write."""

    @staticmethod
    def _get_remote_addr(request):
        return client_ip(request)

"""SSO tests against a real OpenID provider on loopback (tests/oidc_provider, run by
django-oauth-toolkit in a process of its own), the portal served by pytest-django's live
server, and a real HTTP client (requests, with its cookie jar) following the redirects."""

from __future__ import annotations

import html
import re
from urllib.parse import urlencode

import pytest
import requests

from tests.oidc_provider import fixtures as _op
from tests.oidc_provider.fixtures import (  # noqa: F401  (names the tests use)
    NIP_BUDI,
    NIP_TPN,
    NIP_UNKNOWN,
    Provider,
    configure_portal,
    password_of,
)

provider = _op.provider  # the session's provider process


@pytest.fixture
def sso(provider, settings):
    """The portal configured for the provider; cookies without Secure (the live server is
    plain http and requests, unlike Chromium, does not treat localhost as secure)."""
    configure_portal(settings, provider)
    settings.SESSION_COOKIE_SECURE = settings.CSRF_COOKIE_SECURE = False
    settings.SESSION_COOKIE_NAME, settings.CSRF_COOKIE_NAME = "zi_session", "zi_csrf"
    return provider


_CSRF = re.compile(r'name="csrfmiddlewaretoken" value="([^"]+)"')
_NEXT = re.compile(r'name="next" value="([^"]*)"')


class Browser:
    """A real HTTP client with a cookie jar, following redirects like a browser."""

    def __init__(self, portal: str, provider: Provider):
        self.portal, self.provider = portal, provider
        self.http = requests.Session()

    def get(self, path: str) -> requests.Response:
        return self.http.get(self.portal + path, timeout=20)

    def sso_sign_in(self, username: str, next_url: str = "") -> requests.Response:
        """Press "Masuk dengan SSO Kemenag", sign in at the provider if it asks; the page the
        browser ends on (also kept as `last`)."""
        query = f"?{urlencode({'next': next_url})}" if next_url else ""
        page = self.http.get(f"{self.portal}/oidc/authenticate/{query}", timeout=20)
        self.session_before = self.http.cookies.get("zi_session")  # holds the state and nonce
        if self.at_provider_login(page):
            token = _CSRF.search(page.text).group(1)
            page = self.http.post(
                page.url,
                data={
                    "csrfmiddlewaretoken": token,
                    "username": username,
                    "password": password_of(username),
                    "next": html.unescape(_NEXT.search(page.text).group(1)),
                },
                headers={"Referer": page.url},
                timeout=20,
            )
        self.last = page
        return page

    def at_provider_login(self, page: requests.Response) -> bool:
        return page.url.startswith(f"{self.provider.url}/accounts/login/")

    def log_out(self) -> requests.Response:
        home = self.get("/")
        token = _CSRF.search(home.text).group(1)
        return self.http.post(
            f"{self.portal}/accounts/logout/",
            data={"csrfmiddlewaretoken": token},
            headers={"Referer": f"{self.portal}/"},
            timeout=20,
        )

    def signed_in(self) -> bool:
        """The home page opens (an anonymous visitor is sent to the login page)."""
        return not self.get("/").url.startswith(f"{self.portal}/accounts/login/")


@pytest.fixture
def browser(live_server, sso):
    return Browser(live_server.url, sso)

"""SSO tests against a real OpenID provider on loopback (tests/oidc_provider, run by
django-oauth-toolkit in a process of its own), the portal served by pytest-django's live
server, and a real HTTP client (requests, with its cookie jar) following the redirects."""

from __future__ import annotations

import html
import json
import re
import subprocess
import sys
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import urlencode

import pytest
import requests

from tests.oidc_provider.serve import CLIENT_ID, CLIENT_SECRET

ROOT = Path(__file__).resolve().parents[2]
NIP_BUDI = "198501012010011001"
NIP_TPN = "197001012000031001"
NIP_UNKNOWN = "199912312020121001"

# The provider's people: username → password and the claims it sends about them.
PEOPLE = {
    # Known to the portal by NIP, under another e-mail there.
    "budi": {"email": "budi.sso@kemenag.go.id", "email_verified": True, "nip": NIP_BUDI,
             "name": "Budi dari SSO"},
    # Known by e-mail only (no NIP at the provider), written in another case.
    "sari": {"email": "Operator.A@Example.id", "email_verified": True, "name": "Sari"},
    # Unknown to the portal.
    "asing": {"email": "orang.asing@example.id", "email_verified": True, "nip": NIP_UNKNOWN,
              "name": "Orang Asing"},
    # The TPN persona, by NIP; `amr` set per test.
    "tpn": {"email": "tpn.sso@kemenag.go.id", "email_verified": True, "nip": NIP_TPN,
            "name": "Anggota TPN", "amr": ["pwd"]},
}  # fmt: skip


def password_of(username: str) -> str:
    return f"op-{username}-password"


@dataclass
class Provider:
    url: str
    people_file: Path

    @property
    def issuer(self) -> str:
        return f"{self.url}/o"

    def set_claims(self, username: str, **claims) -> None:
        people = json.loads(self.people_file.read_text())
        people[username]["claims"].update(claims)
        self.people_file.write_text(json.dumps(people))

    def reset(self) -> None:
        self.people_file.write_text(json.dumps(_people()))


def _people() -> dict:
    return {name: {"password": password_of(name), "claims": dict(c)} for name, c in PEOPLE.items()}


@pytest.fixture(scope="session")
def provider(live_server, tmp_path_factory):
    """The provider process, started once for the session on a free 127.0.0.1 port."""
    op_dir = tmp_path_factory.mktemp("oidc-provider")
    people_file = op_dir / "people.json"
    people_file.write_text(json.dumps(_people()))
    process = subprocess.Popen(  # noqa: S603
        [sys.executable, "-m", "tests.oidc_provider.serve", live_server.url],
        cwd=ROOT,
        env={"PATH": "/usr/bin:/bin", "ZI_TEST_OP_DIR": str(op_dir), "PYTHONPATH": str(ROOT)},
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    try:
        line = process.stdout.readline()  # blocks until READY (or the process died)
        if not line.startswith("READY "):
            process.kill()
            pytest.fail(f"the test provider did not start: {line}{process.stderr.read()}")
        port = int(line.split()[1])
        url = f"http://127.0.0.1:{port}"
        requests.get(f"{url}/o/.well-known/openid-configuration", timeout=10).raise_for_status()
        yield Provider(url=url, people_file=people_file)
    finally:
        process.terminate()
        process.wait(timeout=10)


@pytest.fixture
def sso(provider, settings):
    """The portal configured for the provider, as the README's settings would; cookies
    without Secure (the live server is plain http)."""
    provider.reset()
    settings.OIDC_RP_CLIENT_ID = CLIENT_ID
    settings.OIDC_RP_CLIENT_SECRET = CLIENT_SECRET
    settings.ZI_OIDC_ISSUER = provider.issuer
    settings.OIDC_OP_AUTHORIZATION_ENDPOINT = f"{provider.issuer}/authorize/"
    settings.OIDC_OP_TOKEN_ENDPOINT = f"{provider.issuer}/token/"
    settings.OIDC_OP_USER_ENDPOINT = f"{provider.issuer}/userinfo/"
    settings.OIDC_OP_JWKS_ENDPOINT = f"{provider.issuer}/.well-known/jwks.json"
    settings.ZI_OIDC_END_SESSION_ENDPOINT = f"{provider.issuer}/logout/"
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

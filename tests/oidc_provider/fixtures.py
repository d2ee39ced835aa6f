"""The test provider as a pytest fixture (tests/oidc/ and tests/e2e/ use it): its people, the
process started once per session on a free 127.0.0.1 port, and the portal's settings for it."""

from __future__ import annotations

import copy
import json
import subprocess
import sys
from dataclasses import dataclass
from pathlib import Path

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

    def set_clock(self, offset_seconds: int) -> None:
        """The provider's clock runs this many seconds ahead (negative: behind): the `iat`
        and `exp` of the ID tokens it issues move with it."""
        (self.people_file.parent / "clock.json").write_text(json.dumps(offset_seconds))

    def reset(self) -> None:
        self.people_file.write_text(json.dumps(_people()))
        self.set_clock(0)


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


def configure_portal(settings, provider: Provider) -> None:
    """The portal's settings for the provider, as the README's ZI_OIDC_* would set them."""
    provider.reset()
    settings.OIDC_RP_CLIENT_ID = CLIENT_ID
    settings.OIDC_RP_CLIENT_SECRET = CLIENT_SECRET
    settings.ZI_OIDC_ISSUER = provider.issuer
    settings.OIDC_OP_AUTHORIZATION_ENDPOINT = f"{provider.issuer}/authorize/"
    settings.OIDC_OP_TOKEN_ENDPOINT = f"{provider.issuer}/token/"
    settings.OIDC_OP_USER_ENDPOINT = f"{provider.issuer}/userinfo/"
    settings.OIDC_OP_JWKS_ENDPOINT = f"{provider.issuer}/.well-known/jwks.json"
    settings.ZI_OIDC_END_SESSION_ENDPOINT = f"{provider.issuer}/logout/"
    # As settings.py adds the end_session endpoint's origin to form-action.
    policy = copy.deepcopy(settings.CONTENT_SECURITY_POLICY)
    policy["DIRECTIVES"]["form-action"].append(provider.url)
    settings.CONTENT_SECURITY_POLICY = policy

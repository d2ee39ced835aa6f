"""`check --deploy` warns when an SSO endpoint is not https:// (loopback excepted)."""

import pytest

from tests.oidc.test_sso_settings import ENDPOINTS, PRODUCTION
from tests.test_settings import _manage
from units import oidc


@pytest.mark.parametrize(
    ("token_endpoint", "warned"),
    [
        ("http://sso.example.id/o/token/", True),
        ("https://sso.example.id/o/token/", False),
        ("http://127.0.0.1:8001/o/token/", False),
    ],
)
def test_a_plain_http_endpoint_is_a_deploy_warning(settings, token_endpoint, warned):
    settings.OIDC_RP_CLIENT_ID = "zi-portal"
    settings.ZI_OIDC_ISSUER = "https://sso.example.id/o"
    settings.OIDC_OP_AUTHORIZATION_ENDPOINT = "https://sso.example.id/o/authorize/"
    settings.OIDC_OP_TOKEN_ENDPOINT = token_endpoint
    settings.OIDC_OP_USER_ENDPOINT = "https://sso.example.id/o/userinfo/"
    settings.OIDC_OP_JWKS_ENDPOINT = "https://sso.example.id/o/.well-known/jwks.json"
    settings.ZI_OIDC_END_SESSION_ENDPOINT = ""
    found = oidc.check_provider_https(None)
    assert bool(found) is warned
    if warned:
        assert found[0].id == "zi_portal.W022"
        assert "ZI_OIDC_TOKEN_ENDPOINT" in found[0].msg


def test_sso_off_is_never_warned(settings):
    settings.OIDC_RP_CLIENT_ID = ""
    settings.OIDC_OP_TOKEN_ENDPOINT = "http://sso.example.id/o/token/"
    assert oidc.check_provider_https(None) == []


def test_check_deploy_reports_it():
    result = _manage(
        "check",
        "--deploy",
        ZI_OIDC_CLIENT_ID="zi-portal",
        **{**ENDPOINTS, "ZI_OIDC_JWKS_ENDPOINT": "http://sso.example.id/o/jwks"},
        **PRODUCTION,
    )
    assert "zi_portal.W022" in result.stdout + result.stderr

"""SSO settings from the environment: turned on by the client id, refusing to start half-set."""

from tests.test_settings import _manage

PRODUCTION = {
    "DJANGO_DEBUG": "0",
    "DJANGO_SECRET_KEY": "a-long-random-secret-for-the-test-0123456789-abcdefghijklmnop",
}
ENDPOINTS = {
    "ZI_OIDC_CLIENT_SECRET": "s3cret",
    "ZI_OIDC_ISSUER": "https://sso.example.id/o",
    "ZI_OIDC_AUTHORIZATION_ENDPOINT": "https://sso.example.id/o/authorize/",
    "ZI_OIDC_TOKEN_ENDPOINT": "https://sso.example.id/o/token/",
    "ZI_OIDC_USERINFO_ENDPOINT": "https://sso.example.id/o/userinfo/",
    "ZI_OIDC_JWKS_ENDPOINT": "https://sso.example.id/o/.well-known/jwks.json",
}


def test_a_client_id_without_the_endpoints_refuses_to_start():
    result = _manage("check", ZI_OIDC_CLIENT_ID="zi-portal", **PRODUCTION)
    assert result.returncode != 0
    assert "ZI_OIDC_CLIENT_ID is set; also set ZI_OIDC_CLIENT_SECRET" in result.stderr


def test_sso_configured_from_the_environment_starts_without_calling_the_provider():
    # sso.example.id does not resolve here: nothing is fetched at startup.
    result = _manage(
        "shell",
        "-c",
        "from django.conf import settings as s; from units import oidc; "
        "print(oidc.enabled(), s.OIDC_RP_SCOPES, s.ZI_OIDC_NIP_CLAIM, s.OIDC_RP_SIGN_ALGO, "
        "s.ZI_OIDC_CREATE_USERS, s.ZI_OIDC_TRUST_AMR)",
        ZI_OIDC_CLIENT_ID="zi-portal",
        **ENDPOINTS,
        **PRODUCTION,
    )
    assert result.returncode == 0, result.stderr
    printed = result.stdout.splitlines()[-1].split()
    assert printed == ["True", "openid", "email", "profile", "nip", "RS256", "False", "False"]


def test_the_providers_logout_is_allowed_as_a_form_target():
    """Keluar posts a form answered with a redirect to the provider's logout; Chromium holds
    that redirect to CSP form-action (tests/e2e/test_sso_browser.py fails without it)."""
    result = _manage(
        "shell",
        "-c",
        "from django.conf import settings as s; "
        "print(*s.CONTENT_SECURITY_POLICY['DIRECTIVES']['form-action'])",
        ZI_OIDC_CLIENT_ID="zi-portal",
        ZI_OIDC_END_SESSION_ENDPOINT="https://sso.example.id/o/logout/?x=1",
        **ENDPOINTS,
        **PRODUCTION,
    )
    assert result.returncode == 0, result.stderr
    assert result.stdout.splitlines()[-1].split() == ["'self'", "https://sso.example.id"]


def test_scopes_without_openid_refuse_to_start():
    result = _manage(
        "check",
        ZI_OIDC_CLIENT_ID="zi-portal",
        ZI_OIDC_SCOPES="email profile",
        **ENDPOINTS,
        **PRODUCTION,
    )
    assert result.returncode != 0
    assert "ZI_OIDC_SCOPES must include openid" in result.stderr

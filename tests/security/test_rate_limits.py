"""Rate limits on every page reachable without logging in (core/ratelimits.py)."""

from types import SimpleNamespace
from unittest import mock

import pytest
from django.core import mail
from django.test import RequestFactory
from django.urls import URLPattern, URLResolver, get_resolver, reverse

from api.throttling import TokenRateThrottle
from core import ratelimits
from core.ratelimits import client_ip
from tests.conftest import PASSWORD

SAME_WINDOW = 1_800_000_000  # any fixed instant: no test straddles a window boundary


@pytest.fixture(autouse=True)
def _frozen_window(monkeypatch):
    monkeypatch.setattr("django_ratelimit.core.time", SimpleNamespace(time=lambda: SAME_WINDOW))


def _public_views(resolver=None, namespace=""):
    for pattern in (resolver or get_resolver()).url_patterns:
        if isinstance(pattern, URLResolver):
            inner = f"{namespace}{pattern.namespace}:" if pattern.namespace else namespace
            yield from _public_views(pattern, inner)
        elif getattr(pattern.callback, "login_required", True) is False:
            assert isinstance(pattern, URLPattern)
            yield f"{namespace}{pattern.name}", pattern.callback


def test_every_page_reachable_without_login_is_rate_limited():
    public = dict(_public_views())
    assert set(public) == {
        "healthz", "metrics", "login", "password_reset", "password_reset_done",
        "password_reset_confirm", "password_reset_complete", "set_language", "admin:login",
        "assessments:public_awards", "assessments:public_awards_csv",
        "reports:verify", "surveys:take", "surveys:thanks",
        "oidc_authentication_init", "oidc_authentication_callback",
    } | {name for name in public if name.startswith("api:")}  # fmt: skip
    unlimited = [name for name, view in public.items() if not _limited(view)]
    assert unlimited == []


def _limited(view) -> bool:
    """The pages' limiter, or for the API (which authenticates each request itself) DRF's
    per-token throttle, which counts the anonymous by address."""
    if hasattr(view, "rate_limits"):
        return True
    throttles = getattr(getattr(view, "cls", None), "throttle_classes", ())
    return TokenRateThrottle in throttles


def _login(client, email, attempt="salah", **extra):
    return client.post(reverse("login"), {"username": email, "password": attempt}, **extra)


def test_too_many_login_attempts_from_one_address_get_a_translated_429(client, personas):
    # Thirty different accounts: django-axes (5 failures per account) never steps in.
    for n in range(30):
        assert _login(client, f"tebakan{n}@example.id").status_code == 200
    refused = _login(client, "operator.a@example.id", PASSWORD)
    assert refused.status_code == 429
    assert "Terlalu banyak permintaan" in refused.content.decode()
    assert 0 < int(refused["Retry-After"]) <= 60
    # Another address is not affected, and the right password works there.
    assert (
        _login(client, "operator.a@example.id", PASSWORD, REMOTE_ADDR="10.9.8.7").status_code == 302
    )


def test_a_refused_attempt_never_reaches_authentication(client, personas):
    for n in range(30):
        _login(client, f"tebakan{n}@example.id")
    with mock.patch("axes.handlers.proxy.AxesProxyHandler.user_login_failed") as failed:
        assert _login(client, "operator.a@example.id").status_code == 429
    failed.assert_not_called()


def test_the_django_admin_login_shares_the_portal_login_limit(client, personas):
    for n in range(30):
        _login(client, f"tebakan{n}@example.id")
    admin_login = client.post(
        reverse("admin:login"), {"username": "admin@example.id", "password": PASSWORD}
    )
    assert admin_login.status_code == 429


def test_reading_the_login_page_is_not_limited_like_attempts(client, db):
    for _ in range(40):
        assert client.get(reverse("login")).status_code == 200


def test_password_reset_mails_one_address_at_most_five_times_an_hour(client, personas):
    for _ in range(5):
        client.post(reverse("password_reset"), {"email": "operator.a@example.id"})
    assert len(mail.outbox) == 5
    refused = client.post(reverse("password_reset"), {"email": "Operator.A@example.id "})
    assert refused.status_code == 429
    assert len(mail.outbox) == 5
    # A colleague can still ask for their own link.
    client.post(reverse("password_reset"), {"email": "pimpinan.a@example.id"})
    assert len(mail.outbox) == 6


def test_password_reset_requests_from_one_address_are_limited_to_twenty_an_hour(client, db):
    for n in range(20):
        response = client.post(reverse("password_reset"), {"email": f"orang{n}@example.id"})
        assert response.status_code == 302
    assert client.post(reverse("password_reset"), {"email": "lain@example.id"}).status_code == 429


def test_health_check_answers_429_in_json_only_past_a_generous_limit(client, db):
    with mock.patch("core.health.check_broker", return_value="ok"):
        for _ in range(120):  # two a second for a minute: monitoring never gets here
            assert client.get(reverse("healthz")).status_code == 200
        refused = client.get(reverse("healthz"))
    assert refused.status_code == 429
    assert refused.json() == {"status": "rate_limited"}
    assert "no-cache" in refused["Cache-Control"]


def test_metrics_answer_429_to_prometheus_past_the_limit_and_404_to_anyone_else(
    client, db, settings, monkeypatch
):
    settings.ZI_METRICS_TOKEN = "t" * 40
    scraper = {"HTTP_AUTHORIZATION": "Bearer " + "t" * 40}
    # A cheap body: 120 real expositions on a loaded CI machine outlasted the counter's
    # one-minute expiry in the cache (the window is frozen, the cache's clock is not).
    monkeypatch.setattr("core.metrics.exposition", lambda: b"")
    for _ in range(120):
        assert client.get(reverse("metrics"), **scraper).status_code == 200
    assert client.get(reverse("metrics"), **scraper).status_code == 429
    # The same address without the token: still the unknown URL's 404, never a 429.
    assert client.get(reverse("metrics")).status_code == 404


def test_language_switch_is_limited(client, db):
    for _ in range(30):
        assert client.post(reverse("set_language"), {"language": "en"}).status_code == 302
    assert client.post(reverse("set_language"), {"language": "id"}).status_code == 429


def test_reset_link_form_is_limited(client, db):
    url = reverse("password_reset_confirm", kwargs={"uidb64": "MQ", "token": "bad-token"})
    for _ in range(10):
        assert client.post(url, {"new_password1": "x", "new_password2": "x"}).status_code == 200
    assert client.post(url, {"new_password1": "x", "new_password2": "x"}).status_code == 429


def test_survey_submissions_are_limited_per_address_and_reading_it_generously(client, tree, period):
    from surveys.models import SurveyResponse
    from tests.factories import SurveyFactory

    survey = SurveyFactory(period=period, unit=tree.kankemenag_a)
    url = reverse("surveys:take", args=[survey.token])
    for _ in range(60):  # the QR code opened by a whole waiting room behind one Wi-Fi
        assert client.get(url).status_code == 200
    for _ in range(10):  # the form itself refuses these (empty): not the limit
        assert client.post(url, {}).status_code == 400
    refused = client.post(url, {})
    assert refused.status_code == 429 and "Terlalu banyak permintaan" in refused.content.decode()
    assert client.post(url, {}, REMOTE_ADDR="10.9.8.7").status_code == 400
    assert not SurveyResponse.objects.exists()


def test_limits_can_be_switched_off_for_load_tests(client, personas, settings):
    settings.RATELIMIT_ENABLE = False
    for n in range(35):
        assert _login(client, f"tebakan{n}@example.id").status_code == 200


def test_an_unreachable_cache_leaves_the_login_page_up(client, personas):
    with mock.patch.object(ratelimits, "get_usage", side_effect=ConnectionError("redis down")):
        assert _login(client, "operator.a@example.id", PASSWORD).status_code == 302


# The client's address behind the portal's proxies: the same for axes and the rate limits.


def _request(remote="10.0.0.1", forwarded=None):
    extra = {"REMOTE_ADDR": remote}
    if forwarded is not None:
        extra["HTTP_X_FORWARDED_FOR"] = forwarded
    return RequestFactory().get("/", **extra)


@pytest.mark.parametrize(
    ("proxies", "remote", "forwarded", "client"),
    [
        (0, "203.0.113.5", "198.51.100.1", "203.0.113.5"),  # no proxy: the header is a lie
        (1, "10.0.0.1", "198.51.100.1", "198.51.100.1"),
        (1, "10.0.0.1", "6.6.6.6, 198.51.100.1", "198.51.100.1"),  # spoofed entry on the left
        (2, "10.0.0.2", "6.6.6.6, 198.51.100.1, 10.0.0.1", "198.51.100.1"),
        (1, "10.0.0.1", None, "10.0.0.1"),  # bypassed the proxy
        (2, "10.0.0.2", "198.51.100.1", "10.0.0.2"),  # fewer hops than proxies
        (1, "10.0.0.1", "bukan-alamat", "10.0.0.1"),
        (1, "10.0.0.1", "2001:db8::1", "2001:db8::1"),
        (0, "", None, "0.0.0.0"),  # noqa: S104
    ],
)
def test_client_address_is_the_one_the_portals_own_proxies_saw(
    settings, proxies, remote, forwarded, client
):
    settings.ZI_PROXY_COUNT = proxies
    settings.ZI_TRUSTED_PROXIES = ["10.0.0.0/8"]
    assert client_ip(_request(remote, forwarded)) == client


def test_behind_the_proxy_each_client_has_its_own_limit(client, personas, settings):
    settings.ZI_PROXY_COUNT = 1
    settings.ZI_TRUSTED_PROXIES = ["10.0.0.1"]
    proxy = {"REMOTE_ADDR": "10.0.0.1"}
    for n in range(30):
        _login(client, f"tebakan{n}@example.id", HTTP_X_FORWARDED_FOR="198.51.100.1", **proxy)
    assert (
        _login(client, "x@example.id", HTTP_X_FORWARDED_FOR="198.51.100.1", **proxy).status_code
        == 429
    )
    # Someone else behind the same proxy is not limited by that.
    other = _login(
        client, "operator.a@example.id", PASSWORD, HTTP_X_FORWARDED_FOR="198.51.100.2", **proxy
    )
    assert other.status_code == 302


def test_axes_locks_the_forwarded_address_not_the_proxy(client, personas, settings):
    settings.ZI_PROXY_COUNT = 1
    settings.ZI_TRUSTED_PROXIES = ["10.0.0.1"]
    proxy = {"REMOTE_ADDR": "10.0.0.1"}
    for _ in range(5):
        _login(client, "operator.a@example.id", HTTP_X_FORWARDED_FOR="198.51.100.1", **proxy)
    locked = _login(
        client, "operator.a@example.id", PASSWORD, HTTP_X_FORWARDED_FOR="198.51.100.1", **proxy
    )
    assert locked.status_code == 429 and "dikunci" in locked.content.decode()
    elsewhere = _login(
        client, "operator.a@example.id", PASSWORD, HTTP_X_FORWARDED_FOR="198.51.100.2", **proxy
    )
    assert elsewhere.status_code == 302


# Production needs a cache shared by the web workers.


def test_deploy_check_warns_when_the_cache_is_not_shared(settings):
    settings.CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}
    assert [w.id for w in ratelimits.check_shared_cache(None)] == ["zi_portal.W001"]


def test_deploy_check_accepts_redis(settings):
    settings.CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.redis.RedisCache",
            "LOCATION": "redis://127.0.0.1:6379/1",
        }
    }
    assert ratelimits.check_shared_cache(None) == []


def test_the_portal_does_not_install_django_ratelimits_app(settings):
    # Its checks reject Django's own Redis backend; the decorators need no app.
    assert "django_ratelimit" not in settings.INSTALLED_APPS


def test_check_deploy_fails_without_a_shared_cache():
    from tests.test_settings import check_deploy

    result = check_deploy("locmemcache://")
    assert result.returncode != 0
    assert "zi_portal.W001" in result.stdout + result.stderr


def test_sso_sign_in_start_and_callback_are_limited_with_the_login_form(client, db, settings):
    settings.OIDC_RP_CLIENT_ID = "zi-portal"
    settings.OIDC_OP_AUTHORIZATION_ENDPOINT = "https://sso.example.id/authorize"
    for _ in range(120):
        assert client.get(reverse("oidc_authentication_init")).status_code == 302
    assert client.get(reverse("oidc_authentication_init")).status_code == 429
    assert client.get(reverse("oidc_authentication_callback")).status_code == 429
    assert client.get(reverse("login")).status_code == 429  # one counter, the "login" group

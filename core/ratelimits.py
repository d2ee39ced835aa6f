"""Rate limits on the endpoints anyone on the internet can reach, and the client's address.

Every view marked `login_not_required` is wrapped with `rate_limited` (tests/security walks the
URLconf to hold that). A client over a limit gets 429 with a translated page (JSON for the health
check) and a `Retry-After` header, before the view runs: a refused login attempt never reaches
authentication, so it neither counts as a django-axes failure nor reveals anything.

Counters live in the default cache (django-ratelimit's fixed windows). In production that cache
must be shared by every web worker (Redis), or each gunicorn worker counts on its own: the deploy
check below warns when it is not.
"""

from __future__ import annotations

import ipaddress
import logging
from collections.abc import Callable
from dataclasses import dataclass
from functools import lru_cache, wraps

from django.conf import settings
from django.core import checks
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import render
from django.utils.cache import add_never_cache_headers
from django_ratelimit import ALL
from django_ratelimit.core import get_usage

log = logging.getLogger(__name__)


def client_ip(request: HttpRequest) -> str:
    """The client's address as the portal's own proxies saw it.

    With DJANGO_PROXY_COUNT=n, the n-th entry from the right of X-Forwarded-For: each trusted
    proxy appends the address it received the request from, so entries further left are whatever
    the client chose to send and are never believed. The header is believed only from an address
    in DJANGO_TRUSTED_PROXIES (loopback by default): a client reaching gunicorn directly could
    write any X-Forwarded-For and defeat the lockout with a new address per guess. Without
    proxies, from another address, or when the header is short (the request bypassed them),
    REMOTE_ADDR, and the bypass is logged once per process. Used by django-axes and the rate
    limits alike, so a lockout and a limit always concern the same address.
    """
    remote = request.META.get("REMOTE_ADDR", "")
    count = settings.ZI_PROXY_COUNT
    if count > 0:
        hops = [hop.strip() for hop in request.META.get("HTTP_X_FORWARDED_FOR", "").split(",")]
        if not _is_trusted_proxy(remote):
            _warn_bypass("came from %s, which is not in DJANGO_TRUSTED_PROXIES", remote)
        elif len(hops) >= count and _is_ip(hops[-count]):
            return hops[-count]
        else:
            _warn_bypass("from %s had no X-Forwarded-For entry of the proxies", remote)
    # An empty REMOTE_ADDR (unix socket without a proxy count) puts everyone in one bucket.
    return remote if _is_ip(remote) else "0.0.0.0"  # noqa: S104


_bypass_warned: set[str] = set()


def _warn_bypass(what: str, remote: str) -> None:
    """A request that did not come through the proxies: gunicorn is reachable some other way
    (or DJANGO_PROXY_COUNT/DJANGO_TRUSTED_PROXIES are wrong). Said once per process and kind."""
    if what in _bypass_warned:
        return
    _bypass_warned.add(what)
    log.warning(
        "DJANGO_PROXY_COUNT=%s but a request " + what + ": the lockout and rate limits count "
        "REMOTE_ADDR for it. Bind gunicorn to loopback or a unix socket behind the proxy "
        "(SECURITY.md, 'Binding gunicorn').",
        settings.ZI_PROXY_COUNT,
        remote,
    )


@lru_cache(maxsize=8)
def _trusted_networks(entries: tuple[str, ...]):
    return tuple(ipaddress.ip_network(entry.strip(), strict=False) for entry in entries)


def _is_trusted_proxy(remote: str) -> bool:
    if not _is_ip(remote):
        return False  # a unix socket: only the proxy on this machine can connect to it
    address = ipaddress.ip_address(remote)
    return any(address in net for net in _trusted_networks(tuple(settings.ZI_TRUSTED_PROXIES)))


def _is_ip(value: str) -> bool:
    try:
        ipaddress.ip_address(value)
    except ValueError:
        return False
    return True


def posted_email(group: str, request: HttpRequest) -> str:
    """Rate-limit key: the e-mail address a password reset is asked for."""
    return request.POST.get("email", "").strip().lower()


@dataclass(frozen=True)
class Limit:
    # django-ratelimit syntax: "30/m" is 30 requests per minute (or a callable giving it)
    rate: str | Callable[[str, HttpRequest], str]
    method: str | tuple[str, ...] = ALL
    key: str | Callable[[str, HttpRequest], str] = "ip"  # "ip" resolves through client_ip


# Why these numbers (per client address, so an office behind one NAT shares them):
# - any public page, any method: 120/min is far above what a person clicks, far below a flood;
#   the health check gets the same, ample for monitoring every few seconds.
# - login attempts: 30/min lets a room of operators at a training (bimtek) behind one NAT log
#   in together, while password spraying across many accounts stalls; django-axes still locks
#   one account after 5 failures from one address.
# - password reset: 20/hour per address and 5/hour per e-mail address, so nobody can flood a
#   colleague's mailbox; the link stays valid for days, so a person never needs more.
# - setting a new password from a reset link, switching the language: 10 and 30 per minute.
PUBLIC = Limit("120/m")
LOGIN = (PUBLIC, Limit("30/m", method="POST"))
PASSWORD_RESET = (
    PUBLIC,
    Limit("20/h", method="POST"),
    Limit("5/h", method="POST", key=posted_email),
)
PASSWORD_RESET_CONFIRM = (PUBLIC, Limit("10/m", method="POST"))
SET_LANGUAGE = (PUBLIC, Limit("30/m", method="POST"))
# The document verification page: someone checks a document or two, so 30 looks and 10 file
# comparisons a minute per address; guessing a 144-bit code at that pace is hopeless anyway.
DOCUMENT_VERIFY = (PUBLIC, Limit("30/m"), Limit("10/m", method="POST"))
# The public survey (a QR code at the service desk): reading the form as freely as any public
# page; 10 submissions a minute per address, since visitors on the office's guest Wi-Fi or a
# carrier's shared address (CGNAT, common on Indonesian mobile networks) share one, while one
# response takes a person well over a minute. The one-per-device-per-day rule and one-time
# codes stop repeats; this stops floods.
SURVEY = (PUBLIC, Limit("10/m", method="POST"))


# Per signed-in account, on requests that change something (AccountWriteLimitMiddleware), so that
# one account (or a stolen session) cannot flood the portal however many addresses it uses:
# - any write: ZI_ACCOUNT_WRITE_RATE (300/min): autosave sends one request per changed item
#   after a pause, so a fast operator stays far below it;
# - report requests: ZI_REPORT_REQUEST_RATE (10/min): each can cost a worker tens of seconds;
# - evidence uploads: ZI_UPLOAD_RATE (60/min): each carries up to the upload limit and a scan.
WRITE_METHODS = ("POST", "PUT", "PATCH", "DELETE")


def account(group: str, request: HttpRequest) -> str:
    """Rate-limit key: the signed-in account."""
    return f"user:{request.user.pk}"


def _setting(name: str):
    return lambda group, request: getattr(settings, name)


ACCOUNT_WRITES = Limit(_setting("ZI_ACCOUNT_WRITE_RATE"), method=WRITE_METHODS, key=account)
REPORT_REQUESTS = Limit(_setting("ZI_REPORT_REQUEST_RATE"), method="POST", key=account)
UPLOADS = Limit(_setting("ZI_UPLOAD_RATE"), method="POST", key=account)


def too_many_requests_page(request: HttpRequest) -> HttpResponse:
    return render(request, "429.html", status=429)


def too_many_requests_json(request: HttpRequest) -> HttpResponse:
    return JsonResponse({"status": "rate_limited"}, status=429)


def rate_limited(
    group: str,
    *limits: Limit,
    answer: Callable[[HttpRequest], HttpResponse] = too_many_requests_page,
):
    """Refuse a request over any of `limits` with `answer` (429). Views wrapped with the same
    group share their counters (the portal's and the Django admin's login forms do)."""

    def decorator(view):
        @wraps(view)
        def wrapped(request, *args, **kwargs):
            refused = refusal(request, group, limits, answer)
            return refused if refused is not None else view(request, *args, **kwargs)

        wrapped.rate_limits = (group, limits)
        return wrapped

    return decorator


def refusal(
    request: HttpRequest,
    group: str,
    limits,
    answer: Callable[[HttpRequest], HttpResponse] = too_many_requests_page,
) -> HttpResponse | None:
    """Count the request against `limits`; the 429 answer when it is over any, else None."""
    retry_after = _seconds_to_wait(request, group, limits)
    if retry_after is None:
        return None
    log.warning("Rate limit %r exceeded by %s", group, client_ip(request))
    response = answer(request)
    response["Retry-After"] = str(retry_after)
    add_never_cache_headers(response)
    return response


def _seconds_to_wait(request: HttpRequest, group: str, limits) -> int | None:
    waits = []
    for index, limit in enumerate(limits):
        try:
            usage = get_usage(
                request,
                group=f"{group}.{index}",
                key=limit.key,
                rate=limit.rate,
                method=limit.method,
                increment=True,
            )
        except Exception:
            # The cache is down: fail open (RATELIMIT_FAIL_OPEN does the same when a count
            # cannot be read), so the login page stays up; django-axes keeps its lockouts in
            # the database.
            log.exception("Rate limit %r not checked: cache unavailable", group)
            continue
        if usage is not None and usage["should_limit"]:
            waits.append(max(usage["time_left"], 1))
    return max(waits) if waits else None


# Caches that every web worker shares and that increment atomically (what django-ratelimit
# needs). Django's own Redis backend qualifies (add is SET NX, incr is INCRBY), although
# django-ratelimit 4.1's own check predates it; that is why the portal does not install the
# `django_ratelimit` app (its decorators need no app) and checks here instead.
SHARED_CACHES = {
    "core.cache.RedisCache",
    "django.core.cache.backends.redis.RedisCache",
    "django_redis.cache.RedisCache",
    "django.core.cache.backends.memcached.PyMemcacheCache",
    "django.core.cache.backends.memcached.PyLibMCCache",
}


@checks.register(checks.Tags.caches, deploy=True)
def check_shared_cache(app_configs, **kwargs):
    backend = settings.CACHES[settings.RATELIMIT_USE_CACHE]["BACKEND"]
    if backend in SHARED_CACHES:
        return []
    return [
        checks.Warning(
            f"The cache ({backend}) is not shared by the web workers: rate limits and the "
            "e-mail 'send once' guard would count per process.",
            hint="Set CACHE_URL to a Redis server, e.g. CACHE_URL=redis://127.0.0.1:6379/2.",
            id="zi_portal.W001",
        )
    ]


@checks.register(checks.Tags.security, deploy=True)
def check_trusted_proxies(app_configs, **kwargs):
    """X-Forwarded-For believed from anywhere is no better than believing every client."""
    if settings.ZI_PROXY_COUNT <= 0:
        return []
    try:
        networks = _trusted_networks(tuple(settings.ZI_TRUSTED_PROXIES))
    except ValueError as error:
        return [checks.Error(f"DJANGO_TRUSTED_PROXIES: {error}", id="zi_portal.E002")]
    if not networks or any(net.prefixlen == 0 for net in networks):
        return [
            checks.Warning(
                "DJANGO_PROXY_COUNT is set and DJANGO_TRUSTED_PROXIES trusts every address: "
                "anyone reaching gunicorn directly chooses the address the lockout counts.",
                hint="List only the proxies' addresses, e.g. DJANGO_TRUSTED_PROXIES=10.0.0.5.",
                id="zi_portal.W002",
            )
        ]
    return []

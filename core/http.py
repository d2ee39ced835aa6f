"""The one safe redirect: where a `next` field, a Referer or a stored link may send a person."""

from django.utils.http import url_has_allowed_host_and_scheme


def safe_target(request, target: str, fallback: str) -> str:
    """`target` when it stays on this site (same host, https when the request is), else
    `fallback`: never an open redirect."""
    if target and url_has_allowed_host_and_scheme(
        target, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return target
    return fallback

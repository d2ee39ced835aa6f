"""The one safe redirect (where a `next` field, a Referer or a stored link may send a person),
and a refused form's errors carried to the page it redirects to."""

from django.contrib import messages
from django.utils.http import url_has_allowed_host_and_scheme


def safe_target(request, target: str, fallback: str) -> str:
    """`target` when it stays on this site (same host, https when the request is), else
    `fallback`: never an open redirect."""
    if target and url_has_allowed_host_and_scheme(
        target, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return target
    return fallback


def form_errors_to_messages(request, form) -> None:
    """A refused form whose page is a redirect: each of its errors as a message on that page."""
    for errors in form.errors.values():
        for error in errors:
            messages.error(request, error)

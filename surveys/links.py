"""The public address of a survey, as printed on posters and code slips.

`/survei/<token>/` is the fixed public address of a survey (URL name `surveys:take`, with
`?layanan=<service id>` preselecting a service and `?kode=<CODE>` carrying a one-time code).
It is written here rather than reversed so that the unit's pages do not depend on the module
that serves the public page; tests check both agree once both are installed.
"""

from __future__ import annotations

from urllib.parse import urlencode

from django.urls import get_script_prefix

from notifications.emails import absolute_url


def public_path(survey, *, service=None, code: str | None = None) -> str:
    path = f"{get_script_prefix()}survei/{survey.token}/"
    query = {}
    if service is not None:
        query["layanan"] = service.pk
    if code:
        query["kode"] = code
    return f"{path}?{urlencode(query)}" if query else path


def public_url(survey, *, service=None, code: str | None = None) -> str:
    """The absolute address on the portal's configured base (settings.PORTAL_BASE_URL), as
    verification links of issued documents are made: a poster printed from a worker or from
    a page behind a proxy carries the same public address."""
    return absolute_url(public_path(survey, service=service, code=code))


def short_url(url: str) -> str:
    """The address as printed for typing: without the scheme."""
    return url.split("://", 1)[-1]

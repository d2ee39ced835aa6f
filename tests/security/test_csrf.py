"""CSRF on every state-changing request, generated from the URLconf.

Every URL of the access matrix (which test_access_matrix holds equal to the URLconf) is posted
to by a signed-in person the matrix allows (or, where the action is not open to anyone in the
test's world, the closest in-scope person): without a token Django refuses it (403) before the
view runs; with a valid token the same request is not a CSRF failure.
"""

import logging

import pytest
from django.conf import settings
from django.middleware.csrf import _get_new_csrf_string
from django.test import Client
from django.urls import URLPattern, URLResolver, get_resolver, reverse

from tests.units.test_access_matrix import MATRIX, data_of
from tests.units.test_access_matrix import world as world  # noqa: F401, PLC0414 (the fixture)

# The only views exempt from the middleware: each installs the upload size cap before the body
# is read, then checks the token itself with csrf_protect (assessments/evidence/views.py, and
# the public document check, reports/views_verify.py).
CSRF_EXEMPT = {"assessments:evidence_upload", "reports:verify"}
# The API (issue 19): DRF exempts its views from the middleware and checks the token itself for
# a caller signed in by the session (api.authentication.SessionAuthentication); a caller with a
# bearer token sends no cookie, so there is nothing to forge. DRF refuses with "CSRF Failed"
# in the response instead of the middleware's log entry.
API = "api:"

PREFERENCE = ["operator", "pimpinan", "reviewer", "tpi", "tpn", "admin", "operator_b", "outsider"]


def _poster(expected: dict) -> str:
    """The persona to post as: one the matrix lets through, else one in scope (403)."""
    for wanted in ((200, 302, 400), (403,)):
        for persona in [*PREFERENCE, "anonymous"]:
            if expected.get(persona) in wanted:
                return persona
    return "admin"


def _csrf_failures(caplog) -> list[logging.LogRecord]:
    return [r for r in caplog.records if r.name == "django.security.csrf"]


def _client(w, persona: str) -> Client:
    client = Client(enforce_csrf_checks=True)
    if persona != "anonymous":
        client.force_login(w.personas[persona])
    return client


CASES = sorted(MATRIX)


@pytest.mark.parametrize("name", CASES)
def test_post_without_a_token_is_refused_and_with_one_is_not(name, world, caplog):
    _method, kwargs, data, expected = MATRIX[name]
    url = reverse(name, kwargs=kwargs(world) if kwargs else None)
    client = _client(world, _poster(expected))

    refused = client.post(url, data_of(data, world))
    assert refused.status_code == 403
    assert _csrf_refused(name, refused, caplog), f"{name}: 403 for another reason than CSRF"

    caplog.clear()
    token = _get_new_csrf_string()
    client.cookies[settings.CSRF_COOKIE_NAME] = token
    allowed = client.post(url, data_of(data, world), HTTP_X_CSRFTOKEN=token)
    assert not _csrf_refused(name, allowed, caplog), f"{name}: a valid token was refused"


def _csrf_refused(name: str, response, caplog) -> bool:
    drf_refused = name.startswith(API) and b"CSRF Failed" in response.content
    return drf_refused or bool(_csrf_failures(caplog))


def _all_views(resolver=None, namespace=""):
    for pattern in (resolver or get_resolver()).url_patterns:
        if isinstance(pattern, URLResolver):
            inner = f"{namespace}{pattern.namespace}:" if pattern.namespace else namespace
            yield from _all_views(pattern, inner)
        elif isinstance(pattern, URLPattern):
            yield f"{namespace}{pattern.name}", pattern.callback


def test_no_view_is_exempt_from_csrf_but_the_two_that_cap_uploads():
    exempt = {name for name, view in _all_views() if getattr(view, "csrf_exempt", False)}
    assert exempt - {name for name in exempt if name.startswith(API)} == CSRF_EXEMPT

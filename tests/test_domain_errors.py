"""One domain error (core.errors.DomainError) and one place that maps an unhandled one to a
response (core.middleware.DomainErrorMiddleware): forbidden is a 403, anything else is the
message on the page the person came from, never a 500."""

import pytest
from django.test import RequestFactory

from core.errors import (
    ConflictError,
    DomainError,
    EvidenceError,
    ReportError,
    UnitsError,
    WorkflowError,
)
from core.middleware import DomainErrorMiddleware


@pytest.mark.parametrize(
    "error", [WorkflowError, ConflictError, EvidenceError, UnitsError, ReportError]
)
def test_every_apps_error_is_a_domain_error(error):
    assert issubclass(error, DomainError)


def _request(referer=""):
    from django.contrib.messages.storage.fallback import FallbackStorage

    request = RequestFactory().get("/x/", HTTP_REFERER=referer)
    request.session = {}
    request._messages = FallbackStorage(request)
    return request


def test_a_forbidden_one_is_a_403():
    from django.core.exceptions import PermissionDenied

    middleware = DomainErrorMiddleware(lambda r: None)
    with pytest.raises(PermissionDenied):
        middleware.process_exception(_request(), UnitsError("Tidak boleh", forbidden=True))


def test_any_other_goes_back_with_its_message_and_problems():
    middleware = DomainErrorMiddleware(lambda r: None)
    request = _request(referer="http://testserver/queue/")

    response = middleware.process_exception(request, WorkflowError("Belum bisa", ["Satu", "Dua"]))

    assert response.status_code == 302 and response["Location"] == "http://testserver/queue/"
    assert [str(m) for m in request._messages] == ["Belum bisa", "Satu", "Dua"]


def test_a_foreign_referer_goes_home_and_other_exceptions_pass_through():
    middleware = DomainErrorMiddleware(lambda r: None)
    response = middleware.process_exception(_request("https://evil.example/"), ReportError("x"))
    assert response["Location"] == "/"
    assert middleware.process_exception(_request(), ValueError("bug")) is None

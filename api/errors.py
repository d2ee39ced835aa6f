"""The API's refusals as JSON: DRF's own, and the domain errors the services raise (a missing
permission 403, someone saved first 409 with both values, any other broken rule 400)."""

from __future__ import annotations

from rest_framework import status
from rest_framework.response import Response
from rest_framework.views import exception_handler as drf_exception_handler

from core.errors import ConflictError, DomainError


class Conflict(Exception):
    """A write whose revision is no longer the stored one; `detail` carries both values."""

    def __init__(self, message: str, **detail) -> None:
        super().__init__(message)
        self.detail = detail


def exception_handler(exc, context):
    if isinstance(exc, Conflict):
        return Response({"detail": str(exc), **exc.detail}, status=status.HTTP_409_CONFLICT)
    if isinstance(exc, ConflictError):
        return Response({"detail": str(exc)}, status=status.HTTP_409_CONFLICT)
    if isinstance(exc, DomainError):
        code = status.HTTP_403_FORBIDDEN if exc.forbidden else status.HTTP_400_BAD_REQUEST
        body = {"detail": str(exc)}
        if exc.problems:
            body["problems"] = [str(problem) for problem in exc.problems]
        return Response(body, status=code)
    return drf_exception_handler(exc, context)

"""The domain errors: a rule of the programme was broken. Every one is a DomainError, and they
all live here, so a service raises and a view catches them without importing each other;
core.middleware.DomainErrorMiddleware is the one place that turns one a view did not handle
into a response: a missing permission (`forbidden`) is a 403, anything else the message on the
page the person came from."""


class DomainError(Exception):
    """`message` (and `problems`, one line each) are for the user, already translated."""

    def __init__(self, message: str, problems=(), *, forbidden: bool = False):
        super().__init__(message)
        self.problems = list(problems)
        self.forbidden = forbidden


class UnitsError(DomainError):
    """A rule of the unit tree or of memberships was broken."""


class WorkflowError(DomainError):
    """A rule of an assessment's stages, answers or reviews was broken."""


class ConflictError(WorkflowError):
    """Someone else saved the same item since this user loaded it."""


class EvidenceError(WorkflowError):
    """An upload, link or verdict was refused."""


class ReportError(DomainError):
    """A report cannot be requested or read."""


def shown(error: DomainError) -> str:
    """The text of a refusal that a view shows in place (a form error, a message, a row's
    status). A missing permission is never shown in place: it is a 403, here as in
    core.middleware.DomainErrorMiddleware for the errors no view handled."""
    from django.core.exceptions import PermissionDenied

    if error.forbidden:
        raise PermissionDenied(str(error)) from None
    return str(error)


class SurveyError(DomainError):
    """A unit's survey, service or one-time codes cannot be made or changed as asked."""

"""The one domain error: a rule of the programme was broken. Each app's error (WorkflowError,
EvidenceError, UnitsError, ReportError) is one of these; core.middleware.DomainErrorMiddleware
is the one place that turns one a view did not handle into a response: a missing permission
(`forbidden`) is a 403, anything else the message on the page the person came from."""


class DomainError(Exception):
    """`message` (and `problems`, one line each) are for the user, already translated."""

    def __init__(self, message: str, problems=(), *, forbidden: bool = False):
        super().__init__(message)
        self.problems = list(problems)
        self.forbidden = forbidden

"""Who may call the API at all. What each caller may read or write is the pages' policy
(units.permissions, assessments.permissions and the scoped selectors), asked by the views."""

from rest_framework.permissions import SAFE_METHODS, BasePermission


def is_service_account(user) -> bool:
    return hasattr(user, "service_account")


class SignedIn(BasePermission):
    """A person or a service account; service accounts only read."""

    def has_permission(self, request, view) -> bool:
        user = request.user
        if not (user and user.is_authenticated and user.is_active):
            return False
        return request.method in SAFE_METHODS or not is_service_account(user)

"""How the signed-in person is read on every request: from the database, never from a cache."""

import re

from django.conf import settings
from django.contrib.auth.backends import ModelBackend

from units.models import Membership, User

_NIP = re.compile(r"^\d{18}$")


def axes_username(request, credentials=None) -> str | None:
    """AXES_USERNAME_CALLABLE: one lockout key per account, however the login name is typed.
    E-mails are matched in any case and the directory accepts the NIP too, so without this
    "Budi@…", "BUDI@…" and the NIP would each get their own five guesses. The key is the
    name lower-cased and stripped, and for the 18-digit NIP of an account that account's
    e-mail (one indexed query, at login only)."""
    if credentials:
        raw = credentials.get(settings.AXES_USERNAME_FORM_FIELD)
    elif request is not None:
        raw = getattr(request, "data", request.POST).get(settings.AXES_USERNAME_FORM_FIELD)
    else:
        raw = None
    if not raw:
        return raw
    key = str(raw).strip().lower()
    if _NIP.match(key):
        email = User.objects.filter(nip=key).values_list("email", flat=True).first()
        if email:
            return email.lower()
    return key


class MembershipsBackend(ModelBackend):
    """Django's ModelBackend whose `get_user` (once per request, for the session's user) reads
    the user's row with their memberships in active units (roles and scope), in one query:
    every page needs both. `units.permissions.memberships_of` reads them from the user object,
    which lives for one request, so a revoked role acts on the next one."""

    def authenticate(self, request, username=None, password=None, **kwargs):
        """A service account (api.models.ServiceAccount) never signs in to the pages: it has
        no usable password, and is refused here even if one were set in the Django admin."""
        user = super().authenticate(request, username=username, password=password, **kwargs)
        if user is not None and hasattr(user, "service_account"):
            return None
        return user

    def get_user(self, user_id):
        rows = list(
            Membership.objects.filter(user_id=user_id, unit__is_active=True)
            .select_related("user", "unit")
            .order_by("role", "unit__path")
        )
        if not rows:
            user = super().get_user(user_id)  # no role (yet): the row alone
        else:
            user = rows[0].user
            for membership in rows:
                membership.user = user  # one object, not one per row
        if user is None or not self.user_can_authenticate(user):
            return None
        user._zi_memberships = rows
        return user

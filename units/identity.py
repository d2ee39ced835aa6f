"""Who a person signing in from outside the portal is here: the one rule that ties SSO claims
(units/oidc.py) and directory entries (units/ldap.py) to a portal account. Roles never come
from outside; this only finds the account.

By NIP first, then by e-mail. An e-mail is used only in plain ASCII, lower-cased, and matched
exactly (stored addresses are lower-cased): a dotless ı or a Kelvin sign would equal another
address under the database's case folding. An e-mail match to an account that holds another
NIP than the one the outside gave is a conflict, never a sign-in: a shared or recycled address
must not reach another civil servant's account. With `nip_must_agree`, an outside identity
without any NIP does not reach an account that holds one either (the directory, which binds
nothing; SSO binds the account to the provider's subject at its first sign-in instead).
"""

from __future__ import annotations

from django.core.exceptions import ValidationError

from units.models import User
from units.validators import validate_nip


class IdentityConflict(Exception):
    """The outside identity cannot safely be tied to a portal account."""

    def __init__(self, reason: str, user: User | None = None):
        super().__init__(reason)
        self.reason, self.user = reason, user


def valid_nip(value) -> str:
    """The NIP as given when it is one (18 digits, real dates), else ""."""
    value = str(value or "").strip()
    try:
        validate_nip(value)
    except ValidationError:
        return ""
    return value


def plain_email(value) -> str:
    """The address lower-cased, or "" when it is not plain ASCII."""
    email = str(value or "").strip()
    return email.lower() if email and email.isascii() else ""


def account_for(*, nip: str, email: str, nip_must_agree: bool) -> tuple[User | None, str]:
    """(account, "nip" or "email"), (None, "") when no account matches; raises
    IdentityConflict("nip_differs", account) as the module says."""
    if nip:
        user = User.objects.filter(nip=nip).first()
        if user is not None:
            return user, "nip"
    if not email:
        return None, ""
    user = User.objects.filter(email=email).first()
    if user is not None and user.nip and user.nip != nip and (nip or nip_must_agree):
        raise IdentityConflict("nip_differs", user)
    return user, ("email" if user is not None else "")

"""Sign-in with the ministry's directory (LDAP / Active Directory), issue 20 part 2.

`DirectoryBackend` is django-auth-ldap's backend with the portal's rules:

- Off unless ZI_LDAP_SERVER_URI is set (it then returns None at once, touching nothing).
- What the login form's "Email" field holds is looked up with ZI_LDAP_USER_FILTER (bound as
  ZI_LDAP_BIND_DN); exactly one entry must match, and the password must bind as that entry.
- The entry is matched to a portal account by its NIP attribute first, then by its e-mail.
  Refused as a conflict: an entry whose NIP is held by more than one entry under the search
  base, and an e-mail match to an account holding a NIP other than the entry's (or when the
  entry has none). An unknown person is refused, unless ZI_LDAP_CREATE_USERS: then an
  account is made with the entry's e-mail, NIP and name, an unusable password and no role
  (an admin grants roles).
- Roles, staff flags and permissions never come from the directory (no group mirroring, no
  flags by group, no permissions from this backend), and an existing account is never changed
  by a sign-in. The directory password is only sent to the directory, never stored.
- Service accounts (api.models.ServiceAccount) and inactive accounts are refused.
- A directory that is down or does not answer within ZI_LDAP_TIMEOUT is reported to the login
  form (`directory_unavailable`), which says so instead of "wrong password".

Later requests load the session's user through MembershipsBackend.get_user (roles and scope in
one query), whichever backend signed the person in.
"""

from __future__ import annotations

import logging
from urllib.parse import urlsplit

import ldap
from django.conf import settings as portal_settings
from django.core import checks
from django.db import transaction
from django.utils.translation import gettext_lazy as _
from django_auth_ldap.backend import LDAPBackend, ldap_error
from django_auth_ldap.config import LDAPSearch, LDAPSettings
from ldap.filter import escape_filter_chars

from core import audit
from units import identity, services
from units.backends import MembershipsBackend
from units.identity import IdentityConflict
from units.models import User

logger = logging.getLogger(__name__)

AUDIT_ACTIONS = {
    "zi.directory.account_created": _("Akun dibuat dari direktori (LDAP) tanpa peran"),
    "zi.directory.refused": _("Masuk dengan direktori ditolak"),
}
# Set on the request when the directory could not be asked, or when its password was right but
# no portal account belongs to the entry (read by units.forms.LoginForm).
UNAVAILABLE_FLAG = "_zi_directory_unavailable"
UNKNOWN_PERSON_FLAG = "_zi_directory_unknown_person"
CONFLICT_FLAG = "_zi_directory_conflict"
# django-auth-ldap reads its settings with this prefix: nothing in settings.py has it, so only
# directory_settings() below configures it and an AUTH_LDAP_* setting cannot switch on group
# mirroring or flags by group (roles never come from the directory).
_NO_DJANGO_SETTINGS = "ZI_LDAP_INTERNAL_UNUSED_"


def enabled() -> bool:
    return bool(portal_settings.ZI_LDAP_SERVER_URI)


def directory_settings() -> LDAPSettings:
    """django-auth-ldap's configuration, from the portal's ZI_LDAP_* settings."""
    timeout = portal_settings.ZI_LDAP_TIMEOUT
    wanted = [
        portal_settings.ZI_LDAP_NIP_ATTR,
        portal_settings.ZI_LDAP_EMAIL_ATTR,
        portal_settings.ZI_LDAP_NAME_ATTR,
    ]
    options = {
        # A dead directory (no route, nothing listening, or a server that never answers) costs
        # a sign-in at most about this long: the TCP connect and each operation are bounded.
        ldap.OPT_NETWORK_TIMEOUT: timeout,
        ldap.OPT_TIMEOUT: timeout,
        # Active Directory answers searches from the domain's root with referrals that libldap
        # would follow anonymously; the search base is expected to hold the people.
        ldap.OPT_REFERRALS: 0,
    }
    if portal_settings.ZI_LDAP_CA_FILE:
        options[ldap.OPT_X_TLS_CACERTFILE] = portal_settings.ZI_LDAP_CA_FILE
        options[ldap.OPT_X_TLS_REQUIRE_CERT] = ldap.OPT_X_TLS_DEMAND
        options[ldap.OPT_X_TLS_NEWCTX] = 0  # last: applies the TLS options above
    return LDAPSettings(
        _NO_DJANGO_SETTINGS,
        {
            "SERVER_URI": portal_settings.ZI_LDAP_SERVER_URI,
            "BIND_DN": portal_settings.ZI_LDAP_BIND_DN,
            "BIND_PASSWORD": portal_settings.ZI_LDAP_BIND_PASSWORD,
            "START_TLS": portal_settings.ZI_LDAP_START_TLS,
            "CONNECTION_OPTIONS": options,
            "USER_SEARCH": LDAPSearch(
                portal_settings.ZI_LDAP_USER_SEARCH_BASE,
                ldap.SCOPE_SUBTREE,
                portal_settings.ZI_LDAP_USER_FILTER,
                attrlist=wanted,
            ),
            # Accounts are found or made by get_or_build_user below, never built by the library.
            "NO_NEW_USERS": True,
            "ALWAYS_UPDATE_USER": False,
            "USER_ATTR_MAP": {},
            "USER_FLAGS_BY_GROUP": {},
            "MIRROR_GROUPS": None,
            "FIND_GROUP_PERMS": False,
            "CACHE_TIMEOUT": 0,
        },
    )


def _first(attrs: dict, name: str) -> str:
    """The first value of an attribute, whatever case the server spelt its name in."""
    wanted = name.lower()
    for key, values in (attrs or {}).items():
        if key.lower() == wanted and values:
            return str(values[0]).strip()
    return ""


def entry_email(attrs: dict) -> str:
    return identity.plain_email(_first(attrs, portal_settings.ZI_LDAP_EMAIL_ATTR))


def entry_nip(attrs: dict) -> str:
    return identity.valid_nip(_first(attrs, portal_settings.ZI_LDAP_NIP_ATTR))


def account_for_entry(attrs: dict) -> User | None:
    """The portal account a directory entry belongs to (units.identity, the NIP required to
    agree: the directory binds nothing); raises IdentityConflict."""
    user, _matched_by = identity.account_for(
        nip=entry_nip(attrs), email=entry_email(attrs), nip_must_agree=True
    )
    return user


def nip_is_unique_in_directory(connection, nip: str) -> bool:
    """Exactly one entry under the search base holds this NIP: otherwise anyone given (or
    giving themselves) a colleague's employeeNumber would map to the colleague's account."""
    found = connection.search_s(
        portal_settings.ZI_LDAP_USER_SEARCH_BASE,
        ldap.SCOPE_SUBTREE,
        f"({portal_settings.ZI_LDAP_NIP_ATTR}={escape_filter_chars(nip)})",
        ["1.1"],  # no attributes: only the count matters
    )
    return len([dn for dn, _attrs in found if dn]) == 1  # referrals have no DN


@transaction.atomic
def account_create_from_entry(*, dn: str, attrs: dict) -> User | None:
    """A role-less account for a directory entry (ZI_LDAP_CREATE_USERS); None if the entry has
    no e-mail to sign in with. No usable password: the person signs in through the directory
    ("Lupa kata sandi?" sends such an account nothing; an admin's invitation can give one)."""
    email = entry_email(attrs)
    if not email:
        return None
    nip = entry_nip(attrs)
    if nip and User.objects.filter(nip=nip).exists():
        nip = ""  # cannot happen after account_for_entry; kept so a race cannot fail the login
    full_name = _first(attrs, portal_settings.ZI_LDAP_NAME_ATTR)[:150] or email
    user = services.person_create(email=email, full_name=full_name, nip=nip)
    audit.record("zi.directory.account_created", user, dn=dn)
    return user


class DirectoryBackend(LDAPBackend):
    """See the module's docstring. Listed after the local password backend."""

    @property
    def settings(self):
        if self._settings is None:
            self._settings = directory_settings()
        return self._settings

    @settings.setter
    def settings(self, value):
        self._settings = value

    def authenticate(self, request, username=None, password=None, **kwargs):
        if not enabled() or not username or not password:
            return None
        self._request = request  # a backend instance serves one authenticate() call
        user = super().authenticate(request, username=username, password=password, **kwargs)
        if user is None:
            return None
        if hasattr(user, "service_account") or not user.is_active:
            logger.info("Directory sign-in refused for %s: inactive or service account", user.pk)
            return None
        return user

    def get_or_build_user(self, username, ldap_user):
        """(user, built) as django-auth-ldap expects; never an unsaved user (`built` stays
        False), so the library neither makes nor changes an account. None of an unknown
        person refuses the sign-in."""
        attrs = ldap_user.attrs
        try:
            nip = entry_nip(attrs)
            if nip and not nip_is_unique_in_directory(ldap_user.connection, nip):
                raise IdentityConflict("nip_not_unique")
            user = account_for_entry(attrs)
        except IdentityConflict as conflict:
            self._refuse_conflict(ldap_user, conflict)
        if user is None and portal_settings.ZI_LDAP_CREATE_USERS:
            user = account_create_from_entry(dn=ldap_user.dn, attrs=attrs)
        if user is None:
            # The directory password was right: telling its owner that the portal does not know
            # them reveals nothing a guesser could use, and saves a call to the helpdesk.
            logger.info("Directory sign-in refused: no portal account for %s", ldap_user.dn)
            if getattr(self, "_request", None) is not None:
                setattr(self._request, UNKNOWN_PERSON_FLAG, True)
            raise ldap_user.AuthenticationFailed("no portal account for this directory entry")
        return user, False

    def _refuse_conflict(self, ldap_user, conflict: IdentityConflict):
        logger.warning("Directory sign-in refused for %s: %s", ldap_user.dn, conflict.reason)
        if conflict.user is not None:
            audit.record(
                "zi.directory.refused", conflict.user, by=None, reason=conflict.reason,
                dn=ldap_user.dn,
            )  # fmt: skip
        if getattr(self, "_request", None) is not None:
            setattr(self._request, CONFLICT_FLAG, True)
        raise ldap_user.AuthenticationFailed(f"directory entry conflict: {conflict.reason}")

    def get_user(self, user_id):
        # The session's user on every later request: with their memberships, as after a local
        # sign-in (units/backends.py), and refused once inactive.
        return MembershipsBackend().get_user(user_id)

    # Permissions come from the portal's roles only (units.permissions), never the directory.
    def get_all_permissions(self, user, obj=None):
        return set()

    def get_group_permissions(self, user, obj=None):
        return set()

    def has_perm(self, user, perm, obj=None):
        return False

    def has_module_perms(self, user, app_label):
        return False


def _directory_unavailable(sender, context, user, request, exception, **kwargs) -> None:
    """django-auth-ldap's report of an LDAP error (server down, timeout, the service
    account's bind refused...): the sign-in could not be checked, which the form says."""
    if request is not None:
        setattr(request, UNAVAILABLE_FLAG, True)


ldap_error.connect(_directory_unavailable, sender=DirectoryBackend, weak=False)


def directory_unavailable(request) -> bool:
    return bool(request is not None and getattr(request, UNAVAILABLE_FLAG, False))


def directory_conflict(request) -> bool:
    return bool(request is not None and getattr(request, CONFLICT_FLAG, False))


def directory_unknown_person(request) -> bool:
    return bool(request is not None and getattr(request, UNKNOWN_PERSON_FLAG, False))


@checks.register(checks.Tags.security)
def check_directory_settings(app_configs, **kwargs):
    if not enabled() or portal_settings.ZI_LDAP_USER_SEARCH_BASE:
        return []
    return [
        checks.Error(
            "ZI_LDAP_SERVER_URI is set but ZI_LDAP_USER_SEARCH_BASE is empty: nobody could be "
            "found in the directory.",
            hint="Set it to the branch holding the people, e.g. ou=people,dc=kemenag,dc=go,dc=id.",
            id="zi_portal.E021",
        )
    ]


_LOOPBACK = ("127.0.0.1", "::1", "localhost")


@checks.register(checks.Tags.security, deploy=True)
def check_directory_tls(app_configs, **kwargs):
    """ldap:// without StartTLS sends every directory password in clear over the network."""
    if not enabled() or portal_settings.ZI_LDAP_START_TLS:
        return []
    # libldap takes several URIs separated by spaces, tried in turn.
    uris = [urlsplit(uri) for uri in portal_settings.ZI_LDAP_SERVER_URI.split()]
    if all(u.scheme in ("ldaps", "ldapi") or u.hostname in _LOOPBACK for u in uris):
        return []
    return [
        checks.Warning(
            "ZI_LDAP_SERVER_URI uses ldap:// without ZI_LDAP_START_TLS: directory passwords "
            "would cross the network unencrypted.",
            hint="Use ldaps://host:636 or set ZI_LDAP_START_TLS=1 (and ZI_LDAP_CA_FILE).",
            id="zi_portal.W021",
        )
    ]

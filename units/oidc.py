"""Sign-in with SSO Kemenag (OpenID Connect, issue 20): the relying party's backend.

mozilla-django-oidc runs the code flow (state, nonce, PKCE, the token call, the ID token's
signature against the provider's JWKS); this backend decides *who* the person is in the portal:

0. the account already bound to this identity of the provider (`iss` and `sub`, kept in
   units.User.sso_subject at the first SSO sign-in), else
1. an active account whose NIP (units.User.nip) equals the NIP claim (ZI_OIDC_NIP_CLAIM, 18
   digits), else
2. an active account whose e-mail equals the e-mail claim, case-insensitively, only when the
   provider says it is verified (`email_verified` true) and the account has no other NIP, else
3. with ZI_OIDC_CREATE_USERS, a new account without any role and without a usable password,
   else refused ("akun belum terdaftar").

An account matched by 1 or 2 that is bound to another identity is refused ("bound"): a NIP
claim changed at the provider or a recycled e-mail must not hand an account over. An admin's
"Reset faktor kedua" clears the binding (units.second_factor.reset).

Roles are never read from the provider; an admin grants them in the portal. An existing
account is not changed from the claims (name, e-mail, NIP stay as the portal has them): the
portal's data is what its admins checked, and a claim changed at the provider must not move a
person's identity here. Service accounts and inactive accounts are refused.

Beyond the library, the ID token must name this client in `aud` and come from ZI_OIDC_ISSUER
(`iss`): mozilla-django-oidc 5.0.2 checks neither.
"""

from __future__ import annotations

import logging
from urllib.parse import urlsplit

import jwt
from django.conf import settings
from django.core import checks
from django.core.exceptions import SuspiciousOperation
from django.db import IntegrityError, transaction
from django.utils.translation import gettext_lazy as _
from mozilla_django_oidc.auth import OIDCAuthenticationBackend

from core import audit
from core.errors import UnitsError
from units import identity, services
from units.backends import MembershipsBackend
from units.models import User

log = logging.getLogger(__name__)

# RFC 8176 `amr` values that name an authentication factor, by kind. "mfa" is trusted on its
# own; otherwise two distinct methods of which at least one is not something known (a password
# and an OTP: yes; a password and a PIN, or one OTP alone: no). Values such as "rba", "geo",
# "wia" or "user" name no factor and count for nothing.
KNOWLEDGE_AMR = frozenset({"pwd", "pin", "kba"})
OTHER_FACTOR_AMR = frozenset(
    {"otp", "hwk", "swk", "sms", "tel", "sc", "fpt", "face", "iris", "retina", "vbm"}
)
# Seconds of clock difference with the provider tolerated on `iat`, `exp` and `nbf`.
CLOCK_LEEWAY = 60
REFUSAL = "_zi_oidc_refusal"  # request attribute: why the callback failed, for the login page
AMR = "_zi_oidc_amr"  # request attribute: the verified ID token's `amr`
# Request attribute: the ID token, for the session once signed in; and the session key of the
# logout's id_token_hint (units/views_oidc.py). Names, not secrets.
ID_TOKEN = "_zi_oidc_id_token"  # noqa: S105
SESSION_ID_TOKEN = "oidc_id_token"  # noqa: S105

AUDIT_ACTIONS = {
    "zi.oidc.signed_in": _("Masuk dengan SSO"),
    "zi.oidc.account_created": _("Akun dibuat dari SSO"),
    "zi.oidc.refused": _("Masuk dengan SSO ditolak"),
}

REFUSALS = {
    "unknown": _(
        "Akun Anda belum terdaftar di ZI Portal; minta admin unit Anda mendaftarkan akun dengan "
        "NIP atau e-mail Anda, lalu masuk lagi dengan SSO."
    ),
    "inactive": _("Akun Anda di ZI Portal tidak aktif. Hubungi admin unit Anda."),
    "conflict": _(
        "Data SSO Anda tidak cocok dengan akun ZI Portal (NIP berbeda). Hubungi admin unit Anda."
    ),
    "bound": _(
        "Akun ZI Portal dengan NIP atau e-mail ini sudah terhubung dengan identitas SSO lain. "
        "Hubungi admin unit Anda."
    ),
    "failed": _("Masuk dengan SSO Kemenag gagal. Silakan coba lagi."),
}


def enabled() -> bool:
    return bool(settings.OIDC_RP_CLIENT_ID)


def has_mfa(amr) -> bool:
    if not isinstance(amr, list):
        return False
    methods = {str(value).lower() for value in amr}
    if "mfa" in methods:
        return True
    factors = methods & (KNOWLEDGE_AMR | OTHER_FACTOR_AMR)
    return len(factors) >= 2 and bool(factors & OTHER_FACTOR_AMR)


def _nip(claims: dict) -> str:
    return identity.valid_nip(claims.get(settings.ZI_OIDC_NIP_CLAIM))


def subject_of(payload: dict) -> str:
    """The provider's identity of the person: its issuer and `sub` (unique per issuer)."""
    return f"{str(payload.get('iss', '')).rstrip('/')} {payload.get('sub')}"


def _verified_email(claims: dict) -> str:
    """The e-mail claim (units.identity.plain_email) when the provider verified it."""
    return identity.plain_email(claims.get("email")) if claims.get("email_verified") is True else ""


def axes_exempt(request, credentials) -> bool:
    """AXES_WHITELIST_CALLABLE: django-axes counts password guesses; a refused SSO sign-in is
    not one (the provider checked the password), and counting them (with no username) would
    lock a whole office's address out of SSO after five unknown people. The callback stays
    rate-limited with the login form."""
    return "nonce" in (credentials or {})


class PortalOIDCBackend(OIDCAuthenticationBackend):
    def authenticate(self, request, **kwargs):
        # Only the callback view passes `nonce`: the password form's authenticate() call must
        # never run a code exchange because its URL carries ?code=&state=.
        if request is None or not enabled() or "nonce" not in kwargs:
            return None
        return super().authenticate(request, **kwargs)

    def _verify_jws(self, payload, key):
        # As the library's, with a leeway for the provider's clock; every PyJWT error (not only
        # DecodeError: ImmatureSignatureError for an `iat` ahead of our clock,
        # ExpiredSignatureError...) is turned into SuspiciousOperation by verify_token.
        alg = jwt.get_unverified_header(payload).get("alg")
        if alg != self.OIDC_RP_SIGN_ALGO:
            raise SuspiciousOperation("ID token signed with another algorithm.")
        return jwt.decode(
            payload, key, algorithms=[alg], leeway=CLOCK_LEEWAY, options={"verify_aud": False}
        )

    def verify_token(self, token, **kwargs):
        try:
            payload = super().verify_token(token, **kwargs)
        except (jwt.PyJWTError, KeyError, ValueError, TypeError) as error:
            # A header without `kid`, a token that is not a JWT (or none: scopes without
            # `openid`), a clock too far off: the callback's "failed", never a server error.
            raise SuspiciousOperation(f"ID token does not verify: {error!r}") from error
        if kwargs.get("nonce") is None:
            return payload  # a userinfo answer signed as a JWT: not an ID token
        audience = payload.get("aud")
        audiences = audience if isinstance(audience, list) else [audience]
        if settings.OIDC_RP_CLIENT_ID not in audiences:
            raise SuspiciousOperation("ID token not issued to this client (aud).")
        if settings.ZI_OIDC_ISSUER and payload.get("iss", "").rstrip("/") != (
            settings.ZI_OIDC_ISSUER
        ):
            raise SuspiciousOperation("ID token from another issuer (iss).")
        setattr(self.request, AMR, payload.get("amr"))
        return payload

    def store_tokens(self, access_token, id_token):
        # Not into the session yet: a sign-in refused afterwards would leave another identity's
        # ID token in the anonymous session, and a later password login's logout would send it
        # as id_token_hint. SignInCallback.login_success writes it after auth.login.
        setattr(self.request, ID_TOKEN, id_token)

    def verify_claims(self, claims) -> bool:
        return bool(claims.get("sub"))

    def _refuse(self, reason: str, user: User | None = None):
        setattr(self.request, REFUSAL, reason)
        if user is not None:
            audit.record("zi.oidc.refused", user, by=None, reason=reason)
        log.warning("SSO sign-in refused (%s)", reason)
        return None

    def get_or_create_user(self, access_token, id_token, payload):
        userinfo = self.get_userinfo(access_token, id_token, payload)
        # OpenID Connect Core 5.3.2: the userinfo answer must be about the ID token's subject.
        if not self.verify_claims(payload) or userinfo.get("sub") != payload.get("sub"):
            return self._refuse("failed")
        claims = {**payload, **userinfo}
        subject = subject_of(payload)
        user, matched_by = User.objects.filter(sso_subject=subject).first(), "subject"
        if user is None:
            user, matched_by, reason = self._match_by_claims(claims)
            if reason:
                return self._refuse(reason, user)
            if user is not None and user.sso_subject:
                # Bound to another identity of the provider: a NIP or e-mail claim that now
                # names this account (changed at the provider, a recycled address) must not
                # hand it over.
                return self._refuse("bound", user)
        if user is None:
            if not (settings.ZI_OIDC_CREATE_USERS and _verified_email(claims)):
                return self._refuse("unknown")
            return self.create_user({**claims, "_subject": subject})
        if hasattr(user, "service_account") or not user.is_active:
            return self._refuse("inactive", user)
        if not user.sso_subject:
            user.sso_subject = subject
            try:
                with transaction.atomic():
                    user.save(update_fields=["sso_subject"])
            except IntegrityError:  # the same identity bound to another account meanwhile
                return self._refuse("failed")
        audit.record("zi.oidc.signed_in", user, by=user, matched_by=matched_by)
        return user

    @staticmethod
    def _match_by_claims(claims) -> tuple[User | None, str, str]:
        """(account, matched_by, refusal reason): units.identity, the NIP not required to agree
        when the provider sends none (the account is then bound to the provider's subject)."""
        try:
            user, matched_by = identity.account_for(
                nip=_nip(claims), email=_verified_email(claims), nip_must_agree=False
            )
        except identity.IdentityConflict as conflict:
            return conflict.user, "email", "conflict"
        return user, matched_by, ""

    def create_user(self, claims):
        """An account with no role and no usable password: an admin grants roles later."""
        email, nip = _verified_email(claims), _nip(claims)
        name = str(claims.get("name") or "").strip()[:150] or email.split("@")[0]
        if nip and User.objects.filter(nip=nip).exists():
            nip = ""
        try:
            with transaction.atomic():
                user = services.person_create(email=email, full_name=name, nip=nip)
                user.sso_subject = claims.get("_subject", "")
                user.save(update_fields=["sso_subject"])
                audit.record("zi.oidc.account_created", user, by=user, nip=bool(nip))
        except (IntegrityError, UnitsError):  # the address or the subject taken meanwhile
            return self._refuse("failed")
        return user

    def get_user(self, user_id):
        # The session's user read as the password login's backend reads it: with memberships.
        return MembershipsBackend().get_user(user_id)


_LOOPBACK = ("127.0.0.1", "::1", "localhost")
ENDPOINT_SETTINGS = {
    "ZI_OIDC_ISSUER": "ZI_OIDC_ISSUER",
    "ZI_OIDC_AUTHORIZATION_ENDPOINT": "OIDC_OP_AUTHORIZATION_ENDPOINT",
    "ZI_OIDC_TOKEN_ENDPOINT": "OIDC_OP_TOKEN_ENDPOINT",
    "ZI_OIDC_USERINFO_ENDPOINT": "OIDC_OP_USER_ENDPOINT",
    "ZI_OIDC_JWKS_ENDPOINT": "OIDC_OP_JWKS_ENDPOINT",
    "ZI_OIDC_END_SESSION_ENDPOINT": "ZI_OIDC_END_SESSION_ENDPOINT",
}


@checks.register(checks.Tags.security, deploy=True)
def check_provider_https(app_configs, **kwargs):
    """Over plain http the client secret, the codes, the tokens and the signing keys could be
    read or replaced on the way (a forged JWKS signs anyone in)."""
    if not enabled():
        return []
    plain = []
    for name, setting in ENDPOINT_SETTINGS.items():
        url = urlsplit(getattr(settings, setting, "") or "")
        if url.scheme and url.scheme != "https" and url.hostname not in _LOOPBACK:
            plain.append(name)
    if not plain:
        return []
    return [
        checks.Warning(
            f"{', '.join(plain)} not https://: SSO's secrets and keys would cross the network "
            "unencrypted.",
            hint="Use the provider's https:// URLs (plain http only on loopback).",
            id="zi_portal.W022",
        )
    ]

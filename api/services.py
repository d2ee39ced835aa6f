"""Personal tokens and service accounts: made, revoked, audited."""

from __future__ import annotations

import secrets
from datetime import datetime

from django.db import transaction
from django.utils import timezone
from django.utils.text import slugify
from django.utils.translation import gettext as _

from api.models import ApiToken, ServiceAccount
from api.tokens import token_new
from core import audit
from core.errors import UnitsError
from units import permissions
from units.models import Role, Unit, User
from units.services import membership_grant, person_create

NAME_MAX = 80
MAX_LIVE_TOKENS = 20  # per account: a forgotten loop making tokens stops here


def token_create(*, user, name: str, expires_at: datetime | None, by) -> tuple[ApiToken, str]:
    """A new token for `user`; returns it and the raw token, which is never shown again."""
    name = " ".join(name.split())
    if not name:
        raise UnitsError(_("Beri nama token (misalnya nama aplikasi yang memakainya)."))
    if len(name) > NAME_MAX:
        raise UnitsError(_("Nama token paling panjang %(n)d karakter.") % {"n": NAME_MAX})
    if expires_at is not None and expires_at <= timezone.now():
        raise UnitsError(_("Tanggal berlaku token harus di masa depan."))
    with transaction.atomic():
        if ApiToken.objects.live().filter(user=user).count() >= MAX_LIVE_TOKENS:
            raise UnitsError(
                _("Paling banyak %(n)d token aktif; cabut token yang tidak dipakai.")
                % {"n": MAX_LIVE_TOKENS}
            )
        raw, prefix, digest = token_new()
        token = ApiToken.objects.create(
            user=user, name=name, prefix=prefix, digest=digest, expires_at=expires_at,
            auth_hash=user.get_session_auth_hash(),
            created_by=by,
        )  # fmt: skip
        audit.record("zi.api_token.created", token, by=by, owner=user.pk, name=name)
    return token, raw


def token_revoke(*, token: ApiToken, by) -> None:
    with transaction.atomic():
        changed = ApiToken.objects.filter(pk=token.pk, revoked_at__isnull=True).update(
            revoked_at=timezone.now()
        )
        if changed:
            audit.record("zi.api_token.revoked", token, by=by, owner=token.user_id)


# What a service account may hold: roles that read, each with the scope of the unit chosen
# (Kanwil/Eselon I subtree, Itjen's subtree, or national for Biro Ortala's own systems). Never
# operator or pimpinan (they write a unit's LKE and sign its steps) nor TPN (KemenPAN-RB's
# evaluators): a system reading the portal is not one of them. Its tokens only read anyway
# (api.permissions.SignedIn).
SERVICE_ROLES = (Role.REVIEWER, Role.TPI, Role.ADMIN)
SERVICE_EMAIL_DOMAIN = "layanan.zi"


def service_account_create(
    *, full_name: str, email: str, description: str, role: str, unit: Unit, by: User
) -> ServiceAccount:
    """A user who never signs in (no password: units.backends refuses it, a reset is never
    sent) holding one membership, the account's fixed scope."""
    _require_admin(by)
    if role not in SERVICE_ROLES:
        raise UnitsError(_("Akun layanan hanya dapat memegang peran baca (reviewer, TPI, admin)."))
    full_name = " ".join(full_name.split())
    if not full_name:
        raise UnitsError(_("Beri nama akun layanan."))
    email = (email or "").strip().lower() or _generated_email(full_name)
    with transaction.atomic():
        user = person_create(email=email, full_name=full_name, password=None, by=by)
        membership_grant(user=user, unit=unit, role=role, by=by)
        account = ServiceAccount.objects.create(
            user=user, description=description.strip(), created_by=by
        )
        audit.record(
            "zi.service_account.created", account, by=by, email=email, role=role, unit=unit.code
        )
    return account


def service_token_create(
    *, account: ServiceAccount, name: str, expires_at: datetime | None, by: User
) -> tuple[ApiToken, str]:
    """A token for a service account, by the admin (with or without an expiry)."""
    _require_admin(by)
    if not account.user.is_active:
        raise UnitsError(_("Akun layanan ini sudah dinonaktifkan."))
    return token_create(user=account.user, name=name, expires_at=expires_at, by=by)


def tokens_revoke_all(*, user, by) -> None:
    """Every live token of `user` revoked (the account was deactivated)."""
    for token in ApiToken.objects.live().filter(user=user):
        token_revoke(token=token, by=by)


def service_account_deactivate(*, account: ServiceAccount, by: User) -> None:
    """The account stops at once: inactive (token authentication asks) and every token
    revoked, so that reactivating it in the Django admin does not revive old tokens."""
    _require_admin(by)
    with transaction.atomic():
        user = User.objects.select_for_update().get(pk=account.user_id)
        if not user.is_active:
            return
        user.is_active = False
        user.save(update_fields=["is_active"])
        tokens_revoke_all(user=user, by=by)
        audit.record("zi.service_account.changed", account, by=by, is_active=False)
    account.user.is_active = False


def _require_admin(by: User) -> None:
    if not permissions.is_admin(by):
        raise UnitsError(_("Hanya Admin nasional yang mengelola akun layanan."), forbidden=True)


def _generated_email(full_name: str) -> str:
    slug = slugify(full_name)[:40].strip("-") or "akun"
    return f"svc-{slug}-{secrets.token_hex(2)}@{SERVICE_EMAIL_DOMAIN}"

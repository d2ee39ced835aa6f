"""Personal tokens and service accounts: made, revoked, audited."""

from __future__ import annotations

from datetime import datetime

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from api.models import ApiToken
from api.tokens import token_new
from core import audit
from core.errors import UnitsError

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

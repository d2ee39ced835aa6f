"""Upload limits: what Admin nasional set (EvidencePolicy, cached until changed), else the
ZI_EVIDENCE_* settings; and changing them."""

from __future__ import annotations

from dataclasses import dataclass

from django.conf import settings
from django.core.cache import cache
from django.db import transaction
from django.utils.translation import gettext as _

from assessments.evidence.filetypes import DEFAULT_ALLOWED, FILE_TYPES, MB, FileType
from assessments.evidence.models import EvidencePolicy
from core.errors import EvidenceError

POLICY_CACHE_KEY = "zi:evidence-policy"


def policy() -> EvidencePolicy:
    """The admin-edited limits (cached for a minute; saving them clears the cache)."""
    cached = cache.get(POLICY_CACHE_KEY)
    if cached is None:
        cached = EvidencePolicy.objects.order_by("pk").first() or EvidencePolicy()
        cache.set(POLICY_CACHE_KEY, cached, 60)
    return cached


def max_bytes() -> int:
    if policy().max_file_mb:
        return policy().max_file_mb * MB
    return int(getattr(settings, "ZI_EVIDENCE_MAX_BYTES", 20 * MB))


def unit_quota_bytes() -> int:
    if policy().unit_quota_mb:
        return policy().unit_quota_mb * MB
    return int(getattr(settings, "ZI_EVIDENCE_UNIT_QUOTA_BYTES", 2 * 1024 * MB))


def allowed_types() -> list[FileType]:
    edited = [key.strip().lower() for key in policy().allowed_types.split(",") if key.strip()]
    keys = edited or getattr(settings, "ZI_EVIDENCE_ALLOWED_TYPES", DEFAULT_ALLOWED)
    return [FILE_TYPES[key] for key in keys if key in FILE_TYPES]


@dataclass(frozen=True)
class Limits:
    """What the upload widget tells the user (and checks before sending)."""

    max_bytes: int
    quota_bytes: int
    labels: str
    accept: str


def limits() -> Limits:
    types = allowed_types()
    return Limits(
        max_bytes=max_bytes(),
        quota_bytes=unit_quota_bytes(),
        labels=", ".join(t.label for t in types),
        accept=",".join(f".{ext}" for t in types for ext in t.extensions),
    )


def evidence_policy_update(
    *, max_file_mb: int | None, unit_quota_mb: int | None, allowed_types: str, by
) -> EvidencePolicy:
    """Admin nasional changes the upload limits; they apply from the next upload."""
    from units.permissions import is_admin

    if not is_admin(by):
        raise EvidenceError(
            _("Hanya Admin nasional yang dapat mengubah batas unggahan."), forbidden=True
        )
    keys = [key.strip().lower() for key in allowed_types.split(",") if key.strip()]
    unknown = [key for key in keys if key not in FILE_TYPES]
    if unknown:
        raise EvidenceError(_("Tipe tidak dikenal: %(types)s.") % {"types": ", ".join(unknown)})
    with transaction.atomic():
        current = EvidencePolicy.objects.select_for_update().order_by("pk").first()
        current = current or EvidencePolicy()
        current.max_file_mb, current.unit_quota_mb = max_file_mb, unit_quota_mb
        current.allowed_types = ", ".join(keys)
        current.save()
        transaction.on_commit(lambda: cache.delete(POLICY_CACHE_KEY))
    return current

"""Who may call /api/v1/ without a browser session: personal tokens and service accounts.

A token is shown once when it is made; only its SHA-256 is stored (a leaked database does not
hand out working tokens), with its first characters to tell tokens apart in a list. A token
acts as its owner: the same memberships, the same scope, the same pages' rules.

A service account is a user who never signs in to the pages (no password; the login backends
refuse it) holding memberships the admin chose: its scope is fixed there, like a person's. Its
tokens read only (api.permissions).
"""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class ApiTokenQuerySet(models.QuerySet):
    def live(self):
        now = timezone.now()
        return self.filter(revoked_at__isnull=True).filter(
            Q(expires_at__isnull=True) | Q(expires_at__gt=now)
        )

    def owned_by(self, user):
        """A person's own tokens, newest first: the only ones their token page shows or
        revokes (any other pk is a 404)."""
        return self.filter(user_id=user.pk).order_by("-created_at", "-pk")


class TokenStatus(models.TextChoices):
    LIVE = "live", _("aktif")
    EXPIRED = "expired", _("kedaluwarsa")
    REVOKED = "revoked", _("dicabut")


class ApiToken(models.Model):
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("pemilik"),
        on_delete=models.CASCADE,
        related_name="api_tokens",
    )
    name = models.CharField(_("nama"), max_length=80)
    prefix = models.CharField(_("awalan"), max_length=16)
    digest = models.CharField(max_length=64, unique=True, editable=False)
    # The owner's password as it was (Django's session auth hash, an HMAC of the stored
    # hash): a new password ends the tokens made before it, as it ends the sessions.
    auth_hash = models.CharField(max_length=128, editable=False, default="")
    created_at = models.DateTimeField(_("dibuat"), auto_now_add=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    expires_at = models.DateTimeField(_("berlaku sampai"), null=True, blank=True)
    last_used_at = models.DateTimeField(_("terakhir dipakai"), null=True, blank=True)
    revoked_at = models.DateTimeField(_("dicabut"), null=True, blank=True)

    objects = ApiTokenQuerySet.as_manager()

    class Meta:
        verbose_name = _("token API")
        verbose_name_plural = _("token API")
        ordering = ["-created_at", "-pk"]
        indexes = [models.Index(fields=["user", "revoked_at"], name="apitoken_user_live_idx")]

    def __str__(self) -> str:
        return f"{self.name} ({self.prefix}…)"

    @property
    def is_live(self) -> bool:
        return self.status == TokenStatus.LIVE

    @property
    def status(self) -> str:
        if self.revoked_at is not None:
            return TokenStatus.REVOKED
        if self.expires_at is not None and self.expires_at <= timezone.now():
            return TokenStatus.EXPIRED
        return TokenStatus.LIVE

    def get_status_display(self) -> str:
        return str(TokenStatus(self.status).label)


class ServiceAccountQuerySet(models.QuerySet):
    def for_list(self):
        """With the account, its scope (memberships and units) and its live tokens counted."""
        now = timezone.now()
        live = Q(user__api_tokens__revoked_at__isnull=True) & (
            Q(user__api_tokens__expires_at__isnull=True) | Q(user__api_tokens__expires_at__gt=now)
        )
        return (
            self.select_related("user")
            .prefetch_related("user__memberships__unit")
            .annotate(live_tokens=models.Count("user__api_tokens", filter=live))
            .order_by("user__full_name", "pk")
        )


class ServiceAccount(models.Model):
    """Another system (Biro Ortala's dashboard, the data warehouse) reading the portal."""

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL,
        verbose_name=_("akun"),
        on_delete=models.CASCADE,
        related_name="service_account",
    )
    description = models.TextField(_("keterangan"), blank=True)
    created_at = models.DateTimeField(_("dibuat"), auto_now_add=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )

    objects = ServiceAccountQuerySet.as_manager()

    class Meta:
        verbose_name = _("akun layanan")
        verbose_name_plural = _("akun layanan")
        ordering = ["user__full_name"]

    def __str__(self) -> str:
        return self.user.full_name

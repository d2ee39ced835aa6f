from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from notifications.messages import render


class Notification(models.Model):
    """An in-app inbox entry (also e-mailed unless the user muted e-mail)."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="notifications"
    )
    kind = models.CharField(_("jenis"), max_length=40)
    title = models.CharField(_("judul"), max_length=200)
    body = models.TextField(_("isi"), blank=True)
    url = models.CharField(max_length=300, blank=True)
    # The same title and body as message keys with parameters (notifications.messages), so
    # each reader sees them in their own language; `title`/`body` are the portal-language text.
    message = models.JSONField(default=dict, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    read_at = models.DateTimeField(null=True, blank=True)
    # Idempotency of scheduled reminders: one per (user, key).
    dedupe_key = models.CharField(max_length=120, blank=True)

    class Meta:
        verbose_name = _("notifikasi")
        verbose_name_plural = _("notifikasi")
        ordering = ["-created_at", "-pk"]
        indexes = [models.Index(fields=["user", "read_at"], name="notification_user_unread")]
        constraints = [
            models.UniqueConstraint(
                fields=["user", "dedupe_key"],
                condition=~models.Q(dedupe_key=""),
                name="notification_unique_dedupe",
            ),
        ]

    def __str__(self) -> str:
        return self.title

    @property
    def shown_title(self) -> str:
        """The title in the active language (the stored text for entries made before)."""
        return render(self.message["title"]) if self.message.get("title") else self.title

    @property
    def shown_body(self) -> str:
        return render(self.message["body"]) if self.message.get("body") else self.body

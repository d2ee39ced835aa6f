from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class PredicateAward(models.Model):
    """A predicate a unit holds: the unit's predicate history (year, predicate, SK, revoked)."""

    unit = models.ForeignKey("units.Unit", on_delete=models.PROTECT, related_name="awards")
    assessment = models.OneToOneField(
        "assessments.Assessment",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="award",
    )
    year = models.PositiveSmallIntegerField(_("tahun"))
    predicate = models.CharField(
        _("predikat"), max_length=8, choices=[("WBK", "WBK"), ("WBBM", "WBBM")]
    )
    sk_number = models.CharField(_("nomor SK"), max_length=120)
    sk_date = models.DateField(_("tanggal SK"), null=True, blank=True)
    granted_at = models.DateTimeField(_("ditetapkan pada"), null=True, blank=True)
    # Required when TPN grants what its own layer does not meet (checks.tpn_layer_meets_target).
    justification = models.TextField(_("justifikasi penetapan"), blank=True)
    granted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    revoked_at = models.DateTimeField(_("dicabut"), null=True, blank=True)
    revoked_reason = models.TextField(_("alasan pencabutan"), blank=True)

    class Meta:
        verbose_name = _("predikat unit")
        verbose_name_plural = _("predikat unit")
        ordering = ["unit", "-year"]
        constraints = [
            models.UniqueConstraint(
                fields=["unit", "year", "predicate"], name="award_unique_per_year"
            ),
            models.CheckConstraint(
                condition=models.Q(revoked_at__isnull=True) | ~models.Q(revoked_reason=""),
                name="award_revocation_has_reason",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.predicate} {self.year} · {self.unit}"


class FieldVisit(models.Model):
    """TPN's field evaluation (verifikasi lapangan) of a proposed unit."""

    assessment = models.ForeignKey(
        "assessments.Assessment", on_delete=models.CASCADE, related_name="field_visits"
    )
    visited_on = models.DateField(_("tanggal kunjungan"))
    team = models.TextField(_("tim"), help_text=_("Satu nama per baris."))
    findings = models.TextField(_("temuan"))
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("kunjungan lapangan")
        verbose_name_plural = _("kunjungan lapangan")
        ordering = ["assessment", "visited_on"]

    def __str__(self) -> str:
        return f"{self.assessment} · {self.visited_on}"

"""TPN's decisions on a proposed unit after the proposal itself: the administrative selection
(seleksi administrasi) and the unit's one appeal (sanggah). Both are written only by the
effects of their workflow transitions (assessments/effects.py), so each decision is also a
TransitionEvent in the stage history."""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _


class SelectionOutcome(models.TextChoices):
    PASSED = "lulus", _("Lulus")
    PASSED_WITH_NOTES = "lulus_catatan", _("Lulus dengan catatan")
    FAILED = "tidak_lulus", _("Tidak lulus")


class SelectionResult(models.Model):
    """TPN's administrative selection of one proposed assessment. "Lulus dengan catatan" asks
    the unit for a corrected proposal letter and an SPTJM; TPN confirms them before the
    evaluation (`confirmed_at`)."""

    assessment = models.OneToOneField(
        "assessments.Assessment", on_delete=models.CASCADE, related_name="selection"
    )
    outcome = models.CharField(_("hasil seleksi"), max_length=16, choices=SelectionOutcome.choices)
    note = models.TextField(_("catatan"), blank=True)
    decided_at = models.DateTimeField(_("diputuskan"))
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    imported = models.BooleanField(_("dari daftar TPN yang diimpor"), default=False)
    confirmed_at = models.DateTimeField(_("perbaikan diterima"), null=True, blank=True)
    confirmed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL,
        related_name="+",
    )  # fmt: skip

    class Meta:
        verbose_name = _("hasil seleksi administrasi")
        verbose_name_plural = _("hasil seleksi administrasi")
        constraints = [
            models.CheckConstraint(
                condition=Q(outcome="lulus") | ~Q(note=""), name="selection_note_unless_passed"
            ),
            models.CheckConstraint(
                condition=Q(confirmed_at__isnull=True) | Q(outcome="lulus_catatan"),
                name="selection_confirmed_only_with_notes",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.assessment} · {self.get_outcome_display()}"


class AppealDecision(models.TextChoices):
    PENDING = "pending", _("Menunggu keputusan TPN")
    ACCEPTED = "accepted", _("Diterima: kembali ke evaluasi")
    REJECTED = "rejected", _("Ditolak (final)")


class Appeal(models.Model):
    """A unit's sanggah: one per assessment (the constraint is the rule), filed inside the
    period's window against "tidak ditetapkan" or "tidak lulus seleksi"; TPN's decision is
    final. Its files are evidence of kind "sanggah" (through the evidence rules)."""

    assessment = models.OneToOneField(
        "assessments.Assessment", on_delete=models.CASCADE, related_name="appeal"
    )
    against = models.CharField(_("atas keputusan"), max_length=24)  # the status appealed
    reasons = models.TextField(_("alasan sanggah"))
    links = models.JSONField(_("tautan data dukung"), default=list, blank=True)
    filed_at = models.DateTimeField(_("diajukan"))
    filed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    decision = models.CharField(
        _("keputusan"), max_length=12, choices=AppealDecision.choices,
        default=AppealDecision.PENDING,
    )  # fmt: skip
    decision_reason = models.TextField(_("alasan keputusan"), blank=True)
    decided_at = models.DateTimeField(_("diputuskan"), null=True, blank=True)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL,
        related_name="+",
    )  # fmt: skip

    class Meta:
        verbose_name = _("sanggah")
        verbose_name_plural = _("sanggah")
        constraints = [
            models.CheckConstraint(
                condition=Q(decision="pending", decided_at__isnull=True)
                | (~Q(decision="pending") & Q(decided_at__isnull=False) & ~Q(decision_reason="")),
                name="appeal_decision_complete",
            ),
            models.CheckConstraint(condition=~Q(reasons=""), name="appeal_has_reasons"),
        ]

    def __str__(self) -> str:
        return f"{self.assessment} · {self.get_decision_display()}"

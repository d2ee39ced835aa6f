from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from units.models import CONTENT_VERSION_HELP, VersionedQuerySet


class Stage(models.TextChoices):
    """The five stages of the programme (PermenPAN-RB 90/2021)."""

    PENCANANGAN = "pencanangan", _("Pencanangan")
    PEMBANGUNAN = "pembangunan", _("Pembangunan")
    PENILAIAN = "penilaian", _("Penilaian mandiri/internal")
    PENGUSULAN = "pengusulan", _("Pengusulan ke TPN")
    EVALUASI = "evaluasi", _("Evaluasi & penetapan")


class Status(models.TextChoices):
    """Where an assessment stands; each status belongs to one stage (STAGE_OF)."""

    PENCANANGAN = "pencanangan", _("Pencanangan")
    PEMBANGUNAN = "pembangunan", _("Pembangunan: mengisi LKE")
    SUBMITTED = "submitted", _("Menunggu persetujuan pimpinan")
    PRELIMINARY_REVIEW = "preliminary_review", _("Reviu pendahuluan")
    RETURNED_PRELIMINARY = "returned_preliminary", _("Dikembalikan oleh reviewer pendahuluan")
    TPI_REVIEW = "tpi_review", _("Penilaian TPI")
    RETURNED_TPI = "returned_tpi", _("Dikembalikan oleh TPI")
    TPI_PASSED = "tpi_passed", _("Lolos TPI")
    TPI_FAILED = "tpi_failed", _("TMS (tidak memenuhi syarat)")
    PROPOSED = "proposed", _("Diusulkan ke TPN: seleksi administrasi")
    SELECTION_NOTES = "selection_notes", _("Lulus seleksi dengan catatan: melengkapi dokumen")
    SELECTION_FAILED = "selection_failed", _("Tidak lulus seleksi administrasi")
    TPN_EVALUATION = "tpn_evaluation", _("Evaluasi TPN")
    GRANTED = "granted", _("Predikat ditetapkan")
    NOT_GRANTED = "not_granted", _("Predikat tidak ditetapkan")
    APPEALED = "appealed", _("Sanggah diajukan")
    APPEAL_REJECTED = "appeal_rejected", _("Sanggah ditolak")


STAGE_OF = {
    Status.PENCANANGAN: Stage.PENCANANGAN,
    Status.PEMBANGUNAN: Stage.PEMBANGUNAN,
    Status.SUBMITTED: Stage.PEMBANGUNAN,
    Status.PRELIMINARY_REVIEW: Stage.PENILAIAN,
    Status.RETURNED_PRELIMINARY: Stage.PENILAIAN,
    Status.TPI_REVIEW: Stage.PENILAIAN,
    Status.RETURNED_TPI: Stage.PENILAIAN,
    Status.TPI_PASSED: Stage.PENGUSULAN,
    Status.TPI_FAILED: Stage.PENILAIAN,
    Status.PROPOSED: Stage.EVALUASI,
    Status.SELECTION_NOTES: Stage.EVALUASI,
    Status.SELECTION_FAILED: Stage.EVALUASI,
    Status.TPN_EVALUATION: Stage.EVALUASI,
    Status.GRANTED: Stage.EVALUASI,
    Status.NOT_GRANTED: Stage.EVALUASI,
    Status.APPEALED: Stage.EVALUASI,
    Status.APPEAL_REJECTED: Stage.EVALUASI,
}
# Decided. A unit that was not granted, or did not pass TPN's administrative selection, may
# still file one sanggah inside the period's window (workflow: "file_appeal").
FINAL_STATUSES = frozenset(
    {Status.TPI_FAILED, Status.SELECTION_FAILED, Status.GRANTED, Status.NOT_GRANTED,
     Status.APPEAL_REJECTED}
)  # fmt: skip
# Proposed to TPN, in whatever it decided since: what counts against the period's quota.
PROPOSED_STATUSES = (
    Status.PROPOSED, Status.SELECTION_NOTES, Status.SELECTION_FAILED, Status.TPN_EVALUATION,
    Status.GRANTED, Status.NOT_GRANTED, Status.APPEALED, Status.APPEAL_REJECTED,
)  # fmt: skip
STATUS_VALUES = frozenset(Status.values)


# The layers answers are kept in, and the kinds of evidence: the status policy speaks of them
# (who writes which layer, who uploads which kind), so they live beside the statuses.
class Layer(models.TextChoices):
    """Who scored: the unit itself, then each reviewer level in its own layer (never
    overwriting an earlier one)."""

    SELF = "self", _("Mandiri (unit)")
    PRELIMINARY = "preliminary", _("Reviu pendahuluan")
    TPI = "tpi", _("TPI")
    TPN = "tpn", _("TPN")


LAYER_ORDER = [Layer.SELF, Layer.PRELIMINARY, Layer.TPI, Layer.TPN]
# Each layer's colour on the printed documents (the LHE's charts, the LKE workbooks).
LAYER_COLORS = {
    Layer.SELF: "#7a8793",
    Layer.PRELIMINARY: "#3b7dd8",
    Layer.TPI: "#1f8a5b",
    Layer.TPN: "#c28a12",
}


class EvidenceKind(models.TextChoices):
    ANSWER = "answer", _("Data dukung jawaban")
    PIAGAM = "piagam", _("Piagam pencanangan")
    PAKTA = "pakta", _("Pakta integritas")
    SK_TIM = "sk_tim", _("SK Tim Kerja")
    FIELD_VISIT = "field_visit", _("Lampiran kunjungan lapangan")
    # TPN's administrative selection "lulus dengan catatan": the unit sends these two again.
    PROPOSAL_LETTER = "surat_usulan", _("Surat usulan (perbaikan)")
    SPTJM = "sptjm", _("SPTJM (surat pernyataan tanggung jawab mutlak)")
    APPEAL = "sanggah", _("Data dukung sanggah")


class Assessment(models.Model):
    """A unit's participation in one period: its stage, its answers in four layers."""

    period = models.ForeignKey(
        "assessments.Period",
        verbose_name=_("periode"),
        on_delete=models.PROTECT,
        related_name="assessments",
    )
    unit = models.ForeignKey(
        "units.Unit",
        verbose_name=_("unit kerja"),
        on_delete=models.PROTECT,
        related_name="assessments",
    )
    target_predicate = models.CharField(
        _("target predikat"), max_length=8, choices=[("WBK", "WBK"), ("WBBM", "WBBM")]
    )
    status = models.CharField(
        _("status"), max_length=24, choices=Status.choices, default=Status.PENCANANGAN
    )
    tpn_layer_released = models.BooleanField(_("nilai TPN dibuka untuk unit"), default=False)
    proposal_override_note = models.TextField(_("justifikasi pengusulan"), blank=True)
    sk_number = models.CharField(_("nomor SK penetapan"), max_length=120, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    status_changed_at = models.DateTimeField(_("status berubah"), auto_now_add=True)
    content_version = models.PositiveIntegerField(
        default=1, editable=False, help_text=CONTENT_VERSION_HELP
    )
    # Moved by save() and by touch(): what the API's `updated_since` sync reads (issue 19).
    updated_at = models.DateTimeField(_("diubah"), auto_now=True, db_index=True)

    objects = VersionedQuerySet.as_manager()

    class Meta:
        verbose_name = _("penilaian")
        verbose_name_plural = _("penilaian")
        ordering = ["period", "unit__path"]
        constraints = [
            models.UniqueConstraint(fields=["period", "unit"], name="assessment_unique_unit"),
        ]
        indexes = [models.Index(fields=["period", "status"], name="assessment_period_status")]

    def __str__(self) -> str:
        return f"{self.unit.name} · {self.period.year}"

    @property
    def stage(self) -> str:
        return STAGE_OF[self.status]

    def get_stage_display(self) -> str:
        return Stage(self.stage).label

    def get_status_display(self) -> str:
        # Django's generated method hashes every choice label (one gettext each) on each call:
        # twelve translations per row of a fifty-row queue instead of one.
        return str(Status(self.status).label) if self.status in STATUS_VALUES else self.status

    @property
    def deadline(self):
        return self.period.deadline_for(self.stage)

    @property
    def is_final(self) -> bool:
        return self.status in FINAL_STATUSES


class TransitionEvent(models.Model):
    """Who moved an assessment from which status to which, when, and why (append-only)."""

    assessment = models.ForeignKey(Assessment, on_delete=models.CASCADE, related_name="events")
    transition = models.CharField(_("tindakan"), max_length=40)
    from_status = models.CharField(_("dari"), max_length=24, choices=Status.choices)
    to_status = models.CharField(_("ke"), max_length=24, choices=Status.choices)
    note = models.TextField(_("catatan"), blank=True)
    by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("oleh"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    at = models.DateTimeField(_("waktu"), default=timezone.now, db_index=True)

    class Meta:
        verbose_name = _("riwayat tahapan")
        verbose_name_plural = _("riwayat tahapan")
        ordering = ["assessment", "at", "pk"]

    def __str__(self) -> str:
        return f"{self.assessment}: {self.from_status} → {self.to_status}"

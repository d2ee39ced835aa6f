"""What a unit shows for its answers and stages (data dukung), and the upload limits."""

from django.conf import settings
from django.core.validators import MinValueValidator
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from assessments.assessment import EvidenceKind


class EvidenceVerdict(models.TextChoices):
    UNCHECKED = "unchecked", _("Belum diperiksa")
    NEEDS_FIX = "needs_fix", _("Perlu perbaikan")
    COMPLETE = "complete", _("Lengkap")


class Evidence(models.Model):
    """One immutable uploaded file (or external link) proving an answer or a stage document.

    Files live in private storage under random names and are only served by an authorised
    view. Removing hides an item from the current set; the row and file stay for the audit.
    An item may share the file of an earlier upload (`source`) when the same document proves
    several items.
    """

    assessment = models.ForeignKey(
        "assessments.Assessment", on_delete=models.CASCADE, related_name="evidence"
    )
    kind = models.CharField(_("jenis"), max_length=12, choices=EvidenceKind.choices)
    question = models.ForeignKey(
        "areas.Question",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="evidence_for",
    )
    field_visit = models.ForeignKey(
        "assessments.FieldVisit",
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="attachments",
    )
    file = models.FileField(_("berkas"), upload_to="evidence/%Y/%m/", blank=True)
    # The upload whose stored file this row shares: one file attached to several items is
    # stored (and counted against the quota) once; each attachment is its own row and verdict.
    source = models.ForeignKey(
        "self",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="attachments",
        verbose_name=_("dilampirkan dari"),
    )
    # The entry of the item's evidence dictionary this file is for (chosen at upload or by the
    # reviewer); without it, an item whose description equals an entry's label covers it.
    requirement = models.ForeignKey(
        "areas.EvidenceRequirement",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="evidence",
        verbose_name=_("entri kamus eviden"),
    )
    # The accepted evidence of the unit's previous period this row references (same stored
    # file, same SHA-256): a document still valid need not be uploaded again.
    carried_over_from = models.ForeignKey(
        "self",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="carried_into",
        verbose_name=_("dibawa dari"),
    )
    document_date = models.DateField(_("tanggal dokumen"), null=True, blank=True)
    url = models.URLField(_("tautan"), blank=True, max_length=500)
    original_name = models.CharField(_("nama berkas"), max_length=255, blank=True)
    size = models.PositiveBigIntegerField(_("ukuran"), default=0)
    content_type = models.CharField(_("tipe"), max_length=120, blank=True)
    sha256 = models.CharField("SHA-256", max_length=64, blank=True, db_index=True)
    description = models.CharField(_("keterangan"), max_length=300, blank=True)
    covers_period = models.CharField(_("periode data"), max_length=60, blank=True)
    scan_status = models.CharField(
        _("pemindaian"), max_length=10, default="clean",
        choices=[("pending", _("Menunggu pemindaian")), ("clean", _("Bersih")),
                 ("infected", _("Terinfeksi"))],
    )  # fmt: skip
    verdict = models.CharField(
        _("hasil pemeriksaan"),
        max_length=12,
        choices=EvidenceVerdict.choices,
        default=EvidenceVerdict.UNCHECKED,
    )
    verdict_note = models.TextField(_("catatan pemeriksaan"), blank=True)
    verdict_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    uploaded_at = models.DateTimeField(_("diunggah"), auto_now_add=True)
    # A verdict, a removal, a requirement chosen: what the API's `updated_since` reads.
    updated_at = models.DateTimeField(_("diubah"), auto_now=True, db_index=True)
    removed_at = models.DateTimeField(_("dihapus"), null=True, blank=True)
    removed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    # Every verdict (and removal) a row went through, with who and when: a verdict is
    # overwritten on the row, never lost.
    history = HistoricalRecords(
        excluded_fields=["description", "covers_period", "file", "updated_at"]
    )

    class Meta:
        verbose_name = _("data dukung")
        verbose_name_plural = _("data dukung")
        ordering = ["assessment", "question", "uploaded_at"]
        indexes = [
            models.Index(fields=["assessment", "question"], name="evidence_assessment_question"),
        ]
        constraints = [
            models.CheckConstraint(condition=~Q(file="") | ~Q(url=""), name="evidence_file_or_url"),
            models.CheckConstraint(
                condition=~Q(kind="answer") | Q(question__isnull=False),
                name="evidence_answer_has_question",
            ),
        ]

    def __str__(self) -> str:
        return self.original_name or self.url

    @property
    def is_current(self) -> bool:
        return self.removed_at is None


class EvidencePolicy(models.Model):
    """Upload limits that Admin nasional may change without a deployment. One row; an empty
    field falls back to the ZI_EVIDENCE_* setting."""

    max_file_mb = models.PositiveIntegerField(
        _("ukuran maksimum per berkas (MB)"), null=True, blank=True,
        validators=[MinValueValidator(1)],
    )  # fmt: skip
    unit_quota_mb = models.PositiveIntegerField(
        _("kuota per unit (MB)"), null=True, blank=True, validators=[MinValueValidator(1)]
    )
    allowed_types = models.CharField(
        _("tipe yang diizinkan"), max_length=200, blank=True,
        help_text=_("Dipisah koma, dari: pdf, jpeg, png, docx, xlsx, pptx, odt, ods."),
    )  # fmt: skip
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("batas unggahan data dukung")
        verbose_name_plural = _("batas unggahan data dukung")

    def __str__(self) -> str:
        return str(_("Batas unggahan data dukung"))

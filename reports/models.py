"""Report jobs: every report is built by Celery from a row that the page polls."""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _


class ReportKind(models.TextChoices):
    LHE = "lhe", _("Laporan Hasil Evaluasi (PDF)")
    READINESS = "readiness", _("Laporan kesiapan nasional")
    EVIDENCE_ZIP = "evidence_zip", _("Seluruh data dukung (ZIP)")
    LKE_WORKBOOK = "lke_workbook", _("LKE hasil reviu (XLSX)")
    LKE_WORKBOOK_ZIP = "lke_workbook_zip", _("LKE semua unit usulan (ZIP)")
    PMPZI_EXPORT = "pmpzi_export", _("Paket usulan ke KemenPAN-RB (ZIP)")
    CERTIFICATE = "certificate", _("Piagam predikat (PDF)")
    SURVEY_REPORT = "survey_report", _("Laporan hasil survei")
    SURVEY_CODES = "survey_codes", _("Kode sekali pakai survei (PDF)")


class JobStatus(models.TextChoices):
    QUEUED = "queued", _("Dalam antrean")
    RUNNING = "running", _("Sedang dibuat")
    DONE = "done", _("Selesai")
    FAILED = "failed", _("Gagal")


class ReportJob(models.Model):
    """One request for a report. `fingerprint` identifies the input data: a request whose kind,
    parameters and fingerprint match a finished job reuses that job's file."""

    kind = models.CharField(_("jenis"), max_length=20, choices=ReportKind.choices)
    params = models.JSONField(_("parameter"), default=dict)
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="report_jobs"
    )
    status = models.CharField(
        _("status"), max_length=10, choices=JobStatus.choices, default=JobStatus.QUEUED
    )
    progress = models.PositiveSmallIntegerField(_("progres (%)"), default=0)
    error = models.TextField(_("galat"), blank=True)
    fingerprint = models.CharField(max_length=64, blank=True, db_index=True)
    file = models.FileField(upload_to="reports/%Y/%m/", blank=True)
    filename = models.CharField(_("nama berkas"), max_length=200, blank=True)
    content_type = models.CharField(max_length=120, blank=True)
    sha256 = models.CharField("SHA-256", max_length=64, blank=True)
    size = models.PositiveBigIntegerField(_("ukuran"), default=0)
    attempts = models.PositiveSmallIntegerField(default=0)
    created_at = models.DateTimeField(_("diminta"), auto_now_add=True)
    started_at = models.DateTimeField(_("mulai"), null=True, blank=True)
    finished_at = models.DateTimeField(_("selesai"), null=True, blank=True)
    heartbeat_at = models.DateTimeField(null=True, blank=True)
    # When the job's message was last handed to the broker; empty while it never was (the
    # broker was down): the outbox sweep sends it (reports.tasks.send_queued_reports).
    sent_at = models.DateTimeField(_("dikirim ke antrean"), null=True, blank=True)

    class Meta:
        verbose_name = _("laporan")
        verbose_name_plural = _("laporan")
        ordering = ["-created_at", "-pk"]
        indexes = [
            models.Index(fields=["kind", "fingerprint", "status"], name="reportjob_reuse_idx"),
            models.Index(fields=["status", "heartbeat_at"], name="reportjob_stuck_idx"),
            models.Index(fields=["status", "sent_at"], name="reportjob_outbox_idx"),
        ]
        constraints = [
            models.CheckConstraint(
                condition=~Q(status="done") | ~Q(sha256=""), name="reportjob_done_has_file"
            ),
            models.CheckConstraint(
                condition=Q(progress__lte=100), name="reportjob_progress_max_100"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} #{self.pk}"

    def refreshed_sent_at(self):
        """sent_at as stored now (the message is handed over after the request's commit)."""
        self.refresh_from_db(fields=["sent_at"])
        return self.sent_at

    @property
    def is_finished(self) -> bool:
        return self.status in (JobStatus.DONE, JobStatus.FAILED)


# --------------------------------------------------------------------------- issued documents


class DocumentKind(models.TextChoices):
    LHE = "lhe", _("Laporan Hasil Evaluasi")
    CERTIFICATE = "certificate", _("Piagam predikat")


class DocumentState(models.TextChoices):
    VALID = "valid", _("Sah")
    SUPERSEDED = "superseded", _("Digantikan versi yang lebih baru")
    REVOKED = "revoked", _("Dicabut")


class DocumentCounter(models.Model):
    """The last number given to a kind of document in a year (a row locked while a number is
    taken, so two workers never print the same number)."""

    kind = models.CharField(max_length=20, choices=DocumentKind.choices)
    year = models.PositiveSmallIntegerField()
    last = models.PositiveIntegerField(default=0)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["kind", "year"], name="documentcounter_kind_year")
        ]

    def __str__(self) -> str:
        return f"{self.kind} {self.year}: {self.last}"


class IssuedDocument(models.Model):
    """A file the portal issued that anyone holding it can check on the public verification
    page (`code` in its QR code and short URL). One per distinct file: a report job's kind and
    fingerprint (its parameters and the content versions of its data); the number and code are
    given before rendering, because the file prints them, and `sha256` is the rendered file's."""

    kind = models.CharField(_("jenis dokumen"), max_length=20, choices=DocumentKind.choices)
    number = models.CharField(_("nomor dokumen"), max_length=40, unique=True)
    code = models.CharField(_("kode verifikasi"), max_length=40, unique=True)
    # What identifies the file (ReportJob.fingerprint) and the data it shows (the content
    # versions only): a later document of the same subject with other data supersedes it.
    source_key = models.CharField(max_length=64)
    data_key = models.CharField(max_length=64)
    job = models.ForeignKey(
        ReportJob, null=True, blank=True, on_delete=models.SET_NULL, related_name="documents"
    )
    assessment = models.ForeignKey(
        "assessments.Assessment", on_delete=models.PROTECT, related_name="issued_documents"
    )
    layer = models.CharField(_("lapisan"), max_length=12, blank=True)
    issued_at = models.DateTimeField(_("diterbitkan"), auto_now_add=True)
    signers = models.JSONField(_("penanda tangan"), default=list)  # [{name, nip, role}]
    sha256 = models.CharField("SHA-256", max_length=64, blank=True)

    class Meta:
        verbose_name = _("dokumen terbit")
        verbose_name_plural = _("dokumen terbit")
        ordering = ["-issued_at", "-pk"]
        constraints = [
            models.UniqueConstraint(fields=["kind", "source_key"], name="issueddoc_one_per_file"),
        ]
        indexes = [
            models.Index(fields=["assessment", "kind", "layer"], name="issueddoc_subject_idx"),
        ]

    def __str__(self) -> str:
        return self.number


class Letterhead(models.Model):
    """The letterhead (kop surat) of the LHE and the certificate, set by the admin: one row."""

    singleton = models.PositiveSmallIntegerField(default=1, unique=True, editable=False)
    logo = models.ImageField(
        _("logo"),
        upload_to="letterhead/",
        blank=True,
        help_text=_("PNG atau JPEG, paling besar 1 MB; tampil di kiri kop surat."),
    )
    lines = models.TextField(
        _("baris kop surat"),
        blank=True,
        help_text=_("Satu baris per baris kop, dari atas (mis. nama kementerian, unit, alamat)."),
    )
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("kop surat")
        verbose_name_plural = _("kop surat")
        constraints = [
            models.CheckConstraint(condition=Q(singleton=1), name="letterhead_single_row"),
        ]

    def __str__(self) -> str:
        return str(_("Kop surat"))

    @property
    def line_list(self) -> list[str]:
        return [line.strip() for line in self.lines.splitlines() if line.strip()]


class LheNarrative(models.Model):
    """What the evaluator of a layer writes for its LHE: the executive summary
    (`area_number` 0) and, per change area, the summary and recommendations."""

    assessment = models.ForeignKey(
        "assessments.Assessment", on_delete=models.CASCADE, related_name="lhe_narratives"
    )
    layer = models.CharField(_("lapisan"), max_length=12)
    area_number = models.PositiveSmallIntegerField(_("area"), default=0)
    summary = models.TextField(_("ringkasan"), blank=True)
    recommendations = models.TextField(_("rekomendasi"), blank=True)
    updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("ringkasan LHE")
        verbose_name_plural = _("ringkasan LHE")
        ordering = ["assessment", "layer", "area_number"]
        constraints = [
            models.UniqueConstraint(
                fields=["assessment", "layer", "area_number"],
                name="lhenarrative_one_per_area",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.assessment} · {self.layer} · {self.area_number or '-'}"

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

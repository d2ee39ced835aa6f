from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

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
    PROPOSED = "proposed", _("Diusulkan ke TPN")
    GRANTED = "granted", _("Predikat ditetapkan")
    NOT_GRANTED = "not_granted", _("Predikat tidak ditetapkan")


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
    Status.GRANTED: Stage.EVALUASI,
    Status.NOT_GRANTED: Stage.EVALUASI,
}
FINAL_STATUSES = frozenset({Status.TPI_FAILED, Status.GRANTED, Status.NOT_GRANTED})
STATUS_VALUES = frozenset(Status.values)


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


class Declaration(models.Model):
    """Stage 1, Pencanangan: the head's commitment and the ZI team's decree."""

    assessment = models.OneToOneField(
        Assessment, on_delete=models.CASCADE, related_name="declaration"
    )
    declared_on = models.DateField(_("tanggal pencanangan"), null=True, blank=True)
    sk_tim_number = models.CharField(_("nomor SK Tim Kerja"), max_length=120, blank=True)
    sk_tim_date = models.DateField(_("tanggal SK Tim Kerja"), null=True, blank=True)
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("pencanangan")
        verbose_name_plural = _("pencanangan")

    def __str__(self) -> str:
        return f"{self.assessment}"


class TeamMember(models.Model):
    """A member of the ZI team: its head, secretary, or a member of one area's pokja."""

    assessment = models.ForeignKey(Assessment, on_delete=models.CASCADE, related_name="team")
    name = models.CharField(_("nama"), max_length=150)
    position = models.CharField(_("jabatan"), max_length=150, blank=True)
    role = models.CharField(
        _("peran dalam tim"),
        max_length=12,
        choices=[("ketua", _("Ketua")), ("sekretaris", _("Sekretaris")), ("pokja", _("Pokja"))],
    )
    area_number = models.PositiveSmallIntegerField(_("pokja area"), null=True, blank=True)

    class Meta:
        verbose_name = _("anggota tim ZI")
        verbose_name_plural = _("anggota tim ZI")
        ordering = ["assessment", "role", "area_number", "name"]

    def __str__(self) -> str:
        return self.name


class ChangeAgent(models.Model):
    assessment = models.ForeignKey(
        Assessment, on_delete=models.CASCADE, related_name="change_agents"
    )
    name = models.CharField(_("nama"), max_length=150)
    position = models.CharField(_("jabatan"), max_length=150, blank=True)

    class Meta:
        verbose_name = _("agen perubahan")
        verbose_name_plural = _("agen perubahan")
        ordering = ["assessment", "name"]

    def __str__(self) -> str:
        return self.name


class WorkPlanStatus(models.TextChoices):
    PLANNED = "planned", _("Direncanakan")
    IN_PROGRESS = "in_progress", _("Berjalan")
    DONE = "done", _("Selesai")


class WorkPlanItem(models.Model):
    """Stage 2, Pembangunan: an activity of the work plan of one change area."""

    assessment = models.ForeignKey(Assessment, on_delete=models.CASCADE, related_name="work_plan")
    area_number = models.PositiveSmallIntegerField(_("area"))
    activity = models.CharField(_("kegiatan"), max_length=300)
    target_month = models.DateField(_("bulan target"))
    person_in_charge = models.CharField(_("penanggung jawab"), max_length=150)
    status = models.CharField(
        _("status"), max_length=12, choices=WorkPlanStatus.choices, default=WorkPlanStatus.PLANNED
    )
    progress = models.PositiveSmallIntegerField(_("progres (%)"), default=0)
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("rencana kerja")
        verbose_name_plural = _("rencana kerja")
        ordering = ["assessment", "area_number", "target_month", "pk"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(progress__lte=100), name="workplan_progress_max_100"
            ),
        ]

    def __str__(self) -> str:
        return self.activity

"""The year and its stages: periods, the unit's pencanangan and pembangunan records
(declaration, team, change agents, work plan), field visits and predicate awards."""

from decimal import Decimal

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from areas.labels import format_score
from assessments.assessment import LAYER_ORDER, Layer


class Period(models.Model):
    """One year of the programme, scored with one published LKE version."""

    year = models.PositiveSmallIntegerField(_("tahun"), unique=True)
    name = models.CharField(_("nama"), max_length=120)
    lke_version = models.ForeignKey(
        "areas.LkeVersion",
        verbose_name=_("versi LKE"),
        on_delete=models.PROTECT,
        related_name="periods",
    )
    tpn_quota = models.PositiveIntegerField(
        _("kuota usulan ke TPN"),
        null=True,
        blank=True,
        help_text=_("Kosongkan jika tanpa batas."),
    )
    deadline_pencanangan = models.DateField(_("batas pencanangan"))
    deadline_pembangunan = models.DateField(_("batas penilaian mandiri"))
    deadline_penilaian = models.DateField(_("batas penilaian internal"))
    deadline_pengusulan = models.DateField(_("batas pengusulan ke TPN"))
    deadline_evaluasi = models.DateField(_("batas evaluasi TPN"))
    is_open = models.BooleanField(_("dibuka"), default=True)
    # The sanggah window after TPN's results (2024: 30 Aug - 4 Sep); no window, no appeal.
    appeal_opens = models.DateField(_("masa sanggah dibuka"), null=True, blank=True)
    appeal_closes = models.DateField(_("masa sanggah ditutup"), null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    # What the API's `updated_since` sync reads (issue 19).
    updated_at = models.DateTimeField(_("diubah"), auto_now=True, db_index=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        verbose_name = _("periode")
        verbose_name_plural = _("periode")
        ordering = ["-year"]
        constraints = [
            models.CheckConstraint(
                condition=Q(deadline_pencanangan__lte=models.F("deadline_pembangunan"))
                & Q(deadline_pembangunan__lte=models.F("deadline_penilaian"))
                & Q(deadline_penilaian__lte=models.F("deadline_pengusulan"))
                & Q(deadline_pengusulan__lte=models.F("deadline_evaluasi")),
                name="period_deadlines_in_order",
            ),
            models.CheckConstraint(
                condition=Q(appeal_opens__isnull=True, appeal_closes__isnull=True)
                | Q(appeal_opens__lte=models.F("appeal_closes")),
                name="period_appeal_window_in_order",
            ),
        ]

    def __str__(self) -> str:
        return self.name

    def deadline_for(self, stage: str):
        return getattr(self, f"deadline_{stage}")

    def appeal_window_open(self, day) -> bool:
        return self.appeal_opens is not None and self.appeal_opens <= day <= self.appeal_closes


class Declaration(models.Model):
    """Stage 1, Pencanangan: the head's commitment and the ZI team's decree."""

    assessment = models.OneToOneField(
        "assessments.Assessment", on_delete=models.CASCADE, related_name="declaration"
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

    assessment = models.ForeignKey(
        "assessments.Assessment", on_delete=models.CASCADE, related_name="team"
    )
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
        "assessments.Assessment", on_delete=models.CASCADE, related_name="change_agents"
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

    assessment = models.ForeignKey(
        "assessments.Assessment", on_delete=models.CASCADE, related_name="work_plan"
    )
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


class RevocationSource(models.TextChoices):
    """Where the report that led to a revocation came from (KemenPAN-RB 2022: public and media
    reports, confirmed by TPN with the TPI)."""

    SP4N_LAPOR = "sp4n_lapor", _("Pengaduan SP4N-LAPOR!")
    MEDIA = "media", _("Pemberitaan media")
    TPN_FINDING = "tpn", _("Temuan TPN")
    TPI_FINDING = "tpi", _("Temuan TPI/Itjen")
    LAW_ENFORCEMENT = "hukum", _("Proses hukum aparat penegak hukum")
    OTHER = "other", _("Lainnya")


class PredicateAward(models.Model):
    """A predicate a unit holds: the unit's predicate history (year, predicate, SK, the layer
    scores TPN granted it on; revoked, why, on whose report, and until when the unit may not be
    proposed again)."""

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
    # Each layer's total at the moment of the grant ({"tpi": "82.51", ...}, full precision).
    layer_scores = models.JSONField(_("nilai per lapisan saat penetapan"), default=dict)
    revoked_at = models.DateTimeField(_("dicabut"), null=True, blank=True)
    revoked_reason = models.TextField(_("alasan pencabutan"), blank=True)
    revoked_source = models.CharField(
        _("sumber laporan"), max_length=12, choices=RevocationSource.choices, blank=True
    )
    revoked_on = models.DateField(_("tanggal keputusan pencabutan"), null=True, blank=True)
    revoked_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL,
        related_name="+",
    )  # fmt: skip
    # The last day the unit may not be proposed (areas.LkeVersion.revocation_bar_years after
    # the decision; PermenPAN-RB 90/2021 Bab IV C: two years).
    barred_until = models.DateField(_("tidak dapat diusulkan sampai"), null=True, blank=True)
    # What the API's `updated_since` sync reads (issue 19).
    updated_at = models.DateTimeField(_("diubah"), auto_now=True, db_index=True)

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

    @property
    def score_rows(self) -> list[tuple[str, str]]:
        """The layer totals at grant time, as shown (layer label, 2 decimals)."""
        return [
            (str(Layer(layer).label), format_score(Decimal(self.layer_scores[layer])))
            for layer in LAYER_ORDER
            if self.layer_scores.get(layer) is not None
        ]


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

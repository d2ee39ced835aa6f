"""What is measured: versions of the LKE instrument, their areas, indicators, questions, options
and predicate rules, stored as data so that administrators can amend them without a developer.

A published version is read-only (assessments of a period refer to it); changes go through a
copied draft. The scoring engine (areas.scoring) reads a version through areas.instrument_db.
"""

from __future__ import annotations

from django.conf import settings
from django.core.validators import MaxValueValidator
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _


class VersionStatus(models.TextChoices):
    DRAFT = "draft", _("Draf")
    PUBLISHED = "published", _("Terbit")


class Section(models.TextChoices):
    PEMENUHAN = "pemenuhan", _("Pemenuhan")
    REFORM = "reform", _("Reform")
    HASIL_1 = "hasil_1", _("Hasil I: Birokrasi yang bersih dan akuntabel")
    HASIL_2 = "hasil_2", _("Hasil II: Pelayanan publik yang prima")


PENGUNGKIT_SECTIONS = (Section.PEMENUHAN, Section.REFORM)
HASIL_SECTIONS = (Section.HASIL_1, Section.HASIL_2)
# The metric key of each Hasil group, as the predicate rules name it (PermenPAN-RB 90/2021).
HASIL_GROUP_METRIC = {Section.HASIL_1: "birokrasi_bersih", Section.HASIL_2: "pelayanan_prima"}


class Component(models.TextChoices):
    PENGUNGKIT = "pengungkit", _("Pengungkit")
    HASIL = "hasil", _("Hasil")


def component_of(section: str) -> str:
    return Component.PENGUNGKIT if section in PENGUNGKIT_SECTIONS else Component.HASIL


class AnswerType(models.TextChoices):
    YES_NO = "yes_no", _("Ya/Tidak")
    ABC = "abc", _("A/B/C")
    ABCD = "abcd", _("A/B/C/D")
    ABCDE = "abcde", _("A/B/C/D/E")
    PERCENT = "percent", _("Persentase")
    SURVEY_INDEX = "survey_index", _("Indeks survei (1–4)")


class LkeVersion(models.Model):
    name = models.CharField(_("nama"), max_length=120)
    regulation = models.CharField(_("regulasi"), max_length=120)
    year = models.PositiveSmallIntegerField(_("tahun"))
    status = models.CharField(
        _("status"), max_length=10, choices=VersionStatus.choices, default=VersionStatus.DRAFT
    )
    based_on = models.ForeignKey(
        "self",
        verbose_name=_("disalin dari"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="copies",
    )
    notes = models.TextField(_("catatan"), blank=True)
    # PermenPAN-RB 90/2021 Bab IV C: a unit whose predicate was revoked may not be proposed
    # again for two years. A rule of the regulation, so kept with its version.
    revocation_bar_years = models.PositiveSmallIntegerField(
        _("masa larangan usul setelah pencabutan (tahun)"),
        default=2,
        validators=[MaxValueValidator(10)],
    )
    created_at = models.DateTimeField(_("dibuat"), auto_now_add=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    published_at = models.DateTimeField(_("diterbitkan"), null=True, blank=True)

    class Meta:
        verbose_name = _("versi LKE")
        verbose_name_plural = _("versi LKE")
        ordering = ["-year", "-published_at", "-pk"]
        constraints = [
            models.CheckConstraint(
                condition=Q(status="draft") | Q(published_at__isnull=False),
                name="lkeversion_published_has_date",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.name} ({self.get_status_display()})"

    @property
    def is_draft(self) -> bool:
        return self.status == VersionStatus.DRAFT


class Area(models.Model):
    version = models.ForeignKey(LkeVersion, on_delete=models.CASCADE, related_name="areas")
    number = models.PositiveSmallIntegerField(_("nomor"))
    name = models.CharField(_("nama"), max_length=200)
    pemenuhan_weight = models.DecimalField(_("bobot pemenuhan"), max_digits=7, decimal_places=4)
    reform_weight = models.DecimalField(_("bobot reform"), max_digits=7, decimal_places=4)
    purpose = models.TextField(_("tujuan"), blank=True)
    examples = models.TextField(_("contoh kegiatan"), blank=True)

    class Meta:
        verbose_name = _("area perubahan")
        verbose_name_plural = _("area perubahan")
        ordering = ["version", "number"]
        constraints = [
            models.UniqueConstraint(fields=["version", "number"], name="area_unique_number"),
        ]

    def __str__(self) -> str:
        return f"{self.number}. {self.name}"

    @property
    def weight(self):
        return self.pemenuhan_weight + self.reform_weight


class Indicator(models.Model):
    """A weighted indicator of one section; Hasil items are indicators of a Hasil section with a
    single question each (their weight is the item's points)."""

    version = models.ForeignKey(LkeVersion, on_delete=models.CASCADE, related_name="indicators")
    section = models.CharField(_("bagian"), max_length=10, choices=Section.choices)
    area = models.ForeignKey(
        Area, null=True, blank=True, on_delete=models.CASCADE, related_name="indicators"
    )
    number = models.PositiveSmallIntegerField(_("nomor"))
    name = models.CharField(_("nama"), max_length=300)
    weight = models.DecimalField(_("bobot"), max_digits=7, decimal_places=4)

    class Meta:
        verbose_name = _("indikator")
        verbose_name_plural = _("indikator")
        ordering = ["version", "section", "area__number", "number"]
        constraints = [
            models.UniqueConstraint(
                fields=["version", "section", "area", "number"], name="indicator_unique_number"
            ),
            models.CheckConstraint(
                condition=Q(section__in=["hasil_1", "hasil_2"]) | Q(area__isnull=False),
                name="indicator_pengungkit_has_area",
            ),
        ]

    def __str__(self) -> str:
        return self.name


class Question(models.Model):
    version = models.ForeignKey(LkeVersion, on_delete=models.CASCADE, related_name="questions")
    indicator = models.ForeignKey(Indicator, on_delete=models.CASCADE, related_name="questions")
    code = models.CharField(_("kode"), max_length=16)
    position = models.PositiveSmallIntegerField(_("urutan"), default=0)
    text = models.TextField(_("pertanyaan"))
    guidance = models.TextField(_("petunjuk"), blank=True)
    answer_type = models.CharField(_("jenis jawaban"), max_length=12, choices=AnswerType.choices)
    required_evidence = models.TextField(
        _("data dukung yang diperlukan"), blank=True, help_text=_("Satu dokumen per baris.")
    )
    inputs = models.JSONField(_("isian angka"), default=list, blank=True)
    formula = models.CharField(_("rumus"), max_length=40, blank=True)
    metric = models.CharField(
        _("metrik"), max_length=40, blank=True, help_text=_("Untuk butir Hasil: ipak, capaian…")
    )

    class Meta:
        verbose_name = _("pertanyaan")
        verbose_name_plural = _("pertanyaan")
        ordering = ["version", "indicator", "position"]
        constraints = [
            models.UniqueConstraint(fields=["version", "code"], name="question_unique_code"),
        ]

    def __str__(self) -> str:
        return f"{self.code} {self.text[:60]}"

    @property
    def evidence_items(self) -> list[str]:
        return [line.strip() for line in self.required_evidence.splitlines() if line.strip()]


class EvidenceRequirement(models.Model):
    """One entry of an item's evidence dictionary (kamus eviden): a kind of document the item
    needs, how many, and the rules a file must meet to count (Kanwil pre-screening and TPI
    judge evidence against these). `Question.required_evidence` keeps the labels as text, one
    per line, for the readers that still take free text (areas.evidence_dictionary)."""

    question = models.ForeignKey(
        Question, on_delete=models.CASCADE, related_name="evidence_requirements"
    )
    position = models.PositiveSmallIntegerField(_("urutan"), default=0)
    label = models.CharField(_("jenis dokumen"), max_length=300)
    must_be_in_period = models.BooleanField(
        _("harus dalam periode"),
        default=False,
        help_text=_("Tanggal dokumen harus jatuh pada tahun periode penilaian."),
    )
    must_be_signed = models.BooleanField(_("harus ditandatangani"), default=False)
    min_count = models.PositiveSmallIntegerField(_("jumlah minimum"), default=1)
    carry_over_allowed = models.BooleanField(
        _("boleh dibawa dari periode sebelumnya"), default=False
    )

    class Meta:
        verbose_name = _("entri kamus eviden")
        verbose_name_plural = _("kamus eviden")
        ordering = ["question", "position", "pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["question", "position"], name="evidencerequirement_unique_position"
            ),
            models.CheckConstraint(
                condition=Q(min_count__gte=1), name="evidencerequirement_min_count_positive"
            ),
            models.CheckConstraint(condition=~Q(label=""), name="evidencerequirement_has_label"),
        ]

    def __str__(self) -> str:
        return f"{self.question_id}/{self.position}: {self.label}"


class Option(models.Model):
    question = models.ForeignKey(Question, on_delete=models.CASCADE, related_name="options")
    position = models.PositiveSmallIntegerField(_("urutan"), default=0)
    label = models.CharField(_("label"), max_length=16)
    score = models.DecimalField(_("nilai"), max_digits=5, decimal_places=4)
    criteria = models.TextField(_("kriteria"), blank=True)

    class Meta:
        verbose_name = _("pilihan jawaban")
        verbose_name_plural = _("pilihan jawaban")
        ordering = ["question", "position"]
        constraints = [
            models.UniqueConstraint(fields=["question", "label"], name="option_unique_label"),
            models.CheckConstraint(
                condition=Q(score__gte=0) & Q(score__lte=1), name="option_score_0_1"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.label} ({self.score})"


class Predicate(models.TextChoices):
    WBK = "WBK", "WBK"
    WBBM = "WBBM", "WBBM"


class PredicateRule(models.Model):
    """One conjunctive rule of a predicate: metric ≥ minimum, or, for `prior_predicate`, the unit
    already holds `minimum_predicate`."""

    version = models.ForeignKey(
        LkeVersion, on_delete=models.CASCADE, related_name="predicate_rules"
    )
    position = models.PositiveSmallIntegerField(_("urutan"), default=0)
    predicate = models.CharField(_("predikat"), max_length=8, choices=Predicate.choices)
    metric = models.CharField(_("metrik"), max_length=40)
    minimum = models.DecimalField(
        _("nilai minimum"), max_digits=7, decimal_places=4, null=True, blank=True
    )
    minimum_predicate = models.CharField(
        _("predikat sebelumnya"), max_length=8, choices=Predicate.choices, blank=True
    )

    class Meta:
        verbose_name = _("aturan predikat")
        verbose_name_plural = _("aturan predikat")
        ordering = ["version", "position"]
        constraints = [
            models.UniqueConstraint(
                fields=["version", "predicate", "metric"], name="predicaterule_unique_metric"
            ),
            models.CheckConstraint(
                condition=(Q(metric="prior_predicate") & ~Q(minimum_predicate=""))
                | (~Q(metric="prior_predicate") & Q(minimum__isnull=False)),
                name="predicaterule_has_minimum",
            ),
        ]

    def __str__(self) -> str:
        minimum = self.minimum_predicate or self.minimum
        return f"{self.predicate}: {self.metric} ≥ {minimum}"

"""What a unit's surveys are: the instruments (IKM of PermenPAN-RB 14/2017, SPKP, SPAK) as
versioned data, the services a unit offers, a survey of one unit in one window of a period, the
anonymous responses, one-time codes printed on receipts, the unit's follow-up plan per low unsur
and where an LKE answer came from when a survey filled it.

A response is one row with one column per question (`a01`…`a16`): storing it is one INSERT and
each question's sum and count are plain SQL aggregates, whatever the number of responses
(a table of answer rows would cost an insert per question and a GROUP BY per report).
"""

from __future__ import annotations

import functools
import operator

from django.conf import settings
from django.db import models
from django.db.models import F, Q
from django.utils.translation import gettext_lazy as _

MAX_QUESTIONS = 16  # the answer columns a01..a16 of SurveyResponse
MAX_SCALE = 10  # scales seen in practice: 1-4 (most), 1-6 (religious courts), 1-10
ANSWER_FIELDS = tuple(f"a{i:02d}" for i in range(1, MAX_QUESTIONS + 1))
# One-time codes: 8 characters without look-alikes (no 0/O, 1/I/L), typed from a receipt.
CODE_ALPHABET = "ABCDEFGHJKMNPQRSTUVWXYZ23456789"
CODE_LENGTH = 8


class InstrumentKind(models.TextChoices):
    IKM = "ikm", _("Survei Kepuasan Masyarakat (IKM)")
    SPKP = "spkp", _("Survei Persepsi Kualitas Pelayanan (SPKP)")
    SPAK = "spak", _("Survei Persepsi Anti Korupsi (SPAK)")


class Instrument(models.Model):
    """One version of a survey's questionnaire. A draft may be edited; a published version is
    fixed (surveys that used it keep meaning what they meant), changes make a new version."""

    kind = models.CharField(_("jenis"), max_length=8, choices=InstrumentKind.choices)
    version = models.PositiveSmallIntegerField(_("versi"))
    name = models.CharField(_("nama"), max_length=200)
    scale_max = models.PositiveSmallIntegerField(
        _("skala tertinggi"), default=4, help_text=_("Jawaban 1 sampai nilai ini (2–10).")
    )
    # The LKE item the survey's index fills (IPAK H1.1.a, IPKP H2.1.a), mapped linearly from
    # 1..scale_max onto the LKE's 1..4; none for the IKM (it is reported, not scored).
    lke_item = models.CharField(_("butir LKE"), max_length=16, blank=True)
    min_respondents = models.PositiveIntegerField(
        _("responden minimal untuk LKE"),
        default=30,
        help_text=_("Di bawah jumlah ini hasil survei tidak mengisi LKE."),
    )
    intro = models.TextField(_("pengantar"), blank=True)
    published_at = models.DateTimeField(_("diterbitkan"), null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("instrumen survei")
        verbose_name_plural = _("instrumen survei")
        ordering = ["kind", "-version"]
        constraints = [
            models.UniqueConstraint(fields=["kind", "version"], name="instrument_kind_version"),
            models.CheckConstraint(
                condition=Q(scale_max__gte=2) & Q(scale_max__lte=MAX_SCALE),
                name="instrument_scale_2_to_10",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} v{self.version}"

    @property
    def is_published(self) -> bool:
        return self.published_at is not None


class InstrumentQuestion(models.Model):
    """One question (for the IKM: one unsur) with the wording of each answer, worst first."""

    instrument = models.ForeignKey(Instrument, on_delete=models.CASCADE, related_name="questions")
    position = models.PositiveSmallIntegerField(_("urutan"))
    code = models.CharField(_("kode"), max_length=8)
    unsur = models.CharField(_("unsur"), max_length=120)
    text = models.TextField(_("pertanyaan"))
    levels = models.JSONField(_("pilihan jawaban"), help_text=_("Satu teks per nilai, 1 dulu."))

    class Meta:
        verbose_name = _("pertanyaan survei")
        verbose_name_plural = _("pertanyaan survei")
        ordering = ["instrument", "position"]
        constraints = [
            models.UniqueConstraint(
                fields=["instrument", "position"], name="instrument_question_position"
            ),
            models.UniqueConstraint(fields=["instrument", "code"], name="instrument_question_code"),
            models.CheckConstraint(
                condition=Q(position__gte=1) & Q(position__lte=MAX_QUESTIONS),
                name="instrument_question_position_range",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.code} {self.unsur}"

    @property
    def field(self) -> str:
        """The response column that holds this question's answers."""
        return ANSWER_FIELDS[self.position - 1]


class Service(models.Model):
    """A service a unit offers (jenis layanan), asked about separately."""

    unit = models.ForeignKey("units.Unit", on_delete=models.CASCADE, related_name="services")
    name = models.CharField(_("nama layanan"), max_length=160)
    is_active = models.BooleanField(_("aktif"), default=True)

    class Meta:
        verbose_name = _("jenis layanan")
        verbose_name_plural = _("jenis layanan")
        ordering = ["unit", "name"]
        constraints = [
            models.UniqueConstraint(fields=["unit", "name"], name="service_unique_name_per_unit"),
        ]

    def __str__(self) -> str:
        return self.name


class Survey(models.Model):
    """One instrument run by one unit inside one window of a period (e.g. semester I)."""

    unit = models.ForeignKey("units.Unit", on_delete=models.CASCADE, related_name="surveys")
    period = models.ForeignKey(
        "assessments.Period", on_delete=models.PROTECT, related_name="surveys"
    )
    instrument = models.ForeignKey(Instrument, on_delete=models.PROTECT, related_name="surveys")
    name = models.CharField(_("nama"), max_length=120)
    opens_on = models.DateField(_("dibuka"))
    closes_on = models.DateField(_("ditutup"))
    # The public address's key (/survei/<token>/): unguessable, so a unit's survey cannot be
    # found by counting; the QR code on the poster carries it.
    token = models.CharField(max_length=16, unique=True, editable=False)
    uses_codes = models.BooleanField(
        _("kode sekali pakai"),
        default=False,
        help_text=_("Satu jawaban per transaksi: responden memasukkan kode dari tanda terima."),
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("survei")
        verbose_name_plural = _("survei")
        ordering = ["-opens_on", "unit"]
        constraints = [
            models.CheckConstraint(
                condition=Q(opens_on__lte=F("closes_on")), name="survey_opens_before_closes"
            ),
        ]
        indexes = [models.Index(fields=["unit", "period"], name="survey_unit_period")]

    def __str__(self) -> str:
        return f"{self.name} ({self.unit})"

    def is_open_on(self, day) -> bool:
        return self.opens_on <= day <= self.closes_on


class Gender(models.TextChoices):
    MALE = "L", _("Laki-laki")
    FEMALE = "P", _("Perempuan")


class AgeBand(models.TextChoices):
    UNDER_20 = "<20", _("Di bawah 20 tahun")
    FROM_20 = "20-29", _("20–29 tahun")
    FROM_30 = "30-39", _("30–39 tahun")
    FROM_40 = "40-49", _("40–49 tahun")
    FROM_50 = "50+", _("50 tahun ke atas")


class Education(models.TextChoices):
    SD = "sd", _("SD atau di bawahnya")
    SMP = "smp", _("SMP")
    SMA = "sma", _("SMA/SMK/MA")
    DIPLOMA = "d", _("D1–D3")
    S1 = "s1", _("D4/S1")
    S2 = "s2", _("S2 ke atas")


class Occupation(models.TextChoices):
    ASN = "asn", _("PNS/ASN")
    TNI_POLRI = "tni", _("TNI/Polri")
    PRIVATE = "swasta", _("Pegawai swasta")
    SELF = "wirausaha", _("Wirausaha")
    STUDENT = "pelajar", _("Pelajar/mahasiswa")
    OTHER = "lain", _("Lainnya")


# The respondent profile: the response's field, what it is called on the form and in the
# reports, and the choices it may take (blank: not given).
PROFILE_LABELS = {
    "gender": _("Jenis kelamin"),
    "age_band": _("Usia"),
    "education": _("Pendidikan terakhir"),
    "occupation": _("Pekerjaan"),
}
PROFILE_CHOICES = {
    "gender": Gender,
    "age_band": AgeBand,
    "education": Education,
    "occupation": Occupation,
}


def _answer_field() -> models.PositiveSmallIntegerField:
    return models.PositiveSmallIntegerField(null=True, blank=True)


class SurveyResponse(models.Model):
    """One anonymous response: no name, no address, no time of day. `dedupe` is a daily
    keyed hash of a random cookie (one response per device per day; it changes every day and
    names no one); one-time codes are marked used on their own row, never stored here."""

    survey = models.ForeignKey(Survey, on_delete=models.CASCADE, related_name="responses")
    service = models.ForeignKey(
        Service, null=True, blank=True, on_delete=models.SET_NULL, related_name="responses"
    )
    submitted_on = models.DateField(_("tanggal"))
    gender = models.CharField(_("jenis kelamin"), max_length=1, choices=Gender.choices, blank=True)
    age_band = models.CharField(_("usia"), max_length=8, choices=AgeBand.choices, blank=True)
    education = models.CharField(
        _("pendidikan"), max_length=8, choices=Education.choices, blank=True
    )
    occupation = models.CharField(
        _("pekerjaan"), max_length=12, choices=Occupation.choices, blank=True
    )
    dedupe = models.CharField(max_length=32, null=True, blank=True, editable=False)
    a01 = _answer_field()
    a02 = _answer_field()
    a03 = _answer_field()
    a04 = _answer_field()
    a05 = _answer_field()
    a06 = _answer_field()
    a07 = _answer_field()
    a08 = _answer_field()
    a09 = _answer_field()
    a10 = _answer_field()
    a11 = _answer_field()
    a12 = _answer_field()
    a13 = _answer_field()
    a14 = _answer_field()
    a15 = _answer_field()
    a16 = _answer_field()

    class Meta:
        verbose_name = _("jawaban survei")
        verbose_name_plural = _("jawaban survei")
        constraints = [
            models.UniqueConstraint(fields=["survey", "dedupe"], name="response_once_per_device"),
            # An empty form is no respondent (PermenPAN-RB 14/2017): never stored, so that
            # COUNT(*) is the number of respondents everywhere.
            models.CheckConstraint(
                condition=functools.reduce(
                    operator.or_, (Q(**{f"{name}__isnull": False}) for name in ANSWER_FIELDS)
                ),
                name="response_answers_something",
            ),
        ]
        indexes = [
            models.Index(fields=["survey", "service"], name="response_survey_service"),
        ]

    def __str__(self) -> str:
        return f"{self.survey_id}#{self.pk}"

    def answers(self) -> list[int | None]:
        return [getattr(self, name) for name in ANSWER_FIELDS]


class OneTimeCode(models.Model):
    """A code printed on a service receipt: it admits one response, once."""

    survey = models.ForeignKey(Survey, on_delete=models.CASCADE, related_name="codes")
    code = models.CharField(_("kode"), max_length=12)
    batch = models.PositiveIntegerField(_("kelompok"))
    # Whether, never when: the day a code was used would tie a receipt (and the person it was
    # given to) to the responses of that day.
    used = models.BooleanField(_("dipakai"), default=False)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("kode sekali pakai")
        verbose_name_plural = _("kode sekali pakai")
        ordering = ["survey", "batch", "code"]
        constraints = [
            models.UniqueConstraint(fields=["survey", "code"], name="code_unique_per_survey"),
        ]

    def __str__(self) -> str:
        return self.code


class FollowUp(models.Model):
    """The unit's rencana tindak lanjut for one low unsur of one survey, and how far it got."""

    survey = models.ForeignKey(Survey, on_delete=models.CASCADE, related_name="follow_ups")
    question = models.ForeignKey(
        InstrumentQuestion, on_delete=models.PROTECT, related_name="follow_ups"
    )
    action = models.TextField(_("rencana tindak lanjut"))
    target_on = models.DateField(_("target selesai"), null=True, blank=True)
    progress = models.PositiveSmallIntegerField(_("kemajuan (%)"), default=0)
    updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("rencana tindak lanjut")
        verbose_name_plural = _("rencana tindak lanjut")
        ordering = ["survey", "question__position"]
        constraints = [
            models.UniqueConstraint(fields=["survey", "question"], name="follow_up_per_unsur"),
            models.CheckConstraint(condition=Q(progress__lte=100), name="follow_up_progress_100"),
        ]

    def __str__(self) -> str:
        return f"{self.survey_id} {self.question.code}"


class LkeFill(models.Model):
    """Where the self layer's answer to an IPAK/IPKP item came from: the survey, its
    respondents and distribution, the index on the instrument's scale and its value on the
    LKE's 1-4. Shown beside the item while the answer still holds that value."""

    assessment = models.ForeignKey(
        "assessments.Assessment", on_delete=models.CASCADE, related_name="survey_fills"
    )
    question = models.ForeignKey("areas.Question", on_delete=models.PROTECT, related_name="+")
    survey = models.ForeignKey(Survey, on_delete=models.PROTECT, related_name="lke_fills")
    respondents = models.PositiveIntegerField(_("responden"))
    distribution = models.JSONField(_("sebaran jawaban"))
    index = models.DecimalField(_("indeks survei"), max_digits=12, decimal_places=6)
    value = models.DecimalField(_("nilai LKE (1–4)"), max_digits=12, decimal_places=6)
    filled_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    filled_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("pengisian LKE dari survei")
        verbose_name_plural = _("pengisian LKE dari survei")
        constraints = [
            models.UniqueConstraint(fields=["assessment", "question"], name="lke_fill_per_item"),
        ]

    def __str__(self) -> str:
        return f"{self.assessment_id} {self.question_id} ← {self.survey_id}"

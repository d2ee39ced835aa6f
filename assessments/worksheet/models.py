from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from assessments.assessment import Layer


class Answer(models.Model):
    """One layer's answer to one LKE item of one assessment.

    `value` keeps what was entered (an option label, a percent, raw inputs or a survey index);
    `score` is what the engine made of it (q in [0, 1], or points for a Hasil item).
    `revision` guards against lost updates: a save names the revision it started from.
    """

    assessment = models.ForeignKey(
        "assessments.Assessment", on_delete=models.CASCADE, related_name="answers"
    )
    question = models.ForeignKey("areas.Question", on_delete=models.PROTECT, related_name="answers")
    layer = models.CharField(_("lapisan"), max_length=12, choices=Layer.choices)
    value = models.JSONField(_("jawaban"), null=True, blank=True)
    score = models.DecimalField(_("nilai"), max_digits=12, decimal_places=6, null=True, blank=True)
    note = models.TextField(_("catatan"), blank=True)
    revision = models.PositiveIntegerField(default=1)
    updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    updated_at = models.DateTimeField(_("diubah"), auto_now=True)
    history = HistoricalRecords(excluded_fields=["updated_at"])

    class Meta:
        verbose_name = _("jawaban")
        verbose_name_plural = _("jawaban")
        ordering = ["assessment", "question", "layer"]
        constraints = [
            models.UniqueConstraint(
                fields=["assessment", "question", "layer"], name="answer_unique_per_layer"
            ),
        ]
        indexes = [
            # "Has this layer answered anything / how much": dashboards' stage counts, units
            # at risk, queues; one probe per assessment instead of a walk past the other
            # layers' rows (dashboard at 5,000 units 2.4 -> 1.2 s, issue 16).
            models.Index(
                fields=["assessment", "layer"],
                condition=Q(value__isnull=False),
                name="answer_answered_in_layer",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.question.code} [{self.layer}]"

    @property
    def is_answered(self) -> bool:
        return self.value is not None


class LayerTally(models.Model):
    """One layer's points and answered items per area of one assessment, kept in the same
    transaction as the answers by assessments.worksheet.tally: what the dashboards sum over
    thousands of assessments (140,000 rows at 5,000 units instead of 2.3 million answers).

    `part` is the area's number, 0 for the Hasil items, 99 for the whole layer (the sum of
    the others: whether and how much the layer answered, in one row); `points` is the total as the
    engine's linear rule gives it (each question adds score x weight / questions of its
    indicator; a Hasil item's score is its points), before the engine rounds each indicator.
    """

    assessment = models.ForeignKey(
        "assessments.Assessment", on_delete=models.CASCADE, related_name="tallies"
    )
    layer = models.CharField(max_length=12, choices=Layer.choices)
    part = models.PositiveSmallIntegerField()
    points = models.DecimalField(max_digits=24, decimal_places=12, default=0)
    answered = models.IntegerField(default=0)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["assessment", "layer", "part"], name="layer_tally_unique"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.assessment_id} {self.layer} {self.part}: {self.points} / {self.answered}"


class ItemReturn(models.Model):
    """A reviewer sends one item back to the unit with a note; resolved on resubmission."""

    assessment = models.ForeignKey(
        "assessments.Assessment", on_delete=models.CASCADE, related_name="returns"
    )
    question = models.ForeignKey("areas.Question", on_delete=models.PROTECT, related_name="+")
    layer = models.CharField(_("lapisan"), max_length=12, choices=Layer.choices)
    note = models.TextField(_("catatan perbaikan"))
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    resolved_at = models.DateTimeField(null=True, blank=True)  # resubmitted, or cancelled
    # The reviewer took the mark back before sending: kept, so the record shows it.
    cancelled_at = models.DateTimeField(_("dibatalkan"), null=True, blank=True)
    cancelled_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )

    class Meta:
        verbose_name = _("butir dikembalikan")
        verbose_name_plural = _("butir dikembalikan")
        ordering = ["assessment", "question", "created_at"]
        constraints = [
            models.CheckConstraint(condition=~Q(note=""), name="itemreturn_note_required"),
            models.UniqueConstraint(
                fields=["assessment", "question", "layer"],
                condition=Q(resolved_at__isnull=True),
                name="itemreturn_one_open_per_item",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.question.code} → {self.assessment}"


class ItemComment(models.Model):
    """One message in the conversation about one LKE item between the unit and one reviewer
    layer (`thread`: the pre-screen, TPI or TPN). Messages are never edited or deleted."""

    assessment = models.ForeignKey(
        "assessments.Assessment", on_delete=models.CASCADE, related_name="comments"
    )
    question = models.ForeignKey("areas.Question", on_delete=models.PROTECT, related_name="+")
    thread = models.CharField(_("dengan"), max_length=12, choices=Layer.choices)
    author = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    from_unit = models.BooleanField(_("dari unit"))
    body = models.TextField(_("komentar"))
    created_at = models.DateTimeField(_("waktu"), auto_now_add=True)

    class Meta:
        verbose_name = _("komentar butir")
        verbose_name_plural = _("komentar butir")
        ordering = ["assessment", "question", "created_at", "pk"]
        indexes = [
            models.Index(fields=["assessment", "question"], name="itemcomment_item"),
        ]
        constraints = [
            models.CheckConstraint(condition=~Q(body=""), name="itemcomment_body_required"),
            models.CheckConstraint(condition=~Q(thread="self"), name="itemcomment_reviewer_thread"),
        ]

    def __str__(self) -> str:
        return f"{self.question_id} · {self.thread} · {self.author_id}"


class WorkbookUpload(models.Model):
    """An uploaded offline LKE workbook, parsed and checked, waiting for its owner to confirm
    the changes it proposes (assessments.worksheet.offline). Nothing of it reaches the answers
    before the confirmation; it is of no use after `expires_at`."""

    token = models.UUIDField(unique=True)
    owner = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    assessment = models.ForeignKey(
        "assessments.Assessment", on_delete=models.CASCADE, related_name="+"
    )
    layer = models.CharField(_("lapisan"), max_length=12, choices=Layer.choices)
    # [{"code", "value", "note", "revision"}]: what the workbook proposes, item by item
    changes = models.JSONField(default=list)
    created_at = models.DateTimeField(auto_now_add=True)
    expires_at = models.DateTimeField()

    class Meta:
        verbose_name = _("unggahan LKE (XLSX)")
        verbose_name_plural = _("unggahan LKE (XLSX)")
        indexes = [models.Index(fields=["expires_at"], name="workbookupload_expires")]

    def __str__(self) -> str:
        return f"{self.assessment_id} {self.layer} {self.token}"

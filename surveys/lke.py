"""From a unit's SPAK/SPKP survey to its LKE answer for IPAK (H1.1.a) and IPKP (H2.1.a).

Which surveys: those of the assessment's unit in the assessment's period whose instrument names
the item (`Instrument.lke_item`). When the unit ran several windows in the period (e.g.
semester I and II), all their responses are combined into one result, as if one survey: each
question's mean over every response of the period, then the index (`indices.from_totals`).
Responses are combined column by column (question position), so every survey of the period
must use the same version of the instrument (its questions and scale); if they do not, the
item cannot be filled from the surveys and says why. The index on the instrument's 1..k is
mapped onto the LKE's 1-4 (`indices.to_lke_scale`) and written to the self layer through the
worksheet's own `answer_save` (history, revision, tally), with an `LkeFill` keeping where it
came from.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Decimal
from fractions import Fraction

from django.db import transaction
from django.db.models import Count
from django.utils.translation import gettext as _

from areas.models import AnswerType, Question
from assessments import permissions
from assessments.assessment import Assessment, Layer
from assessments.worksheet.models import Answer
from assessments.worksheet.services import answer_save
from assessments.worksheet.sources import FILLED_FROM_SURVEY, IndexSource
from core import audit
from core.errors import WorkflowError
from surveys import indices, results
from surveys.instruments import LKE_ITEMS
from surveys.models import LkeFill, Survey, SurveyResponse

# What the answer holds: four decimals (the worksheet's index shows 3,4567), rounded half up;
# the LkeFill keeps the index itself to six (its column), the value as written.
VALUE_PLACES = Decimal("0.0001")
INDEX_PLACES = Decimal("0.000001")
_KIND_OF_ITEM = {code: kind for kind, code in LKE_ITEMS.items()}


def lke_value(value) -> Decimal:
    """An index on 1-4 as the answer stores it (four decimals, half up)."""
    return _exact(value).quantize(VALUE_PLACES, rounding=ROUND_HALF_UP)


def _exact(value) -> Decimal:
    if isinstance(value, Fraction):
        return Decimal(value.numerator) / Decimal(value.denominator)
    return Decimal(str(value))  # a float as written (3.1667), not its binary expansion


@dataclass
class FillCheck:
    """Whether an item can be filled from the period's surveys, and with what."""

    question: Question
    kind: str  # "SPKP" / "SPAK"
    surveys: list[Survey] = field(default_factory=list)
    respondents: int = 0
    index: Fraction | None = None  # on the instrument's 1..scale_max
    scale_max: int = 4
    reason: str = ""  # why it cannot be filled; empty when it can

    @property
    def can_fill(self) -> bool:
        return not self.reason

    @property
    def value(self) -> Decimal | None:
        """The index on the LKE's 1-4, as the answer stores it."""
        if self.index is None:
            return None
        return lke_value(indices.to_lke_scale(self.index, self.scale_max))


def _kind_label(code: str, surveys: list[Survey]) -> str:
    kind = surveys[0].instrument.kind if surveys else _KIND_OF_ITEM.get(code, "")
    return str(kind).upper()


def fill_checks(assessment: Assessment, questions) -> dict[int, FillCheck]:
    """A FillCheck per survey_index item among `questions`, by question id: two queries for any
    number of items (the period's surveys, then every survey's sums in one GROUP BY)."""
    items = [q for q in questions if q.answer_type == AnswerType.SURVEY_INDEX]
    if not items:
        return {}
    surveys = list(
        Survey.objects.filter(
            unit_id=assessment.unit_id,
            period_id=assessment.period_id,
            instrument__lke_item__in=[q.code for q in items],
        )
        .select_related("instrument", "period")
        .annotate(questions_count=Count("instrument__questions"))
        .order_by("opens_on", "pk")
    )
    rows = {}
    if surveys:
        responses = SurveyResponse.objects.filter(survey__in=surveys)
        rows = {row["survey"]: row for row in results.totals_by(responses, "survey")}
    return {
        q.pk: _check(q, [s for s in surveys if s.instrument.lke_item == q.code], rows)
        for q in items
    }


def fill_check(assessment: Assessment, question: Question) -> FillCheck:
    check = fill_checks(assessment, [question]).get(question.pk)
    if check is None:
        return FillCheck(question, "", reason=_("Butir ini bukan indeks survei."))
    return check


def _check(question: Question, surveys: list[Survey], rows: dict) -> FillCheck:
    kind = _kind_label(question.code, surveys)
    check = FillCheck(question, kind, surveys)
    if not surveys:
        check.reason = _("Belum ada survei %(kind)s unit ini pada periode ini.") % {"kind": kind}
        return check
    # Responses are pooled question by question, so every window must ask the same questions
    # on the same scale: the same version of the instrument.
    versions = sorted({(s.instrument.version, s.instrument.scale_max) for s in surveys})
    if len(versions) > 1:
        check.reason = _(
            "Survei %(kind)s periode ini memakai versi instrumen yang berbeda (%(versions)s): "
            "jawabannya tidak dapat digabung. Isi manual dengan catatan dan data dukung."
        ) % {
            "kind": kind,
            "versions": ", ".join(f"v{version} 1–{k}" for version, k in versions),
        }
        return check
    check.scale_max = versions[0][1]
    questions = max(s.questions_count for s in surveys)
    sums, counts, respondents = [0] * questions, [0] * questions, 0
    for survey in surveys:
        row = rows.get(survey.pk)
        if row is None:
            continue
        s, n, r = results.totals_of(row, questions)
        sums = [a + b for a, b in zip(sums, s, strict=True)]
        counts = [a + b for a, b in zip(counts, n, strict=True)]
        respondents += r
    result = indices.from_totals(sums, counts, respondents, scale_max=check.scale_max)
    check.respondents, check.index = respondents, result.index
    minimum = max(s.instrument.min_respondents for s in surveys)
    if result.index is None:
        check.reason = _("Survei %(kind)s belum memiliki jawaban.") % {"kind": kind}
    elif respondents < minimum:
        check.reason = _("Baru %(n)s dari minimal %(min)s responden.") % {
            "n": respondents,
            "min": minimum,
        }
    return check


def current_fills(assessment: Assessment, answers: dict[int, dict]) -> dict[int, LkeFill]:
    """The fills of the assessment whose item's self answer still holds the filled value, by
    question id (one query). `answers`: {question id: {layer: Answer}} as the worksheet has."""
    fills = {}
    for fill in LkeFill.objects.filter(assessment=assessment).select_related(
        "survey__period", "survey__instrument", "filled_by"
    ):
        mine = answers.get(fill.question_id, {}).get(Layer.SELF)
        if mine is not None and is_current(fill, mine.value):
            fills[fill.question_id] = fill
    return fills


def is_current(fill: LkeFill | None, value) -> bool:
    """Whether an answer `value` is still the one the survey filled in."""
    if fill is None or value is None or isinstance(value, (dict, str, bool)):
        return False
    return lke_value(value) == lke_value(fill.value)


def lke_fill_from_survey(*, assessment: Assessment, question: Question, by) -> LkeFill:
    """Write the period's survey result into the self layer's answer to `question`, through
    the worksheet's `answer_save` (its access rule, history, revision and tally), and keep
    where it came from. Refused, with the worksheet's error, when the person may not write
    the self layer now; refused with the reason when the surveys cannot fill it."""
    if permissions.writable_layer(by, assessment) != Layer.SELF:
        raise WorkflowError(_("Anda tidak dapat mengisi lapisan ini sekarang."), forbidden=True)
    check = fill_check(assessment, question)
    if not check.can_fill:
        raise WorkflowError(check.reason)
    value = check.value
    with transaction.atomic():
        # The fill first: answer_save then sees a value that came from a survey, which needs
        # no note nor evidence of its own. Rolled back with the answer if that is refused.
        fill, _created = LkeFill.objects.update_or_create(
            assessment=assessment,
            question=question,
            defaults={
                "survey": check.surveys[-1],
                "respondents": check.respondents,
                "distribution": {
                    "surveys": [{"id": s.pk, "name": s.name} for s in check.surveys],
                    "scale_max": check.scale_max,
                    "questions": results.distribution(check.surveys, check.scale_max),
                    "collection": results.collection(check.surveys),
                },
                "index": _exact(check.index).quantize(INDEX_PLACES, rounding=ROUND_HALF_UP),
                "value": value,
                "filled_by": by,
            },
        )
        mine = Answer.objects.filter(
            assessment=assessment, question=question, layer=Layer.SELF
        ).first()
        answer = answer_save(
            assessment=assessment,
            question=question,
            layer=Layer.SELF,
            by=by,
            value=float(value),
            note=mine.note if mine else "",
            revision=mine.revision if mine else None,
        )
        if mine is None or answer.revision != mine.revision:  # a history entry was written
            # The entry answer_save just wrote (simple_history's update_change_reason looks it
            # up by every field's value, which misses a score held at more decimals than kept).
            latest = answer.history.order_by("-history_id").first()
            type(latest).objects.filter(history_id=latest.history_id).update(
                history_change_reason=FILLED_FROM_SURVEY
            )
        audit.record(
            "zi.survey.lke_filled", assessment, by=by, question=question.code,
            surveys=[s.pk for s in check.surveys], respondents=check.respondents,
            index=str(fill.index), value=str(value),
        )  # fmt: skip
    return fill


class SurveySource(IndexSource):
    """The unit's surveys as the worksheet's source of IPAK/IPKP (registered by the app)."""

    def current_fills(self, assessment, answers):
        return current_fills(assessment, answers)

    def fill_checks(self, assessment, questions):
        return fill_checks(assessment, questions)

    def is_filled(self, assessment, question, value) -> bool:
        fill = LkeFill.objects.filter(assessment=assessment, question=question).first()
        return is_current(fill, value)

    def fill(self, *, assessment, question, by):
        return lke_fill_from_survey(assessment=assessment, question=question, by=by)

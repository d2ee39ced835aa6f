"""A survey's results as its report shows them (the page, the PDF, the XLSX and the CSV read
the same object): respondents, the respondents' profile, each question's NRR (IKM) or mean
(SPKP/SPAK) with its interval, the IKM and its mutu or the index and its LKE value, the lowest
three unsur with the unit's follow-up plan, and the trend over the unit's surveys of the same
kind. A constant number of SQL aggregates, whatever the number of responses, services or
periods; the arithmetic is `surveys.ikm`/`surveys.indices`.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from decimal import Decimal
from fractions import Fraction

from django.db.models import Count, Max, QuerySet
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from surveys import ikm
from surveys.models import (
    PROFILE_CHOICES,
    PROFILE_LABELS,
    FollowUp,
    InstrumentKind,
    InstrumentQuestion,
    Service,
    Survey,
    SurveyResponse,
)
from surveys.results import result_from, totals, totals_by

# The kinerja of 14/2017 as the reader's language shows it (ikm.BANDS keeps the regulation's
# words, which the CLI prints as they are).
KINERJA = {
    "Sangat baik": gettext_lazy("Sangat baik"),
    "Baik": gettext_lazy("Baik"),
    "Kurang baik": gettext_lazy("Kurang baik"),
    "Tidak baik": gettext_lazy("Tidak baik"),
}
# One service's figures are shown from this many respondents: with fewer, at a small desk the
# staff could tell whose answers they read.
MIN_PER_SERVICE = 5
LOWEST = 3  # the unsur a unit must act on first (the report's "tiga unsur terendah")
NRR_PLACES = 3  # NRR and means as the usual IKM report prints them
INDEX_PLACES = 2


def shown(value: Fraction | None, places: int) -> Decimal | None:
    """A value as printed: rounded half up, like the published IKM."""
    return None if value is None else ikm.round_half_up(Fraction(value), places)


@dataclass(frozen=True)
class QuestionRow:
    question: InstrumentQuestion
    answered: int
    value: Decimal | None  # NRR (IKM) or mean (SPKP/SPAK), rounded; None: nobody answered
    interval: str | None  # IKM only: A-D of the NRR
    is_low: bool  # among the lowest three


@dataclass(frozen=True)
class ProfileRow:
    label: str
    count: int
    percent: Decimal  # of the respondents, one decimal


@dataclass(frozen=True)
class Breakdown:
    key: str
    title: str
    rows: list[ProfileRow]


@dataclass(frozen=True)
class TrendPoint:
    survey: Survey
    respondents: int
    value: Decimal | None  # IKM (0-100) or index on the instrument's scale
    mutu: str | None  # IKM only
    current: bool


@dataclass
class SurveyReport:
    survey: Survey
    service: Service | None
    services: list[Service]
    respondents: int = 0
    withheld: bool = False  # one service's few answers are not shown (see MIN_PER_SERVICE)
    questions: list[QuestionRow] = field(default_factory=list)
    ikm: Decimal | None = None
    ikm_unit: Decimal | None = None
    mutu: str | None = None
    kinerja: str | None = None
    index: Decimal | None = None
    lke_value: Decimal | None = None
    lowest: list[QuestionRow] = field(default_factory=list)
    profile: list[Breakdown] = field(default_factory=list)
    trend: list[TrendPoint] = field(default_factory=list)
    follow_ups: list[FollowUp] = field(default_factory=list)

    @property
    def is_ikm(self) -> bool:
        return self.survey.instrument.kind == InstrumentKind.IKM

    @property
    def title(self) -> str:
        return report_title(self.survey.instrument.kind)

    @property
    def plan_questions(self) -> list[InstrumentQuestion]:
        """The unsur the follow-up plan covers: the lowest three and any other with a plan."""
        planned = {f.question_id for f in self.follow_ups}
        low = {row.question.pk for row in self.lowest}
        return [r.question for r in self.questions if r.question.pk in low | planned]

    def follow_up_of(self, question: InstrumentQuestion) -> FollowUp | None:
        return next((f for f in self.follow_ups if f.question_id == question.pk), None)

    @property
    def plan(self) -> list[tuple[InstrumentQuestion, FollowUp | None]]:
        return [(q, self.follow_up_of(q)) for q in self.plan_questions]


def report_title(kind: str) -> str:
    return {
        InstrumentKind.IKM: _("Laporan Hasil Survei Kepuasan Masyarakat"),
        InstrumentKind.SPKP: _("Laporan Hasil Survei Persepsi Kualitas Pelayanan"),
        InstrumentKind.SPAK: _("Laporan Hasil Survei Persepsi Anti Korupsi"),
    }[kind]


def survey_report(survey: Survey, *, service: Service | None = None) -> SurveyReport:
    """Everything the report shows, in a constant number of queries (about eight)."""
    questions = list(survey.instrument.questions.order_by("position"))
    responses = SurveyResponse.objects.filter(survey=survey)
    if service is not None:
        responses = responses.filter(service=service)
    report = SurveyReport(
        survey=survey,
        service=service,
        services=list(Service.objects.filter(unit_id=survey.unit_id).order_by("name")),
    )
    result = result_from(survey, totals(responses), len(questions))
    report.respondents = result.respondents
    report.withheld = service is not None and 0 < result.respondents < MIN_PER_SERVICE
    if not report.withheld:
        _fill_scores(report, result, questions)
        report.profile = profile(responses, report.respondents, report.services)
        report.trend = trend(survey, service=service)
    report.follow_ups = list(
        FollowUp.objects.filter(survey=survey)
        .select_related("question", "updated_by")
        .order_by("question__position")
    )
    return report


def _fill_scores(report: SurveyReport, result, questions: list[InstrumentQuestion]) -> None:
    if report.is_ikm:
        values = [result.nrr[u] for u in ikm.UNSUR]
        answered = [result.answered[u] for u in ikm.UNSUR]
        report.ikm, report.mutu = result.ikm, result.mutu
        report.kinerja = str(KINERJA[result.kinerja]) if result.kinerja else None
        report.ikm_unit = shown(result.ikm_unit, NRR_PLACES)
    else:
        values = result.means
        answered = result.answered
        report.index = shown(result.index, INDEX_PLACES)
        report.lke_value = shown(result.lke_value, INDEX_PLACES)
    low_positions = ikm.lowest_positions(values, LOWEST)
    report.questions = [
        QuestionRow(
            question=q,
            answered=n,
            value=shown(value, NRR_PLACES),
            interval=ikm.nrr_interval(value) if report.is_ikm and value is not None else None,
            is_low=i in low_positions,
        )
        for i, (q, value, n) in enumerate(zip(questions, values, answered, strict=False))
    ]
    report.lowest = [report.questions[i] for i in low_positions]


# --------------------------------------------------------------------------- profile

PROFILE = tuple(PROFILE_CHOICES.items())


def _titles() -> dict[str, str]:
    return {**{name: str(label) for name, label in PROFILE_LABELS.items()},
            "service": _("Jenis layanan")}  # fmt: skip


def _percent(count: int, whole: int) -> Decimal:
    return ikm.round_half_up(Fraction(count * 100, whole), 1) if whole else Decimal("0.0")


def _counts(responses: QuerySet[SurveyResponse], column: str) -> dict:
    """Respondents per value of `column`: one GROUP BY."""
    rows = responses.order_by().values(column).annotate(n=Count("id"))
    return {row[column]: row["n"] for row in rows}


def profile(
    responses: QuerySet[SurveyResponse], respondents: int, services: list[Service]
) -> list[Breakdown]:
    """Counts and shares per answer of each profile question and per service (5 queries)."""
    titles = _titles()
    unanswered = _("Tidak diisi")
    out = []
    for column, choices in PROFILE:
        counts = _counts(responses, column)
        labels = [(value, str(label)) for value, label in choices.choices]
        out.append(_breakdown(column, titles[column], labels, counts, respondents, unanswered))
    counts = _counts(responses, "service_id")
    labels = [(s.pk, s.name) for s in services]
    out.append(_breakdown("service", titles["service"], labels, counts, respondents, unanswered))
    return out


def _breakdown(key, title, labels, counts: dict, respondents: int, unanswered: str) -> Breakdown:
    rows = [ProfileRow(label, counts.get(v, 0), _percent(counts.get(v, 0), respondents))
            for v, label in labels]  # fmt: skip
    missing = counts.get("", 0) + counts.get(None, 0)
    if missing:
        rows.append(ProfileRow(unanswered, missing, _percent(missing, respondents)))
    return Breakdown(key, title, rows)


# --------------------------------------------------------------------------- trend


def same_kind_surveys(survey: Survey) -> QuerySet[Survey]:
    """The unit's surveys of the survey's kind, every period and window, oldest first, each
    with its number of questions (for the aggregate's columns)."""
    return (
        Survey.objects.filter(unit_id=survey.unit_id, instrument__kind=survey.instrument.kind)
        .select_related("period", "instrument")
        .annotate(question_count=Count("instrument__questions"))
        .order_by("period__year", "opens_on", "pk")
    )


def trend(survey: Survey, *, service: Service | None = None) -> list[TrendPoint]:
    """IKM or index of each of the unit's surveys of this kind (2 queries whatever their
    number: the surveys, then one aggregate grouped by survey)."""
    surveys = list(same_kind_surveys(survey))
    responses = SurveyResponse.objects.filter(survey__in=[s.pk for s in surveys])
    if service is not None:
        responses = responses.filter(service=service)
    rows = {row["survey_id"]: row for row in totals_by(responses, "survey_id")}
    points = []
    for s in surveys:
        row = rows.get(s.pk)
        if row is None:
            points.append(TrendPoint(s, 0, None, None, s.pk == survey.pk))
            continue
        result = result_from(s, row, s.question_count)
        points.append(TrendPoint(s, result.respondents, *_value(result), s.pk == survey.pk))
    return points


def _value(result) -> tuple[Decimal | None, str | None]:
    """(IKM, mutu) of an IkmResult, (index, None) of an IndexResult."""
    if isinstance(result, ikm.IkmResult):
        return result.ikm, result.mutu
    return shown(result.index, INDEX_PLACES), None


# --------------------------------------------------------------------------- report files


def survey_data_version(survey_id: int) -> list:
    """What a survey's report file shows, as values that move whenever it changes: its
    responses and those of the unit's other surveys of the kind (the trend: count and highest
    id, since responses are only added), its follow-up plan (count and last change), the
    surveys' names and windows, the services' names and the unit's row (5 queries)."""
    survey = Survey.objects.select_related("instrument", "unit__parent", "period").get(pk=survey_id)
    surveys = Survey.objects.filter(
        unit_id=survey.unit_id, instrument__kind=survey.instrument.kind
    ).order_by("pk")
    return [
        SurveyResponse.objects.filter(survey__in=surveys).aggregate(n=Count("pk"), last=Max("pk")),
        FollowUp.objects.filter(survey_id=survey_id).aggregate(
            n=Count("pk"), last=Max("updated_at")
        ),
        list(surveys.values_list("pk", "name", "opens_on", "closes_on", "period__year")),
        list(
            Service.objects.filter(unit_id=survey.unit_id).order_by("pk").values_list("pk", "name")
        ),
        [survey.unit.name, survey.unit.content_version, survey.period.name],
        [survey.unit.parent.name if survey.unit.parent else ""],  # on the cover
    ]

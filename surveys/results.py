"""A survey's results from SQL aggregates: each answer column's sum and count over the
responses asked for (a survey, one service, many surveys at once), handed to the pure
`ikm`/`indices` code. Thousands of responses cost one query and no rows in Python."""

from __future__ import annotations

from django.db.models import Count, Q, QuerySet, Sum

from surveys import ikm, indices
from surveys.models import (
    ANSWER_FIELDS,
    InstrumentKind,
    InstrumentQuestion,
    Survey,
    SurveyResponse,
)


def _aggregates() -> dict:
    out = {"respondents": Count("id")}
    for name in ANSWER_FIELDS:
        out[f"{name}_sum"] = Sum(name)
        out[f"{name}_n"] = Count(name)
    return out


def totals_of(row: dict, questions: int) -> tuple[list[int], list[int], int]:
    """(sums, counts, respondents) of the first `questions` columns from an aggregate row."""
    sums = [row[f"{name}_sum"] or 0 for name in ANSWER_FIELDS[:questions]]
    counts = [row[f"{name}_n"] for name in ANSWER_FIELDS[:questions]]
    return sums, counts, row["respondents"]


def totals(responses: QuerySet[SurveyResponse]) -> dict:
    """One aggregate row over `responses`."""
    return responses.aggregate(**_aggregates())


def totals_by(responses: QuerySet[SurveyResponse], *fields: str) -> QuerySet:
    """One aggregate row per value of `fields` (e.g. per survey, per service): one query."""
    return responses.values(*fields).order_by(*fields).annotate(**_aggregates())


def result_from(survey: Survey, row: dict, questions: int):
    """The IKM (IKM instruments) or the index (SPKP/SPAK) of an aggregate row."""
    instrument = survey.instrument
    return result_of(instrument.kind, instrument.scale_max, row, questions)


def result_of(kind: str, scale_max: int, row: dict, questions: int):
    """`result_from` for an instrument known by its kind and scale (rows read as values)."""
    sums, counts, respondents = totals_of(row, questions)
    if kind == InstrumentKind.IKM:
        return ikm.from_totals(sums, counts, respondents)
    return indices.from_totals(sums, counts, respondents, scale_max=scale_max)


def survey_result(survey: Survey, *, service=None):
    """The result of one survey, or of one of its services."""
    responses = SurveyResponse.objects.filter(survey=survey)
    if service is not None:
        responses = responses.filter(service=service)
    questions = survey.instrument.questions.count()
    return result_from(survey, totals(responses), questions)


def collection(surveys: list[Survey]) -> dict:
    """How the responses of `surveys` were collected, for a reviewer to weigh them: whether
    every survey asked for one-time codes (one response per service transaction) or only one
    per device per day, on how many days, and the most in one day (one query)."""
    days = list(
        SurveyResponse.objects.filter(survey__in=surveys)
        .values("submitted_on")
        .order_by()
        .annotate(n=Count("id"))
        .values_list("n", flat=True)
    )
    return {
        "with_codes": all(s.uses_codes for s in surveys),
        "days": len(days),
        "busiest_day": max(days, default=0),
    }


def distribution(surveys: list[Survey], scale_max: int) -> dict[str, dict[str, int]]:
    """How many answered each value per question over all `surveys` (one survey, or the
    windows of a period): {"P1": {"1": 0, "2": 3, …}, …}, with the codes of the instrument
    with the most questions. Two queries (the codes, one aggregate)."""
    codes_of: dict[int, list[str]] = {}
    for instrument, code in (
        InstrumentQuestion.objects.filter(instrument_id__in={s.instrument_id for s in surveys})
        .order_by("position")
        .values_list("instrument_id", "code")
    ):
        codes_of.setdefault(instrument, []).append(code)
    codes = max(codes_of.values(), key=len)
    columns = ANSWER_FIELDS[: len(codes)]
    scale = range(1, scale_max + 1)
    row = SurveyResponse.objects.filter(survey__in=surveys).aggregate(
        **{
            f"{name}_{value}": Count("id", filter=Q(**{name: value}))
            for name in columns
            for value in scale
        }
    )
    return {
        code: {str(value): row[f"{name}_{value}"] for value in scale}
        for code, name in zip(codes, columns, strict=True)
    }

"""Demo surveys for `make run`: Kankemenag Kota Semarang runs the IKM in both semesters of the
demo period (the second with one-time codes), the SPKP with enough respondents to fill IPKP
and the SPAK with too few to fill IPAK; a dozen other units run the IKM, so the dashboard's
national and per-Kanwil figures have something to show. Idempotent: a unit that has surveys
in the period is left alone."""

from __future__ import annotations

import datetime
import random

from django.db import transaction
from django.utils import timezone

from assessments.models import Period
from surveys.models import ANSWER_FIELDS, AgeBand, Education, Gender, Occupation, SurveyResponse
from surveys.services import codes_issue, service_add, survey_create
from units.models import Unit, UnitKind, User

SERVICES = ("Pelayanan haji dan umrah", "Legalisasi dokumen", "Pelayanan KUA dan nikah")
# (kind, name, semester, responses, how good the service is 0..1, uses codes)
SEMARANG = [
    ("ikm", "IKM Semester I", 1, 140, 0.72, False),
    ("ikm", "IKM Semester II", 2, 85, 0.80, True),
    ("spkp", "SPKP Semester II", 2, 48, 0.82, False),
    ("spak", "SPAK Semester II", 2, 22, 0.86, False),
]


def _window(year: int, semester: int) -> tuple[datetime.date, datetime.date]:
    if semester == 1:
        return datetime.date(year, 1, 1), datetime.date(year, 6, 30)
    return datetime.date(year, 7, 1), datetime.date(year, 12, 31)


def _answer(rng: random.Random, scale: int, quality: float) -> int | None:
    if rng.random() < 0.04:
        return None  # skipped
    value = round(1 + (scale - 1) * min(1.0, max(0.0, rng.gauss(quality, 0.18))))
    return max(1, min(scale, value))


def _responses(survey, services, count: int, quality: float, rng: random.Random) -> None:
    questions = survey.instrument.questions.count()
    scale = survey.instrument.scale_max
    last = min(survey.closes_on, max(survey.opens_on, timezone.localdate()))
    days = (last - survey.opens_on).days
    rows = []
    for _ in range(count):
        answers = {name: _answer(rng, scale, quality) for name in ANSWER_FIELDS[:questions]}
        if all(v is None for v in answers.values()):
            answers[ANSWER_FIELDS[0]] = scale
        rows.append(
            SurveyResponse(
                survey=survey,
                service=rng.choice(services) if services else None,
                submitted_on=survey.opens_on + datetime.timedelta(days=rng.randint(0, days)),
                gender=rng.choice(Gender.values),
                age_band=rng.choice(AgeBand.values),
                education=rng.choice(Education.values),
                occupation=rng.choice(Occupation.values),
                **answers,
            )
        )
    SurveyResponse.objects.bulk_create(rows)


def _run(unit, period, plan, by, rng) -> int:
    if unit.surveys.filter(period=period).exists():
        return 0
    services = [service_add(unit=unit, name=name, by=by) for name in SERVICES]
    for kind, name, semester, count, quality, uses_codes in plan:
        opens_on, closes_on = _window(period.year, semester)
        survey = survey_create(
            unit=unit, period=period, kind=kind, name=f"{name} {period.year}",
            opens_on=opens_on, closes_on=closes_on, uses_codes=uses_codes, by=by,
        )  # fmt: skip
        if uses_codes:
            codes_issue(survey=survey, count=60, by=by)
        _responses(survey, services, count, quality, rng)
    return len(plan)


@transaction.atomic
def seed_surveys(year: int = 2026) -> int:
    """The demo's surveys in the period of `year`; returns how many were made."""
    period = Period.objects.filter(year=year).first()
    admin = User.objects.filter(email="admin@demo.id").first()
    if period is None or admin is None:
        return 0
    rng = random.Random(year * 18)
    made = 0
    semarang = Unit.objects.filter(name="Kantor Kementerian Agama Kota Semarang").first()
    operator = User.objects.filter(email="operator.semarang@demo.id").first() or admin
    if semarang is not None:
        made += _run(semarang, period, SEMARANG, operator, rng)
    others = Unit.objects.filter(kind=UnitKind.KANKEMENAG).exclude(pk=getattr(semarang, "pk", 0))
    for unit in others.order_by("parent__code", "code")[:12]:
        plan = [("ikm", "IKM Semester II", 2, rng.randint(30, 90), rng.uniform(0.45, 0.9), False)]
        made += _run(unit, period, plan, admin, rng)
    return made

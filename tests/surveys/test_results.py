"""Results come from SQL sums and counts and equal the pure computation of the same answers."""

import datetime
import random

import pytest

from surveys import ikm
from surveys.models import SurveyResponse
from surveys.results import distribution, survey_result
from tests.factories import SurveyFactory

pytestmark = pytest.mark.usefixtures("instruments")


@pytest.fixture
def make_survey(period):
    return lambda kind: SurveyFactory(period=period, kind=kind)


def test_the_ikm_from_sql_equals_the_ikm_of_the_same_answers(make_survey):
    survey = make_survey("ikm")
    rng = random.Random(7)
    answers = [[rng.choice([None, 1, 2, 3, 4, 4]) for _ in range(9)] for _ in range(200)]
    answers = [a for a in answers if any(v is not None for v in a)]
    SurveyResponse.objects.bulk_create(
        SurveyResponse(
            survey=survey,
            submitted_on=datetime.date(2026, 2, 1),
            **{f"a{i + 1:02d}": v for i, v in enumerate(a)},
        )
        for a in answers
    )
    assert survey_result(survey) == ikm.compute(answers)


def test_an_spak_index_is_the_mean_of_question_means_and_counts_each_value(make_survey):
    survey = make_survey("spak")
    for values in ([4] * 7, [3] * 7, [2] + [None] * 6):
        SurveyResponse.objects.create(
            survey=survey,
            submitted_on=datetime.date(2026, 2, 1),
            **{f"a{i + 1:02d}": v for i, v in enumerate(values)},
        )
    result = survey_result(survey)
    # K1 = (4+3+2)/3 = 3; K2..K7 = 3.5; index = (3 + 6 × 3.5) / 7 = 24/7
    assert result.respondents == 3 and float(result.index) == pytest.approx(24 / 7)
    assert distribution([survey], 4)["K1"] == {"1": 0, "2": 1, "3": 1, "4": 1}


def test_an_empty_form_is_never_stored(make_survey):
    from django.db import IntegrityError, transaction

    survey = make_survey("ikm")
    with pytest.raises(IntegrityError), transaction.atomic():
        SurveyResponse.objects.create(survey=survey, submitted_on=datetime.date(2026, 2, 1))

"""The API's stage dates and the PMPZI package's read the stage history one way
(assessments.selectors.stage_dates), so the two exports agree."""

from datetime import datetime, timedelta

import pytest

from assessments.models import Status
from reports.pmpzi.data import units_data
from tests.assessments.test_stage_dates import T0, moves

pytestmark = pytest.mark.django_db


def test_the_api_and_the_package_agree_on_the_stage_dates(api_as, assessment, personas):
    assessment.status = Status.TPN_EVALUATION
    assessment.save()
    moves(
        assessment, personas["admin"],
        (Status.PENCANANGAN, Status.PEMBANGUNAN), (Status.PEMBANGUNAN, Status.SUBMITTED),
        (Status.SUBMITTED, Status.PEMBANGUNAN), (Status.PEMBANGUNAN, Status.SUBMITTED),
        (Status.SUBMITTED, Status.PRELIMINARY_REVIEW),
        (Status.PRELIMINARY_REVIEW, Status.TPI_REVIEW), (Status.TPI_REVIEW, Status.TPI_PASSED),
        (Status.TPI_PASSED, Status.PROPOSED), (Status.PROPOSED, Status.TPN_EVALUATION),
    )  # fmt: skip
    api = api_as("admin")
    (row,) = [
        r for r in api.get("/api/v1/assessments/").json()["results"] if r["id"] == assessment.pk
    ]
    detail = api.get(f"/api/v1/assessments/{assessment.pk}/").json()
    assert detail["stage_dates"] == row["stage_dates"]
    api_dates = {d["stage"]: d for d in row["stage_dates"]}
    (package,) = units_data([assessment], reader=None)
    stages = package["assessment"]["stage_dates"]
    # Pengusulan is entered only by TPI's pass, Evaluasi only by the proposal.
    assert at(api_dates["pengusulan"]["last_entered_at"]) == at(stages["tpi_passed_at"])
    assert at(api_dates["evaluasi"]["last_entered_at"]) == at(stages["proposed_at"])
    assert at(stages["submitted_at"]) == T0 + timedelta(days=4)  # the last submission
    assert at(api_dates["pembangunan"]["entered_at"]) == T0 + timedelta(days=1)
    assert at(api_dates["pembangunan"]["last_entered_at"]) == T0 + timedelta(days=1)


def at(text: str) -> datetime:
    return datetime.fromisoformat(text)

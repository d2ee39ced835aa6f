import pytest

from assessments.models import Status


@pytest.fixture
def building(assessment):
    """Unit A's assessment while the unit fills its LKE (the operator writes the unit's layer)."""
    assessment.status = Status.PEMBANGUNAN
    assessment.save()
    return assessment

"""Every role reads a next step meant for them: the person who must act is told what to do,
nobody is told to wait for themselves, and a reviewer is never handed the unit's own
instruction ("fill in the LKE") while the unit works."""

import pytest

from assessments.policy import POLICY, UNIT_ROLES
from units.models import Role

CASES = [(status, role) for status in POLICY for role in Role.values]


@pytest.mark.parametrize(("status", "role"), CASES, ids=[f"{s}-{r}" for s, r in CASES])
def test_the_sentence_fits_the_reader(status, role):
    rule = POLICY[status]
    sentence = rule.next_step_for({role})
    if role in rule.acting:
        assert not sentence.startswith("Menunggu"), sentence  # never "wait for yourself"
    if role not in UNIT_ROLES and Role.OPERATOR in rule.acting:
        assert sentence != rule.next_step_for({Role.OPERATOR}), sentence  # the unit's to-do


def test_a_unit_in_pencanangan_reaches_its_page_from_home_in_one_tap(client_for, assessment):
    assert assessment.status == "pencanangan"
    page = client_for("operator").get("/").content.decode()
    assert f'href="/assessments/{assessment.pk}/declaration/"' in page

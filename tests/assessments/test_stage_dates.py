"""The one reading of an assessment's stage history every export makes (API, PMPZI):
per stage its first and last entry, per status its last entry, in one query for many."""

from datetime import UTC, datetime, timedelta

import pytest

from assessments.models import Status, TransitionEvent
from assessments.selectors import stage_dates
from tests.factories import AssessmentFactory

pytestmark = pytest.mark.django_db
T0 = datetime(2026, 3, 2, 8, tzinfo=UTC)


def moves(assessment, by, *steps):
    """Transitions one day apart: (from, to) pairs."""
    for day, (source, target) in enumerate(steps, start=1):
        TransitionEvent.objects.create(
            assessment=assessment, transition="t", from_status=source, to_status=target,
            by=by, at=T0 + timedelta(days=day),
        )  # fmt: skip


def test_stages_count_moves_between_stages_and_statuses_their_last_entry(
    period, tree, personas, django_assert_num_queries
):
    a = AssessmentFactory(period=period, unit=tree.kankemenag_a, status=Status.TPN_EVALUATION)
    moves(
        a, personas["admin"],
        (Status.PENCANANGAN, Status.PEMBANGUNAN),  # day 1
        (Status.PEMBANGUNAN, Status.SUBMITTED),  # day 2
        (Status.SUBMITTED, Status.PEMBANGUNAN),  # day 3: rejected, inside the stage
        (Status.PEMBANGUNAN, Status.SUBMITTED),  # day 4
        (Status.SUBMITTED, Status.PRELIMINARY_REVIEW),  # day 5
        (Status.PRELIMINARY_REVIEW, Status.PEMBANGUNAN),  # day 6: sent back a stage
        (Status.PEMBANGUNAN, Status.PRELIMINARY_REVIEW),  # day 7
    )  # fmt: skip
    b = AssessmentFactory(period=period, unit=tree.kankemenag_b)
    with django_assert_num_queries(1):
        dates = stage_dates([a, b])
    day = lambda n: T0 + timedelta(days=n)  # noqa: E731
    assert [(s.stage, s.first_entered_at, s.last_entered_at) for s in dates[a.pk].stages] == [
        ("pencanangan", a.created_at, a.created_at),
        ("pembangunan", day(1), day(6)),
        ("penilaian", day(5), day(7)),
    ]
    assert dates[a.pk].last_entered(Status.SUBMITTED) == day(4)
    assert dates[a.pk].last_entered(Status.PROPOSED) is None
    assert [s.stage for s in dates[b.pk].stages] == ["pencanangan"]
    assert dates[b.pk].statuses == {}

"""Read-side queries for assessments, always limited to the acting user's scope."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import datetime

from django.db.models import QuerySet
from django.shortcuts import get_object_or_404

from assessments import permissions
from assessments.assessment import STAGE_OF, Assessment, Stage, TransitionEvent
from core import logs


def assessments_visible_to(user) -> QuerySet[Assessment]:
    return Assessment.objects.filter(permissions.scope_filter(user)).select_related(
        "unit", "unit__parent", "period", "period__lke_version"
    )


def assessment_for_user(user, pk: int) -> Assessment:
    """The assessment if the user may see it, with `.access`: what this user may do on it
    (permissions.Access, worked out once); 404 otherwise (it must not be known to exist)."""
    assessment = get_object_or_404(assessments_visible_to(user), pk=pk)
    assessment.access = permissions.access(user, assessment)
    logs.about_unit(assessment.unit_id)  # the request's access line names its unit
    return assessment


def content_versions(assessment_id: int) -> list:
    """What an assessment's reports show, as content versions (units.models.VersionedQuerySet):
    the assessment (answers, notes, evidence, verdicts, returns, status, awards), its unit and
    the unit's parent (on the cover). One query; any change gives another value."""
    return list(
        Assessment.objects.filter(pk=assessment_id).values_list(
            "content_version", "unit__content_version", "unit__parent__content_version"
        )
    )


@dataclass(frozen=True)
class StageEntry:
    stage: str
    label: str
    first_entered_at: datetime
    last_entered_at: datetime


@dataclass(frozen=True)
class StageDates:
    """When an assessment entered its stages and its statuses: the one reading of the stage
    history every export uses (API, PMPZI package).

    A stage is entered when the assessment is made (Pencanangan) or by a transition from a
    status of another stage; a move inside a stage (a return and its resubmission, a sanggah
    sent back to TPN's evaluation) does not enter it again. A status is entered by every
    transition to it. Each stage reached has its first and its last entry; each status
    reached its last entry (`last_entered`)."""

    stages: list[StageEntry] = field(default_factory=list)  # the stages reached, in order
    statuses: dict[str, datetime] = field(default_factory=dict)  # status: its last entry

    def last_entered(self, status: str) -> datetime | None:
        return self.statuses.get(status)


def stage_dates(assessments: Sequence[Assessment]) -> dict[int, StageDates]:
    """StageDates of each assessment (by pk) from its transitions, in one query for all of
    them (each assessment's `created_at` must be loaded: Pencanangan's first entry)."""
    first: dict[int, dict[str, datetime]] = {}
    last: dict[int, dict[str, datetime]] = {}
    statuses: dict[int, dict[str, datetime]] = {}
    for a in assessments:
        first[a.pk] = {Stage.PENCANANGAN: a.created_at}
        last[a.pk] = {Stage.PENCANANGAN: a.created_at}
        statuses[a.pk] = {}
    events = (
        TransitionEvent.objects.filter(assessment__in=list(first))
        .order_by("at", "pk")
        .values_list("assessment_id", "from_status", "to_status", "at")
    )
    for pk, source, target, at in events:  # oldest first: later entries overwrite "last"
        statuses[pk][target] = at
        stage = STAGE_OF.get(target)
        if stage is not None and stage != STAGE_OF.get(source):
            first[pk].setdefault(stage, at)
            last[pk][stage] = at
    return {
        pk: StageDates(
            stages=[
                StageEntry(str(s), str(s.label), first[pk][s], last[pk][s])
                for s in Stage
                if s in first[pk]
            ],
            statuses=statuses[pk],
        )
        for pk in first
    }

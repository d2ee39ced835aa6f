"""What the home page shows beyond the user's roles: the user's own assessments with the next
step for their role, the first rows of their queue, and unit counts."""

from __future__ import annotations

from datetime import date

from django.utils.functional import cached_property

from assessments import permissions as assessment_permissions
from assessments import queues
from assessments import selectors as assessment_selectors
from assessments.policy import POLICY
from units import permissions, selectors
from units.models import Role

SHOWN = 5  # the first rows of the queue on the home page


class HomePage:
    """What the home page shows beyond the user's roles, computed when the template first
    asks for it (each part once)."""

    def __init__(self, user):
        self.user = user

    @cached_property
    def own_assessments(self):
        units = [
            m.unit_id
            for m in permissions.memberships_of(self.user)
            if m.role in (Role.OPERATOR, Role.PIMPINAN)
        ]
        if not units:  # reviewers and admins: no query to build
            return []
        own = list(
            assessment_selectors.assessments_visible_to(self.user)
            .select_related(None)
            .select_related("unit", "period")  # what the card and the access rules read
            .filter(period__is_open=True, unit__in=units)
            .order_by("-period__year")
        )
        for assessment in own:  # the sentence for this user's role on that unit
            roles = assessment_permissions.roles_on(self.user, assessment)
            assessment.next_step = POLICY[assessment.status].next_step_for(roles)
        return own

    @cached_property
    def _waiting(self):
        return queues.queue_for(self.user)

    @cached_property
    def _first(self) -> list[dict]:
        # One row more than shown: when the queue ends there, as most units' queues do, its
        # length is the count and no COUNT query runs (as core.pagination.page_of does).
        return queues.present(queues.waiting_rows(self._waiting[: SHOWN + 1]), date.today())

    @cached_property
    def waiting(self) -> list[dict]:
        return self._first[:SHOWN]

    @cached_property
    def waiting_count(self) -> int:
        return len(self._first) if len(self._first) <= SHOWN else self._waiting.count()

    @cached_property
    def unit_stats(self):
        return selectors.unit_counts_by_kind(self.user)

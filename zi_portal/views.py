"""Portal-wide pages: the home page of each role and the health check."""

from datetime import date

from django.contrib.auth.decorators import login_not_required
from django.db import connection
from django.http import JsonResponse
from django.shortcuts import render
from django.utils.functional import cached_property
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET

from assessments import permissions as assessment_permissions
from assessments import queues
from assessments import selectors as assessment_selectors
from assessments.policy import POLICY
from core import ratelimits
from core.ratelimits import rate_limited
from units import permissions, selectors
from units.models import Role


@require_GET
def home(request):
    user = request.user
    return render(
        request,
        "home.html",
        {
            "role": permissions.primary_role(user),
            "Role": Role,
            "memberships": permissions.memberships_of(user),
            "home": HomePage(user),
        },
    )


class HomePage:
    """What the home page shows beyond the user's roles, computed when the template first
    asks for it (each part once)."""

    def __init__(self, user):
        self.user = user

    @cached_property
    def own_assessments(self):
        own = list(
            assessment_selectors.assessments_visible_to(self.user)
            .filter(
                period__is_open=True,
                unit__in=[
                    m.unit_id
                    for m in permissions.memberships_of(self.user)
                    if m.role in (Role.OPERATOR, Role.PIMPINAN)
                ],
            )
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
    def waiting(self):
        return queues.present(queues.queue_rows(self._waiting[:5]), date.today())

    @cached_property
    def waiting_count(self) -> int:
        return self._waiting.count()

    @cached_property
    def unit_stats(self):
        return selectors.unit_counts_by_kind(self.user)


@login_not_required
@never_cache
@rate_limited("healthz", ratelimits.PUBLIC, answer=ratelimits.too_many_requests_json)
@require_GET
def healthz(request):
    status = {"database": _check_database(), "broker": _check_broker()}
    healthy = all(value == "ok" for value in status.values())
    return JsonResponse(
        {"status": "ok" if healthy else "error", **status}, status=200 if healthy else 503
    )


def _check_database() -> str:
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
        return "ok"
    except Exception as error:  # any failure means unhealthy; say which
        return f"error: {error.__class__.__name__}"


def _check_broker() -> str:
    from zi_portal.celery import app

    try:
        with app.connection_for_write() as conn:
            conn.ensure_connection(max_retries=1, timeout=2)
        return "ok"
    except Exception as error:
        return f"error: {error.__class__.__name__}"

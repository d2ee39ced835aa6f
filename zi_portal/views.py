"""Portal-wide pages: the home page of each role and the health check."""

from django.contrib.auth.decorators import login_not_required
from django.db import connection
from django.http import JsonResponse
from django.shortcuts import render
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET

from units import permissions, selectors
from units.models import Role


@require_GET
def home(request):
    role = permissions.primary_role(request.user)
    context = {
        "role": role,
        "Role": Role,
        "memberships": permissions.memberships_of(request.user),
        "unit_stats": selectors.unit_counts_by_kind(request.user),
    }
    return render(request, "home.html", context)


@login_not_required
@never_cache
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

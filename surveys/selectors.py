"""Surveys as the acting user may see them: a unit's own staff, its Kanwil reviewer and TPI
read its surveys (scope of the unit tree); national roles read all."""

from __future__ import annotations

from django.db.models import QuerySet
from django.shortcuts import get_object_or_404

from surveys.models import Survey
from units.permissions import scope_filter


def surveys_visible_to(user) -> QuerySet[Survey]:
    return Survey.objects.filter(scope_filter(user, "unit__")).select_related(
        "unit", "period", "instrument"
    )


def survey_for_user(user, pk: int) -> Survey:
    """The survey, or 404 outside the user's scope."""
    return get_object_or_404(surveys_visible_to(user), pk=pk)

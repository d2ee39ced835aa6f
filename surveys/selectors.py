"""Surveys as the acting user may see them: a unit's own staff, its Kanwil reviewer and TPI
read its surveys (scope of the unit tree); national roles read all."""

from __future__ import annotations

from django.db.models import QuerySet
from django.shortcuts import get_object_or_404

from surveys.models import Service, Survey
from units.permissions import scope_filter


def surveys_visible_to(user) -> QuerySet[Survey]:
    return Survey.objects.filter(scope_filter(user, "unit__")).select_related(
        "unit", "period", "instrument"
    )


def survey_for_user(user, pk: int) -> Survey:
    """The survey, or 404 outside the user's scope."""
    return get_object_or_404(surveys_visible_to(user), pk=pk)


def public_survey(token: str) -> Survey:
    """The survey behind a public address (its QR code), with its questions, or 404. Anyone
    may read it: the page shows the unit's name and the questionnaire, nothing else."""
    return get_object_or_404(
        Survey.objects.select_related("unit", "instrument").prefetch_related(
            "instrument__questions"
        ),
        token=token,
    )


def active_services(survey: Survey) -> list[Service]:
    """The services a respondent may choose from: the unit's active ones."""
    return list(Service.objects.filter(unit_id=survey.unit_id, is_active=True).order_by("name"))

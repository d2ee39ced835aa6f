"""Surveys as the acting user may see them: a unit's own staff, its Kanwil reviewer and TPI
read its surveys (scope of the unit tree); national roles read all."""

from __future__ import annotations

from django.db.models import Count, Min, Q, QuerySet
from django.http import Http404
from django.shortcuts import get_object_or_404

from surveys.models import OneTimeCode, Service, Survey
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


# --------------------------------------------------------------------------- a unit's pages


def unit_surveys(user, unit) -> QuerySet[Survey]:
    """The unit's surveys the user may read, newest period first, each with its number of
    responses (one aggregate query, whatever the number of surveys)."""
    return (
        surveys_visible_to(user)
        .filter(unit=unit)
        .annotate(response_count=Count("responses"))
        .order_by("-period__year", "-opens_on", "pk")
    )


def unit_services(unit) -> QuerySet[Service]:
    """The unit's services, active first, each with its number of responses."""
    return (
        Service.objects.filter(unit=unit)
        .annotate(response_count=Count("responses"))
        .order_by("-is_active", "name")
    )


def unit_service(unit, pk: int | None) -> Service | None:
    """The unit's service with that id; None for no id or another unit's."""
    return Service.objects.filter(unit=unit, pk=pk).first() if pk else None


def service_of_unit(unit, pk) -> Service:
    """The unit's service with that id, else 404 (a page about that very service)."""
    service = unit_service(unit, pk)
    if service is None:
        raise Http404
    return service


def code_batches(survey: Survey) -> list[dict]:
    """Per batch of one-time codes: its number, how many were issued and used, when made."""
    return list(
        OneTimeCode.objects.filter(survey=survey)
        .values("batch")
        .annotate(issued=Count("pk"), used=Count("pk", filter=Q(used=True)), made=Min("created_at"))
        .order_by("batch")
    )


def batch_codes(survey: Survey, batch: int) -> list[str]:
    """The codes of one batch (404 for a batch the survey does not have)."""
    codes = list(
        OneTimeCode.objects.filter(survey=survey, batch=batch)
        .order_by("code")
        .values_list("code", flat=True)
    )
    if not codes:
        raise Http404
    return codes

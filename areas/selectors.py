"""Read-side queries for the LKE instrument."""

from __future__ import annotations

from dataclasses import dataclass

from django.db.models import Count, QuerySet
from django.shortcuts import get_object_or_404

from areas.models import Area, LkeVersion, Question, VersionStatus
from units import permissions


def versions_visible_to(user) -> QuerySet[LkeVersion]:
    """Everyone with a role may read published versions; drafts are for admins only."""
    qs = LkeVersion.objects.annotate(question_count=Count("questions"))
    if permissions.is_admin(user):
        return qs
    if not permissions.roles_of(user):
        return qs.none()
    return qs.filter(status=VersionStatus.PUBLISHED)


def version_for_user(user, pk: int) -> LkeVersion:
    return get_object_or_404(versions_visible_to(user), pk=pk)


def published_version_for_year(year: int | str) -> LkeVersion | None:
    return (
        LkeVersion.objects.filter(status=VersionStatus.PUBLISHED, year=int(year))
        .order_by("-published_at", "-pk")
        .first()
    )


def version_tree(version: LkeVersion) -> list[dict]:
    """Areas with their indicators per section, questions and options: four queries."""
    areas = list(version.areas.order_by("number"))
    indicators = list(version.indicators.order_by("section", "area__number", "number"))
    questions = list(version.questions.prefetch_related("options").order_by("position", "pk"))
    by_indicator: dict[int, list] = {}
    for question in questions:
        by_indicator.setdefault(question.indicator_id, []).append(question)
    for indicator in indicators:
        indicator.question_list = by_indicator.get(indicator.pk, [])
    tree = []
    for area in areas:
        area.pemenuhan_indicators = [
            i for i in indicators if i.area_id == area.pk and i.section == "pemenuhan"
        ]
        area.reform_indicators = [
            i for i in indicators if i.area_id == area.pk and i.section == "reform"
        ]
        tree.append(area)
    hasil = [i for i in indicators if i.area_id is None]
    return tree, hasil


@dataclass(frozen=True)
class Parts:
    """A version's areas and items as the worksheet shows them: the items in the order of the
    LKE (section, area, indicator, position), each with its indicator, area and options."""

    areas: tuple[Area, ...]
    questions: tuple[Question, ...]
    by_pk: dict[int, Question]


_published_parts: dict[tuple[int, object], Parts] = {}


def version_parts(version: LkeVersion) -> Parts:
    """Four queries for a draft; for a published version (which never changes) once per
    process: every worksheet page and autosave reads it (issue 16). Keyed by the publication
    time as well as the id, so that a version stored again under a reused id is read afresh.
    Read-only: the instances are shared by every request of the process."""
    key = (version.pk, version.published_at)
    if version.status == VersionStatus.PUBLISHED and key in _published_parts:
        return _published_parts[key]
    questions = tuple(
        version.questions.select_related("indicator", "indicator__area")
        .prefetch_related("options", "evidence_requirements")
        .order_by("indicator__section", "indicator__area__number", "indicator__number", "position")
    )
    parts = Parts(
        areas=tuple(version.areas.order_by("number")),
        questions=questions,
        by_pk={question.pk: question for question in questions},
    )
    if version.status == VersionStatus.PUBLISHED:
        _published_parts[key] = parts
    return parts

"""Read-side queries for the LKE instrument."""

from __future__ import annotations

from django.db.models import Count, QuerySet
from django.shortcuts import get_object_or_404

from areas.models import LkeVersion, VersionStatus
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

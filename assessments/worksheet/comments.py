"""The conversation about one LKE item between the unit and each reviewer layer (the
pre-screen, TPI, TPN): who reads and who writes which thread, and who is told of a message.

The unit reads every thread addressed to it and writes with its Kanwil/Eselon I reviewer at
any time (guidance while building), with the layer reviewing it now, and in any thread a
reviewer already started. A reviewer reads the threads of the layers they may see and writes
in their own. Admin nasional reads all and writes none.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.urls import reverse
from django.utils.translation import gettext_noop

from assessments import permissions, policy
from assessments.assessment import Assessment, Layer
from assessments.policy import UNIT_ROLES
from notifications.messages import message, raw
from notifications.services import notify
from units.models import Role
from units.selectors import RoleHolders

COMMENT_MAX = 2000
THREAD_ROLE = {Layer.PRELIMINARY: Role.REVIEWER, Layer.TPI: Role.TPI, Layer.TPN: Role.TPN}
THREADS = tuple(THREAD_ROLE)


@dataclass(frozen=True)
class Threads:
    readable: tuple[str, ...]
    writable: tuple[str, ...]
    from_unit: bool


def comments_of(threads: Threads, assessment: Assessment, question_ids) -> dict[int, list]:
    """The readable messages of these items, by item, oldest first (one query)."""
    found: dict[int, list] = {pk: [] for pk in question_ids}
    for comment in (
        assessment.comments.filter(question_id__in=list(found), thread__in=threads.readable)
        .select_related("author")
        .order_by("created_at", "pk")
    ):
        found[comment.question_id].append(comment)
    return found


def comment_threads(user, assessment: Assessment) -> Threads:
    """Worked out once per request (kept on the assessment object, like permissions.access)."""
    key = (getattr(user, "pk", None), assessment.status)
    memo = assessment.__dict__.setdefault("_zi_threads", {})
    if key not in memo:
        memo[key] = _threads(user, assessment)
    return memo[key]


def _threads(user, assessment: Assessment) -> Threads:
    access = permissions.access(user, assessment)
    if access.is_unit_member:
        reviewing = policy.layer_written(THREAD_ROLE.values(), assessment.status)
        started = set(assessment.comments.order_by().values_list("thread", flat=True).distinct())
        writable = tuple(t for t in THREADS if t in (Layer.PRELIMINARY, reviewing) or t in started)
        return Threads(THREADS, writable, from_unit=True)
    if access.has(Role.ADMIN):
        return Threads(THREADS, (), from_unit=False)
    readable = tuple(t for t in THREADS if t in access.visible_layers)
    writable = tuple(t for t in readable if access.has(THREAD_ROLE[t]))
    return Threads(readable, writable, from_unit=False)


def comment_notify(comment, *, tab: str) -> None:
    """Tell the other side of the thread: the reviewers of that layer when the unit wrote, the
    unit's operators and head when a reviewer did. Never the author."""
    assessment, question = comment.assessment, comment.question
    unit = assessment.unit
    roles = [THREAD_ROLE[comment.thread]] if comment.from_unit else list(UNIT_ROLES)
    users = [
        user
        for user in RoleHolders(units=[unit], roles=roles).of(unit, roles)
        if user.pk != comment.author_id
    ]
    if not users:
        return
    side = unit.name if comment.from_unit else Layer(comment.thread).label
    url = reverse("assessments:worksheet", args=[assessment.pk])
    notify(
        users=users,
        kind="item_comment",
        title=message(
            gettext_noop("Komentar baru pada butir %(code)s: %(unit)s"),
            code=question.code,
            unit=unit.name,
        ),
        body=[
            message(
                gettext_noop("%(who)s (%(side)s) menulis:"),
                who=comment.author.get_full_name(),
                side=side,
            ),
            raw(comment.body),
        ],
        url=f"{url}?tab={tab}#q-{question.pk}",
        dedupe_key=f"comment:{comment.pk}",
    )

"""What waits for whom: each role's work queue, with progress, in a fixed number of queries."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date

from django.core.paginator import Page
from django.db.models import Count, F, OuterRef, QuerySet, Subquery
from django.db.models.functions import Coalesce
from django.utils.functional import cached_property
from django.utils.safestring import SafeString
from django.utils.translation import gettext_lazy as _

from areas.models import Question
from assessments import policy
from assessments.assessment import STAGE_OF, Assessment, Layer, Stage, Status
from assessments.selectors import assessments_visible_to
from assessments.worksheet import tally
from assessments.worksheet.models import LayerTally
from core.jinja import render_rows
from core.pagination import page_of
from units import permissions as unit_permissions
from units.models import Unit, UnitKind

# The statuses in which each role has to act.


@dataclass
class QueueFilters:
    group: str = ""  # code of a Kanwil or Eselon I unit
    kind: str = ""

    @classmethod
    def from_request(cls, data) -> QueueFilters:
        kind = data.get("kind", "")
        return cls(
            group=data.get("group", "").strip(), kind=kind if kind in UnitKind.values else ""
        )


_DEADLINES = [f"period__deadline_{stage}" for stage in Stage]


def waiting_statuses(user) -> set[str]:
    """The statuses in which an assessment waits for one of the user's roles (policy)."""
    return policy.statuses_waiting_for(unit_permissions.roles_of(user))


def queue_for(user, filters: QueueFilters | None = None) -> QuerySet[Assessment]:
    """Assessments of open periods waiting for one of the user's roles, soonest deadline first.
    `queue_rows` turns it into the table's rows."""
    qs = assessments_visible_to(user).filter(
        period__is_open=True, status__in=waiting_statuses(user)
    )
    if filters and filters.group:
        group = Unit.objects.filter(code=filters.group).first()
        qs = qs.filter(unit__path__startswith=group.path) if group else qs.none()
    if filters and filters.kind:
        qs = qs.filter(unit__kind=filters.kind)
    return qs.order_by("period__year", "status", "unit__name")


def waiting_rows(queryset: QuerySet[Assessment]) -> QuerySet:
    """Plain rows of unit name, status and the stage deadlines: the home page's first rows of
    the queue, which show no progress."""
    return queryset.values("pk", "status", *_DEADLINES, unit_name=F("unit__name"))


def queue_rows(queryset: QuerySet[Assessment]) -> QuerySet:
    """The queue's table as plain rows, one query: `waiting_rows` plus the parent unit and
    the progress (the unit's answered items, from its tally, of the instrument's items).
    Each is a correlated subquery, which PostgreSQL evaluates for the rows of the page only
    (after LIMIT): a join would read every waiting assessment's parent and answers (national
    TPI queue: a thousand assessments, 100,000 answers) to show fifty."""
    answered = LayerTally.objects.filter(
        assessment=OuterRef("pk"), layer=Layer.SELF, part=tally.WHOLE
    ).values("answered")
    items = (
        Question.objects.filter(version=OuterRef("period__lke_version"))
        .order_by()
        .values("version")
        .annotate(n=Count("pk"))
        .values("n")
    )
    parent = Unit.objects.filter(pk=OuterRef("unit__parent")).order_by().values("name")
    return waiting_rows(queryset).annotate(
        parent_name=Subquery(parent),
        answered=Coalesce(Subquery(answered), 0),
        items=Coalesce(Subquery(items), 0),
    )


def present(rows: Iterable[dict], today: date) -> list[dict]:
    """Adds what the table shows: stage and status labels, the stage's deadline and the days
    left to it, and the percent answered where the rows count it."""
    rows = list(rows)
    for row in rows:
        status = Status(row["status"])
        stage = STAGE_OF[status]
        row["deadline"] = row[f"period__deadline_{stage}"]
        row["stage_label"] = str(Stage(stage).label)
        row["status_label"] = str(status.label)
        row["days_left"] = None if row["deadline"] is None else (row["deadline"] - today).days
        if "items" in row:  # queue_rows, not waiting_rows
            row["pct"] = round(100 * row["answered"] / row["items"]) if row["items"] else 0
    return rows


# The words of the queue's rows (the cells' labels on a phone), translated once per page.
ROW_TEXT = {
    "stage": _("Tahap / status"),
    "deadline": _("Batas waktu"),
    "days": _("Sisa hari"),
    "progress": _("Progres LKE"),
    "bar": _("Progres"),
}


def rows_html(rows: Iterable[dict]) -> SafeString:
    """The queue table's rows (Jinja2, as the worksheet's card: fifty rows per page through
    Django's template language were a third of the page's CPU)."""
    return render_rows("assessments/queue_rows.jinja", ROW_TEXT, rows=rows)


class QueuePage:
    """One page of a user's queue, computed when the template first asks for it."""

    def __init__(self, user, filters: QueueFilters, number):
        self.user, self.filters, self.number = user, filters, number

    @cached_property
    def page(self) -> Page:
        page = page_of(queue_rows(queue_for(self.user, self.filters)), self.number)
        page.object_list = present(page.object_list, date.today())
        return page

    @cached_property
    def choices(self) -> list[dict]:
        return filter_choices(self.user)


def filter_choices(user) -> list[dict]:
    """Code and name of the Kanwil and Eselon I units the user may filter by."""
    return list(
        Unit.objects.filter(
            unit_permissions.scope_filter(user), kind__in=[UnitKind.KANWIL, UnitKind.ESELON1]
        )
        .order_by("kind", "name")
        .values("code", "name")
    )

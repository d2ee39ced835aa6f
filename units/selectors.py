"""Read-side queries for units and people, always limited to the acting user's scope."""

from __future__ import annotations

import json
from collections import defaultdict
from collections.abc import Iterable

from auditlog.models import LogEntry
from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import FieldDoesNotExist
from django.db.models import Count, OuterRef, Q, QuerySet, Subquery
from django.db.models.functions import Coalesce
from django.shortcuts import get_object_or_404
from django.utils.text import capfirst
from django.utils.translation import gettext_lazy as _

from core import audit
from units import permissions
from units.models import (
    NATIONAL_ROLES,
    OVERSIGHT_ROLES,
    OWN_UNIT_ROLES,
    Membership,
    Unit,
    UnitKind,
    User,
)


def units_visible_to(user) -> QuerySet[Unit]:
    return Unit.objects.filter(permissions.scope_filter(user)).select_related("parent")


def unit_for_user(user, code: str) -> Unit:
    """The unit with `code` if the user may see it; 404 otherwise."""
    return get_object_or_404(units_visible_to(user), code=code)


def with_child_counts(qs: QuerySet[Unit]) -> QuerySet[Unit]:
    children = (
        Unit.objects.filter(parent=OuterRef("pk"))
        .order_by()
        .values("parent")
        .annotate(n=Count("pk"))
        .values("n")
    )
    return qs.annotate(child_count=Coalesce(Subquery(children), 0))


def unit_roots_for(user) -> QuerySet[Unit]:
    """What the tree browser starts from: the roots of the tree for national users, else the
    user's own scope roots."""
    if permissions.is_national(user):
        qs = Unit.objects.filter(parent__isnull=True)
    else:
        qs = Unit.objects.filter(pk__in=[u.pk for u in permissions.scope_roots(user)])
    return with_child_counts(qs.select_related("parent")).order_by("name")


def unit_children(user, unit: Unit) -> QuerySet[Unit]:
    # Their parent is `unit`: no join, and no fifty copies of it.
    children = units_visible_to(user).select_related(None).filter(parent=unit)
    return with_child_counts(children).order_by("name")


def unit_search(user, query: str) -> QuerySet[Unit]:
    query = query.strip()
    return with_child_counts(
        units_visible_to(user).filter(Q(name__icontains=query) | Q(code__iexact=query))
    ).order_by("depth", "name")


def unit_breadcrumbs(user, unit: Unit) -> list[tuple[Unit, bool]]:
    """Ancestors of `unit`, root first, each with whether the user may open it."""
    return [(ancestor, permissions.can_view_unit(user, ancestor)) for ancestor in unit.ancestors()]


def unit_members(unit: Unit) -> QuerySet[Membership]:
    return unit.memberships.select_related("user").order_by("role", "user__full_name")


def people_list(user, query: str = "") -> QuerySet[User]:
    if not permissions.can_manage_people(user):
        return User.objects.none()
    # Service accounts are not people: managed, with their fixed scope, at layanan-api/.
    qs = (
        User.objects.filter(service_account__isnull=True)
        .prefetch_related("memberships__unit")
        .order_by("full_name")
    )
    if query := query.strip():
        qs = qs.filter(Q(full_name__icontains=query) | Q(email__icontains=query) | Q(nip=query))
    return qs


def person_for_user(user, pk: int) -> User:
    return get_object_or_404(people_list(user), pk=pk)


def unit_counts_by_kind(user) -> list[dict]:
    """Units in the user's scope per kind, for the home page: one query."""
    rows = (
        Unit.objects.filter(permissions.scope_filter(user), is_active=True)
        .values("kind")
        .annotate(n=Count("pk"))
        .order_by("kind")
    )
    return [{"label": UnitKind(row["kind"]).label, "n": row["n"]} for row in rows]


def audited_content_types() -> list[ContentType]:
    """The kinds of object the audit log holds entries for, for the page's filter."""
    from auditlog.registry import auditlog

    models = {*auditlog.get_models(), *audit.recorded_models()}
    types = ContentType.objects.get_for_models(*models)
    return sorted(types.values(), key=lambda ct: str(ct.model_class()._meta.verbose_name))


def audit_action_choices() -> list[tuple[str, str]]:
    """Every action code the page can filter by: those the portal records, then those of the
    rows auditlog tracks itself (created, changed, deleted)."""
    from auditlog.registry import auditlog

    choices = [(code, f"{label} ({code})") for code, label in audit.registered().items()]
    for model in sorted(auditlog.get_models(), key=lambda m: m._meta.model_name):
        for action, verb in AUDIT_ACTION_LABELS.items():
            if action == LogEntry.Action.ACCESS:
                continue
            code = audit.model_code(model._meta.model_name, action)
            label = f"{capfirst(model._meta.verbose_name)}: {verb}"
            choices.append((code, f"{label} ({code})"))
    return choices


def audit_entries(
    user, *, content_type=None, action: str = "", actor: str = "", date_from=None, date_to=None
) -> QuerySet[LogEntry]:
    """Audit log entries, newest first, for the Admin nasional only (nothing for anyone else)."""
    if not permissions.can_read_audit_log(user):
        return LogEntry.objects.none()
    qs = LogEntry.objects.select_related("actor", "content_type").order_by("-timestamp", "-pk")
    if content_type is not None:
        qs = qs.filter(content_type=content_type)
    if action:
        model_action = audit.parse_model_code(action)
        if model_action is None:
            qs = qs.filter(additional_data__action=action)
        else:
            model, verb = model_action
            qs = qs.filter(
                content_type__model=model, action=verb, additional_data__action__isnull=True
            )
    if actor := actor.strip():
        qs = qs.filter(Q(actor__email__icontains=actor) | Q(actor__full_name__icontains=actor))
    if date_from:
        qs = qs.filter(timestamp__date__gte=date_from)
    if date_to:
        qs = qs.filter(timestamp__date__lte=date_to)
    return qs


AUDIT_ACTION_LABELS = {
    LogEntry.Action.CREATE: _("dibuat"),
    LogEntry.Action.UPDATE: _("diubah"),
    LogEntry.Action.DELETE: _("dihapus"),
    LogEntry.Action.ACCESS: _("diakses"),
}
# Labels of the data that entries of the portal's own actions carry (core.audit.record).
AUDIT_SUMMARY_LABELS = {"assessments_opened": _("Penilaian dibuka untuk unit")}


def audit_label(entry: LogEntry) -> str:
    """The entry's action in words: the portal's own label, or "created/changed/deleted"."""
    code = audit.action_of(entry)
    if audit.parse_model_code(code) is None:
        return audit.label_of(code)
    return str(AUDIT_ACTION_LABELS.get(entry.action, ""))


def audit_change_rows(entry: LogEntry) -> list[tuple[str, str, str]]:
    """(field label, old, new) of an entry, without a query: choices show their labels, related
    objects their id (auditlog's own display fetches each related object)."""
    model = entry.content_type.model_class()
    rows = []
    for name, values in (entry.changes_dict or {}).items():
        old, new = (list(values) + [None, None])[:2]
        try:
            field = model._meta.get_field(name) if model else None
        except FieldDoesNotExist:
            field = None
        if field is not None and (not field.concrete or field.primary_key):
            continue  # the id, and reverse relations auditlog lists as "None" on creation
        choices = dict(field.flatchoices) if getattr(field, "choices", None) else {}
        label = capfirst(getattr(field, "verbose_name", name))
        rows.append((label, _audit_value(old, choices), _audit_value(new, choices)))
    for key, value in (entry.additional_data or {}).items():
        if key != "action":  # shown as the entry's action
            rows.append((AUDIT_SUMMARY_LABELS.get(key, key), None, str(value)))
    return rows


def _audit_value(value, choices) -> str:
    if value is None or value == "None":
        return "–"
    if isinstance(value, (dict, list)):  # a JSON field's value (auditlog keeps it as is)
        return json.dumps(value, ensure_ascii=False, sort_keys=True)
    return str(choices.get(value, value))


class RoleHolders:
    """Who holds which role where, read in one query for a batch of units."""

    def __init__(self, *, units: Iterable[Unit], roles: Iterable[str]):
        units, roles = list(units), set(roles)
        condition = Q(pk__in=[])
        if roles & OWN_UNIT_ROLES:
            condition |= Q(role__in=roles & OWN_UNIT_ROLES, unit_id__in={u.pk for u in units})
        if roles & OVERSIGHT_ROLES:
            reach = {pk for u in units for pk in (*u.ancestor_ids, u.pk)}
            condition |= Q(role__in=roles & OVERSIGHT_ROLES, unit_id__in=reach)
        if roles & NATIONAL_ROLES:
            condition |= Q(role__in=roles & NATIONAL_ROLES)
        self._users: dict[tuple[int | None, str], list[User]] = defaultdict(list)
        # Service accounts hold roles to read, never to be told of work (api.models).
        memberships = Membership.objects.filter(
            condition,
            user__is_active=True,
            unit__is_active=True,
            user__service_account__isnull=True,
        ).select_related("user")
        for membership in memberships:
            unit_id = None if membership.role in NATIONAL_ROLES else membership.unit_id
            self._users[(unit_id, membership.role)].append(membership.user)

    def of(self, unit: Unit, roles: Iterable[str]) -> list[User]:
        """The people holding `roles` for `unit`, each once."""
        found: dict[int, User] = {}
        for role in roles:
            if role in OWN_UNIT_ROLES:
                unit_ids = [unit.pk]
            elif role in OVERSIGHT_ROLES:
                unit_ids = [*unit.ancestor_ids, unit.pk]
            else:
                unit_ids = [None]
            for unit_id in unit_ids:
                for user in self._users[(unit_id, role)]:
                    found.setdefault(user.pk, user)
        return list(found.values())

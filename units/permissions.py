"""The one place that answers "may this user do X to this unit/object".

Views and templates ask these functions; querysets are limited through `units.selectors`,
which builds on `scope_filter` here. An object outside the user's scope is a 404 (the
caller never learns it exists); a missing permission inside the scope is a 403.
"""

from __future__ import annotations

from django.core.exceptions import PermissionDenied
from django.db.models import Q

from units.models import NATIONAL_ROLES, Membership, Role, Unit


def memberships_of(user) -> list[Membership]:
    """The user's memberships in active units, each with its unit (role, then tree order):
    read with the user's row when the request signs them in (units/backends.py), or here in one
    query, and kept on the user object, which lives for one request. Never cached across
    requests, so a revoked role acts on the next request."""
    if not getattr(user, "is_authenticated", False):
        return []
    cached = getattr(user, "_zi_memberships", None)
    if cached is None:
        cached = list(
            Membership.objects.filter(user_id=user.pk, unit__is_active=True)
            .select_related("unit")
            .order_by("role", "unit__path")
        )
        user._zi_memberships = cached
    return cached


def roles_of(user) -> frozenset[str]:
    """The user's roles, worked out once per set of memberships (every page asks many times)."""
    memberships = memberships_of(user)
    cached = getattr(user, "_zi_roles", None)
    if cached is None or cached[0] is not memberships:
        roles = {m.role for m in memberships}
        if getattr(user, "is_superuser", False):
            roles.add(Role.ADMIN)
        cached = (memberships, frozenset(roles))
        if getattr(user, "is_authenticated", False):
            user._zi_roles = cached
    return cached[1]


def has_role(user, *roles: str) -> bool:
    return not roles_of(user).isdisjoint(roles)


def is_admin(user) -> bool:
    return has_role(user, Role.ADMIN)


def require_admin(user) -> None:
    """The one admin check of the views: a 403 for anyone but the Admin nasional."""
    if not is_admin(user):
        raise PermissionDenied


def is_national(user) -> bool:
    return bool(roles_of(user) & NATIONAL_ROLES)


def primary_role(user) -> str | None:
    """The role that decides the home page: the most far-reaching one the user holds."""
    order = [Role.ADMIN, Role.TPN, Role.TPI, Role.REVIEWER, Role.PIMPINAN, Role.OPERATOR]
    roles = roles_of(user)
    return next((role for role in order if role in roles), None)


def scope_roots(user) -> list[Unit]:
    """The units whose subtrees the user may see (empty for national users: see is_national)."""
    return [m.unit for m in memberships_of(user) if m.role not in NATIONAL_ROLES]


def scope_filter(user, prefix: str = "") -> Q:
    """A Q limiting a queryset to the user's scope; `prefix` is the lookup path to the unit
    (e.g. "unit__"). No membership means nothing at all."""
    if is_national(user):
        return Q()
    return scope_filter_non_national(user, prefix)


def scope_filter_non_national(user, prefix: str = "") -> Q:
    """Like scope_filter, but only through memberships bound to a subtree (national roles add
    nothing): for objects that national roles reach by other rules (TPN: proposed units)."""
    roots = scope_roots(user)
    if not roots:
        return Q(pk__in=[])
    condition = Q()
    for unit in roots:
        condition |= Q(**{f"{prefix}path__startswith": unit.path})
    return condition


def can_view_unit(user, unit: Unit) -> bool:
    return is_national(user) or any(unit.is_within(root) for root in scope_roots(user))


def can_manage_people(user) -> bool:
    return is_admin(user)


def can_change_person(user, person) -> bool:
    """Admin nasional changes people's data and roles, but only a superuser changes a superuser
    or a staff account (its e-mail, password reset, activity, roles): otherwise an admin could
    point a superuser's e-mail at themselves and reset their way into the Django admin."""
    if not can_manage_people(user):
        return False
    if person.is_superuser or person.is_staff:
        return bool(getattr(user, "is_superuser", False))
    return True


def can_grant_flag(user, flag: str) -> bool:
    """Nobody raises anyone to a flag (is_staff, is_superuser) they do not hold themselves."""
    return bool(getattr(user, flag, False))


def can_grant_role(user, role: str) -> bool:
    """Nobody raises anyone to a role they do not hold themselves; Admin nasional holds every
    role's reach (it may grant any), others grant none here."""
    return role in roles_of(user) or is_admin(user)


def can_import_units(user) -> bool:
    return is_admin(user)


def can_read_audit_log(user) -> bool:
    return is_admin(user)


def can_view_unit_members(user, unit: Unit) -> bool:
    return is_admin(user) or (
        has_role(user, Role.REVIEWER, Role.TPI, Role.PIMPINAN) and can_view_unit(user, unit)
    )

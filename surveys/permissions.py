"""Who may do what with surveys. Reading follows the unit scope (`selectors`); running a
unit's surveys (creating them, its services, codes, posters, follow-up plans) is for the
unit's own operator and pimpinan, and for the national admin."""

from __future__ import annotations

from units.models import Role, Unit
from units.permissions import is_admin, memberships_of


def can_manage_surveys(user, unit: Unit) -> bool:
    if is_admin(user):
        return True
    return any(
        m.unit_id == unit.pk and m.role in (Role.OPERATOR, Role.PIMPINAN)
        for m in memberships_of(user)
    )

"""Who may see and do what with an assessment. Views, templates and services ask these.

Scope comes from units.permissions (a membership's unit subtree; national for Admin and TPN).
TPN, although national, sees only assessments proposed to TPN. Outside the scope: 404.
"""

from __future__ import annotations

from django.db.models import Q

from assessments.models import Assessment, EvidenceKind, Layer, Status
from units import permissions as unit_permissions
from units.models import Role

TPN_STATUSES = (Status.PROPOSED, Status.GRANTED, Status.NOT_GRANTED)
TPI_DECIDED = (
    Status.TPI_PASSED, Status.TPI_FAILED, Status.PROPOSED, Status.GRANTED, Status.NOT_GRANTED,
)  # fmt: skip

# The layer each reviewer role writes, and the status in which it may write it.
REVIEW_LAYER = {
    Role.REVIEWER: (Layer.PRELIMINARY, Status.PRELIMINARY_REVIEW),
    Role.TPI: (Layer.TPI, Status.TPI_REVIEW),
    Role.TPN: (Layer.TPN, Status.PROPOSED),
}
UNIT_EDIT_STATUSES = (Status.PEMBANGUNAN, Status.RETURNED_PRELIMINARY, Status.RETURNED_TPI)
UNIT_ROLES = (Role.OPERATOR, Role.PIMPINAN)


def _scoped_roles(user, assessment: Assessment) -> set[str]:
    """The user's roles that reach this assessment's unit."""
    roles = set()
    for membership in unit_permissions.memberships_of(user):
        if membership.is_national or assessment.unit.is_within(membership.unit):
            roles.add(membership.role)
    if getattr(user, "is_superuser", False):
        roles.add(Role.ADMIN)
    if Role.TPN in roles and assessment.status not in TPN_STATUSES:
        roles.discard(Role.TPN)
    return roles


def scope_filter(user) -> Q:
    """Q over Assessment limiting to what the user may see."""
    roles = unit_permissions.roles_of(user)
    if Role.ADMIN in roles:
        return Q()
    condition = unit_permissions.scope_filter_non_national(user, prefix="unit__")
    if Role.TPN in roles:
        condition |= Q(status__in=TPN_STATUSES)
    return condition


def can_view(user, assessment: Assessment) -> bool:
    return bool(_scoped_roles(user, assessment))


def has_role_on(user, assessment: Assessment, *roles: str) -> bool:
    return bool(_scoped_roles(user, assessment) & set(roles))


def is_unit_member(user, assessment: Assessment) -> bool:
    return has_role_on(user, assessment, *UNIT_ROLES)


def writable_layer(user, assessment: Assessment) -> str | None:
    """The layer this user may write now, if any."""
    roles = _scoped_roles(user, assessment)
    if Role.OPERATOR in roles and assessment.status in UNIT_EDIT_STATUSES:
        return Layer.SELF
    for role, (layer, status) in REVIEW_LAYER.items():
        if role in roles and assessment.status == status:
            return layer
    return None


def visible_layers(user, assessment: Assessment) -> list[str]:
    """Layers whose values this user may read, in order. Reviewers see every earlier layer;
    the unit sees TPI only after TPI's decision and TPN only when an admin released it."""
    roles = _scoped_roles(user, assessment)
    if Role.ADMIN in roles or Role.TPN in roles:
        return [Layer.SELF, Layer.PRELIMINARY, Layer.TPI, Layer.TPN]
    if Role.TPI in roles:
        return [Layer.SELF, Layer.PRELIMINARY, Layer.TPI]
    if Role.REVIEWER in roles:
        return [Layer.SELF, Layer.PRELIMINARY]
    layers = [Layer.SELF, Layer.PRELIMINARY]
    if assessment.status in TPI_DECIDED:
        layers.append(Layer.TPI)
    if assessment.tpn_layer_released:
        layers.append(Layer.TPN)
    return layers


def can_edit_unit_documents(user, assessment: Assessment) -> bool:
    """Declaration, team, change agents, work plan: the unit's operator or head, before the
    assessment is handed to reviewers (and while items are returned)."""
    return is_unit_member(user, assessment) and assessment.status in (
        Status.PENCANANGAN, *UNIT_EDIT_STATUSES,
    )  # fmt: skip


def can_upload_evidence(user, assessment: Assessment) -> bool:
    """Evidence is locked while the assessment is with a reviewer; it unlocks when returned."""
    return has_role_on(user, assessment, Role.OPERATOR) and assessment.status in (
        Status.PENCANANGAN, *UNIT_EDIT_STATUSES,
    )  # fmt: skip


def can_review_evidence(user, assessment: Assessment) -> bool:
    layer = writable_layer(user, assessment)
    return layer is not None and layer != Layer.SELF


# --------------------------------------------------------------------------- evidence reading
# One rule for who reads which evidence, asked by every path that shows a file or its
# metadata: the evidence pages and downloads, the field-visit page, the LHE, the evidence ZIP
# (through assessments.selectors.evidence_visible_to) and whatever comes next.


def can_read_field_findings(user, assessment: Assessment) -> bool:
    """TPN's findings (the visit record and its attachments) are TPN's evaluation: the unit and
    the reviewers read them only once an admin released the TPN layer, like TPN's scores.
    `user=None` is nobody in particular (a file made from the command line)."""
    if assessment.tpn_layer_released:
        return True
    return user is not None and has_role_on(user, assessment, Role.TPN, Role.ADMIN)


def readable_evidence_kinds(user, assessment: Assessment) -> list[str]:
    """The kinds of evidence of this assessment the user may read, files and metadata alike.
    Item evidence and the unit's declaration documents are read by everyone in scope."""
    kinds = [kind for kind in EvidenceKind.values if kind != EvidenceKind.FIELD_VISIT]
    if can_read_field_findings(user, assessment):
        kinds.append(EvidenceKind.FIELD_VISIT)
    return kinds


def can_read_evidence(user, assessment: Assessment, kind: str) -> bool:
    return kind in readable_evidence_kinds(user, assessment)

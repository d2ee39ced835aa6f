"""Who may see and do what with an assessment. Views, templates and services ask these.

Scope comes from units.permissions (a membership's unit subtree; national for Admin and TPN).
TPN, although national, sees only assessments proposed to TPN. Outside the scope: 404.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.db.models import Q

from assessments import policy
from assessments.assessment import Assessment, EvidenceKind, Layer
from assessments.policy import UNIT_ROLES
from units import permissions as unit_permissions
from units.models import Role

# Documents of TPN's decisions: added only in the status that asks for them (policy.unit_uploads).
DECISION_KINDS = (EvidenceKind.PROPOSAL_LETTER, EvidenceKind.SPTJM, EvidenceKind.APPEAL)

# What each role may do in which status is assessments/policy.py.


@dataclass(frozen=True)
class Access:
    """What one user may do on one assessment, worked out once per request: views, templates
    and services ask it (`assessment.access`, set by selectors.assessment_for_user)."""

    roles: frozenset[str]
    writable_layer: str | None
    visible_layers: tuple[str, ...]
    unit_documents: bool  # policy: the unit may change evidence and documents now
    unit_uploads: tuple[str, ...] = ()  # policy: kinds the unit may add even so

    def has(self, *roles: str) -> bool:
        return not self.roles.isdisjoint(roles)

    @property
    def can_view(self) -> bool:
        return bool(self.roles)

    @property
    def is_unit_member(self) -> bool:
        return self.has(*UNIT_ROLES)

    @property
    def can_edit_unit_documents(self) -> bool:
        """Declaration, team, change agents, work plan: the unit's operator or head, before
        the assessment is handed to reviewers (and while items are returned)."""
        return self.is_unit_member and self.unit_documents

    @property
    def can_upload_evidence(self) -> bool:
        """Evidence is locked while the assessment is with a reviewer; unlocked when returned."""
        return self.has(Role.OPERATOR) and self.unit_documents

    @property
    def can_review_evidence(self) -> bool:
        return self.writable_layer is not None and self.writable_layer != Layer.SELF

    @property
    def can_record_field_visit(self) -> bool:
        """TPN's field visit (and its attachments) belongs to TPN's evaluation: while TPN
        writes its layer."""
        return self.writable_layer == Layer.TPN

    def can_change_evidence(self, kind: str) -> bool:
        """Who adds and removes evidence of this kind now: the unit's operator (locked while a
        reviewer holds the assessment), or, for field-visit attachments, TPN during its visit."""
        if kind == EvidenceKind.FIELD_VISIT:
            return self.can_record_field_visit
        if kind in self.unit_uploads:  # TPN's selection letters, the sanggah's files
            return self.has(Role.OPERATOR)
        if kind in DECISION_KINDS:
            return False
        return self.can_upload_evidence


def access(user, assessment: Assessment) -> Access:
    """The user's Access to the assessment, kept on the assessment object for as long as its
    status and TPN release stay as they were."""
    key = (getattr(user, "pk", None), assessment.status, assessment.tpn_layer_released)
    memo = assessment.__dict__.setdefault("_zi_access", {})
    found = memo.get(key)
    if found is None:
        roles = frozenset(_scoped_roles(user, assessment))
        found = memo[key] = Access(
            roles=roles,
            writable_layer=policy.layer_written(roles, assessment.status),
            visible_layers=tuple(_visible_layers(roles, assessment)),
            unit_documents=policy.POLICY[assessment.status].unit_documents,
            unit_uploads=policy.POLICY[assessment.status].unit_uploads,
        )
    return found


def _scoped_roles(user, assessment: Assessment) -> set[str]:
    """The user's roles that reach this assessment's unit."""
    roles = set()
    for membership in unit_permissions.memberships_of(user):
        if membership.is_national or assessment.unit.is_within(membership.unit):
            roles.add(membership.role)
    if getattr(user, "is_superuser", False):
        roles.add(Role.ADMIN)
    if Role.TPN in roles and assessment.status not in policy.TPN_STATUSES:
        roles.discard(Role.TPN)
    return roles


def scope_filter(user) -> Q:
    """Q over Assessment limiting to what the user may see."""
    roles = unit_permissions.roles_of(user)
    if Role.ADMIN in roles:
        return Q()
    condition = unit_permissions.scope_filter_non_national(user, prefix="unit__")
    if Role.TPN in roles:
        condition |= Q(status__in=policy.TPN_STATUSES)
    return condition


def can_view(user, assessment: Assessment) -> bool:
    return access(user, assessment).can_view


def has_role_on(user, assessment: Assessment, *roles: str) -> bool:
    return access(user, assessment).has(*roles)


def is_unit_member(user, assessment: Assessment) -> bool:
    return access(user, assessment).is_unit_member


def roles_on(user, assessment: Assessment) -> frozenset[str]:
    """The user's roles that reach this assessment (TPN only once it was proposed)."""
    return access(user, assessment).roles


def writable_layer(user, assessment: Assessment) -> str | None:
    """The layer this user may write now, if any (policy: `writes`)."""
    return access(user, assessment).writable_layer


def visible_layers(user, assessment: Assessment) -> list[str]:
    return list(access(user, assessment).visible_layers)


def _visible_layers(roles: frozenset[str], assessment: Assessment) -> list[str]:
    """Layers whose values these roles may read, in order. Reviewers see every earlier layer;
    the unit sees TPI only after TPI's decision and TPN only when an admin released it."""
    if Role.ADMIN in roles or Role.TPN in roles:
        return [Layer.SELF, Layer.PRELIMINARY, Layer.TPI, Layer.TPN]
    if Role.TPI in roles:
        return [Layer.SELF, Layer.PRELIMINARY, Layer.TPI]
    if Role.REVIEWER in roles:
        return [Layer.SELF, Layer.PRELIMINARY]
    layers = [Layer.SELF, Layer.PRELIMINARY]
    if policy.POLICY[assessment.status].unit_reads_tpi:
        layers.append(Layer.TPI)
    if assessment.tpn_layer_released:
        layers.append(Layer.TPN)
    return layers


def can_edit_unit_documents(user, assessment: Assessment) -> bool:
    return access(user, assessment).can_edit_unit_documents


def can_upload_evidence(user, assessment: Assessment) -> bool:
    return access(user, assessment).can_upload_evidence


def can_review_evidence(user, assessment: Assessment) -> bool:
    return access(user, assessment).can_review_evidence


def can_record_field_visit(user, assessment: Assessment) -> bool:
    return access(user, assessment).can_record_field_visit


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

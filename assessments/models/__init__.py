"""What happens each year: periods, each unit's assessment and its stage, layered answers,
evidence and awards."""

from assessments.models.answers import Answer, ItemReturn, Layer
from assessments.models.assessment import (
    Assessment,
    ChangeAgent,
    Declaration,
    Stage,
    Status,
    TeamMember,
    TransitionEvent,
    WorkPlanItem,
)
from assessments.models.awards import FieldVisit, PredicateAward
from assessments.models.evidence import Evidence, EvidenceKind, EvidenceVerdict
from assessments.models.evidence_policy import EvidencePolicy
from assessments.models.periods import Period

__all__ = [
    "Answer",
    "Assessment",
    "ChangeAgent",
    "Declaration",
    "Evidence",
    "EvidenceKind",
    "EvidencePolicy",
    "EvidenceVerdict",
    "FieldVisit",
    "ItemReturn",
    "Layer",
    "Period",
    "PredicateAward",
    "Stage",
    "Status",
    "TeamMember",
    "TransitionEvent",
    "WorkPlanItem",
]

"""Every model of the app, for Django (which loads this module) and for callers outside the
app. Each lives beside its sub-domain: the assessment and its transitions in
`assessments.assessment`, answers and returns in `worksheet.models`, evidence and upload limits
in `evidence.models`, periods, stage records and awards in `stages.models`."""
# ruff: noqa: F401 (this module only hands the models on)

from assessments.assessment import Assessment, EvidenceKind, Layer, Stage, Status, TransitionEvent
from assessments.evidence.models import Evidence, EvidencePolicy, EvidenceVerdict
from assessments.stages.decisions import (
    Appeal,
    AppealDecision,
    SelectionOutcome,
    SelectionResult,
)
from assessments.stages.models import (
    ChangeAgent,
    Declaration,
    FieldVisit,
    Period,
    PredicateAward,
    RevocationSource,
    TeamMember,
    WorkPlanItem,
    WorkPlanStatus,
)
from assessments.worksheet.models import (
    Answer,
    ItemComment,
    ItemReturn,
    LayerTally,
    WorkbookUpload,
)

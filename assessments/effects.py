"""What a stage transition does besides changing the status (see workflow.TRANSITIONS, where
each transition declares its effects). Each takes the transition context, runs inside the
transition's transaction on the locked assessment, and changes what its name says."""

from __future__ import annotations

from collections.abc import Callable

from django.utils import timezone

from assessments.assessment import LAYER_ORDER, Assessment, Layer
from assessments.stages.awards import prior_predicate
from assessments.stages.checks import Context
from assessments.stages.decisions import Appeal, AppealDecision, SelectionOutcome, SelectionResult
from assessments.stages.models import PredicateAward
from assessments.worksheet.scores import layer_results
from core import audit


def resolve_returns(layer: str) -> Callable[[Context], None]:
    """The unit resubmits: the items `layer` returned are resolved."""

    def effect(ctx: Context) -> None:
        ctx.assessment.returns.filter(layer=layer, resolved_at__isnull=True).update(
            resolved_at=timezone.now()
        )

    effect.__name__ = f"resolve_returns_{layer}"
    return effect


resolve_preliminary_returns = resolve_returns(Layer.PRELIMINARY)
resolve_tpi_returns = resolve_returns(Layer.TPI)


def keep_proposal_justification(ctx: Context) -> None:
    """The admin proposes below the rules: the justification stays with the assessment."""
    if ctx.override_note.strip():
        ctx.assessment.proposal_override_note = ctx.override_note.strip()


def award_predicate(ctx: Context) -> None:
    """TPN grants: the unit holds the target predicate from this year, with its SK."""
    assessment = ctx.assessment
    assessment.sk_number = ctx.sk_number.strip()
    results = layer_results(assessment, LAYER_ORDER, prior_predicate=prior_predicate(assessment))
    award = PredicateAward.objects.create(
        unit=assessment.unit,
        assessment=assessment,
        year=assessment.period.year,
        predicate=assessment.target_predicate,
        sk_number=assessment.sk_number,
        sk_date=ctx.sk_date,
        granted_at=timezone.now(),
        granted_by=ctx.by,
        justification=ctx.override_note.strip(),  # required when TPN's layer misses the target
        layer_scores={layer: str(result.total) for layer, result in results.items()},
    )
    audit.record(
        "zi.award.granted", award, by=ctx.by, predicate=award.predicate, sk=award.sk_number
    )
    # Later periods of the unit now read another prior predicate.
    Assessment.objects.filter(unit=assessment.unit).exclude(pk=assessment.pk).touch()


def record_selection(outcome: str) -> Callable[[Context], None]:
    """TPN's administrative selection of a proposed unit, kept beside the status (the outcome
    outlives it: a unit that passed with notes is later "in evaluation", then granted)."""

    def effect(ctx: Context) -> None:
        SelectionResult.objects.update_or_create(
            assessment=ctx.assessment,
            defaults={"outcome": outcome, "note": ctx.note.strip(), "decided_at": timezone.now(),
                      "decided_by": ctx.by, "imported": False, "confirmed_at": None,
                      "confirmed_by": None},
        )  # fmt: skip

    effect.__name__ = f"record_selection_{outcome}"
    return effect


def confirm_selection_documents(ctx: Context) -> None:
    """TPN accepts the corrected proposal letter and SPTJM: the selection is complete."""
    SelectionResult.objects.filter(
        assessment=ctx.assessment, outcome=SelectionOutcome.PASSED_WITH_NOTES
    ).update(confirmed_at=timezone.now(), confirmed_by=ctx.by)


def open_appeal(ctx: Context) -> None:
    """The unit's one sanggah (Appeal.assessment is unique: a second one cannot be stored)."""
    Appeal.objects.create(
        assessment=ctx.assessment,
        against=ctx.assessment.status,
        reasons=ctx.note.strip(),
        links=list(ctx.links),
        filed_at=timezone.now(),
        filed_by=ctx.by,
    )


def decide_appeal(decision: str) -> Callable[[Context], None]:
    """TPN's final word on the sanggah: accepted (back to evaluation) or rejected."""

    def effect(ctx: Context) -> None:
        Appeal.objects.filter(assessment=ctx.assessment, decision=AppealDecision.PENDING).update(
            decision=decision, decision_reason=ctx.note.strip(), decided_at=timezone.now(),
            decided_by=ctx.by,
        )  # fmt: skip

    effect.__name__ = f"decide_appeal_{decision}"
    return effect

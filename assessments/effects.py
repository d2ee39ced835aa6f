"""What a stage transition does besides changing the status (see workflow.TRANSITIONS, where
each transition declares its effects). Each takes the transition context, runs inside the
transition's transaction on the locked assessment, and changes what its name says."""

from __future__ import annotations

from collections.abc import Callable

from django.utils import timezone

from assessments.assessment import Assessment, Layer
from assessments.stages.checks import Context
from assessments.stages.models import PredicateAward
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
    )
    audit.record(
        "zi.award.granted", award, by=ctx.by, predicate=award.predicate, sk=award.sk_number
    )
    # Later periods of the unit now read another prior predicate.
    Assessment.objects.filter(unit=assessment.unit).exclude(pk=assessment.pk).touch()

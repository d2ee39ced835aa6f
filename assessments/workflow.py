"""The five stages as one explicit state machine: every allowed transition in one table.

Each transition names the statuses it starts from, the status it leads to, the roles that may
perform it, whether a note is required, the conditions that must hold (a function returning
the list of unmet conditions, in words for the user), what it does besides (`effects`,
assessments/effects.py) and who is told (`notify`: roles of the unit's people, its reviewers or
national; never the actor). `assessments.services.assessment_transition` is the only code that
changes an assessment's status. Who acts in which status is assessments/policy.py.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field

from django.utils.translation import gettext_lazy as _

from assessments import effects, policy
from assessments.assessment import Status
from assessments.stages import checks
from units.models import Role

UNIT = policy.UNIT_ROLES  # the unit's own people


@dataclass(frozen=True)
class Transition:
    name: str
    label: str
    sources: tuple[str, ...]
    target: str
    roles: tuple[str, ...]
    note_required: bool = False
    conditions: tuple[Callable, ...] = field(default=())
    effects: tuple[Callable, ...] = field(default=())
    notify: tuple[str, ...] = ()
    style: str = "primary"  # how the button looks: primary, danger, secondary


TRANSITIONS: dict[str, Transition] = {
    t.name: t
    for t in [
        Transition(
            "confirm_declaration", _("Konfirmasi pencanangan"), (Status.PENCANANGAN,),
            Status.PEMBANGUNAN, (Role.PIMPINAN,), conditions=(checks.declaration_complete,),
            notify=(Role.OPERATOR,),
        ),
        Transition(
            "submit", _("Kirim penilaian mandiri"), (Status.PEMBANGUNAN,), Status.SUBMITTED,
            (Role.OPERATOR,), conditions=(checks.self_layer_complete,), notify=(Role.PIMPINAN,),
        ),
        Transition(
            "approve_submission", _("Setujui dan kirim ke reviewer"), (Status.SUBMITTED,),
            Status.PRELIMINARY_REVIEW, (Role.PIMPINAN,), conditions=(checks.self_layer_complete,),
            notify=(Role.REVIEWER, Role.OPERATOR),
        ),
        Transition(
            "reject_submission", _("Kembalikan ke operator"), (Status.SUBMITTED,),
            Status.PEMBANGUNAN, (Role.PIMPINAN,), note_required=True, style="danger",
            notify=(Role.OPERATOR,),
        ),
        Transition(
            "return_preliminary", _("Kembalikan butir ke unit"), (Status.PRELIMINARY_REVIEW,),
            Status.RETURNED_PRELIMINARY, (Role.REVIEWER,), conditions=(checks.has_open_returns,),
            style="danger", notify=UNIT,
        ),
        Transition(
            "resubmit_preliminary", _("Kirim ulang ke reviewer pendahuluan"),
            (Status.RETURNED_PRELIMINARY,), Status.PRELIMINARY_REVIEW, (Role.OPERATOR,),
            effects=(effects.resolve_preliminary_returns,), notify=(Role.REVIEWER,),
        ),
        Transition(
            "forward_to_tpi", _("Selesai reviu, teruskan ke TPI"), (Status.PRELIMINARY_REVIEW,),
            Status.TPI_REVIEW, (Role.REVIEWER,),
            conditions=(checks.writer_layer_complete, checks.no_open_returns),
            notify=(Role.TPI, *UNIT),
        ),
        Transition(
            "return_tpi", _("Kembalikan butir ke unit"), (Status.TPI_REVIEW,),
            Status.RETURNED_TPI, (Role.TPI,), conditions=(checks.has_open_returns,),
            style="danger", notify=UNIT,
        ),
        Transition(
            "resubmit_tpi", _("Kirim ulang ke TPI"), (Status.RETURNED_TPI,), Status.TPI_REVIEW,
            (Role.OPERATOR,), effects=(effects.resolve_tpi_returns,), notify=(Role.TPI,),
        ),
        Transition(
            "tpi_pass", _("Putuskan: Lolos"), (Status.TPI_REVIEW,), Status.TPI_PASSED,
            (Role.TPI,), note_required=True,
            conditions=(checks.writer_layer_complete, checks.no_open_returns),
            notify=(*UNIT, Role.REVIEWER, Role.ADMIN),
        ),
        Transition(
            "tpi_fail", _("Putuskan: TMS"), (Status.TPI_REVIEW,), Status.TPI_FAILED, (Role.TPI,),
            note_required=True, style="danger", notify=(*UNIT, Role.REVIEWER, Role.ADMIN),
        ),
        Transition(
            "propose", _("Usulkan ke TPN"), (Status.TPI_PASSED,), Status.PROPOSED, (Role.ADMIN,),
            conditions=(checks.tpi_layer_meets_target, checks.within_quota),
            effects=(effects.keep_proposal_justification,), notify=(Role.TPN, *UNIT),
        ),
        Transition(
            "grant", _("Tetapkan predikat"), (Status.PROPOSED,), Status.GRANTED, (Role.TPN,),
            note_required=True,
            conditions=(checks.writer_layer_complete, checks.sk_given, checks.wbbm_needs_wbk,
                        checks.tpn_layer_meets_target),
            effects=(effects.award_predicate,), notify=(*UNIT, Role.ADMIN),
        ),  # fmt: skip
        Transition(
            "not_grant", _("Tidak ditetapkan"), (Status.PROPOSED,), Status.NOT_GRANTED,
            (Role.TPN,), note_required=True, style="danger", notify=(*UNIT, Role.ADMIN),
        ),
    ]
}  # fmt: skip


def transitions_from(status: str) -> list[Transition]:
    return [t for t in TRANSITIONS.values() if status in t.sources]

"""The five stages as one explicit state machine: every allowed transition in one table.

Each transition names the statuses it starts from, the status it leads to, the roles that may
perform it, whether a note is required, and the conditions that must hold (a function returning
the list of unmet conditions, in words for the user). `assessments.services.assessment_transition`
is the only code that changes an assessment's status.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field

from django.utils.translation import gettext_lazy as _

from assessments import checks
from assessments.models import Status
from units.models import Role


@dataclass(frozen=True)
class Transition:
    name: str
    label: str
    sources: tuple[str, ...]
    target: str
    roles: tuple[str, ...]
    note_required: bool = False
    conditions: tuple[Callable, ...] = field(default=())
    style: str = "primary"  # how the button looks: primary, danger, secondary


TRANSITIONS: dict[str, Transition] = {
    t.name: t
    for t in [
        Transition(
            "confirm_declaration", _("Konfirmasi pencanangan"), (Status.PENCANANGAN,),
            Status.PEMBANGUNAN, (Role.PIMPINAN,), conditions=(checks.declaration_complete,),
        ),
        Transition(
            "submit", _("Kirim penilaian mandiri"), (Status.PEMBANGUNAN,), Status.SUBMITTED,
            (Role.OPERATOR,), conditions=(checks.self_layer_complete,),
        ),
        Transition(
            "approve_submission", _("Setujui dan kirim ke reviewer"), (Status.SUBMITTED,),
            Status.PRELIMINARY_REVIEW, (Role.PIMPINAN,), conditions=(checks.self_layer_complete,),
        ),
        Transition(
            "reject_submission", _("Kembalikan ke operator"), (Status.SUBMITTED,),
            Status.PEMBANGUNAN, (Role.PIMPINAN,), note_required=True, style="danger",
        ),
        Transition(
            "return_preliminary", _("Kembalikan butir ke unit"), (Status.PRELIMINARY_REVIEW,),
            Status.RETURNED_PRELIMINARY, (Role.REVIEWER,), conditions=(checks.has_open_returns,),
            style="danger",
        ),
        Transition(
            "resubmit_preliminary", _("Kirim ulang ke reviewer pendahuluan"),
            (Status.RETURNED_PRELIMINARY,), Status.PRELIMINARY_REVIEW, (Role.OPERATOR,),
        ),
        Transition(
            "forward_to_tpi", _("Selesai reviu, teruskan ke TPI"), (Status.PRELIMINARY_REVIEW,),
            Status.TPI_REVIEW, (Role.REVIEWER,),
            conditions=(checks.writer_layer_complete, checks.no_open_returns),
        ),
        Transition(
            "return_tpi", _("Kembalikan butir ke unit"), (Status.TPI_REVIEW,),
            Status.RETURNED_TPI, (Role.TPI,), conditions=(checks.has_open_returns,),
            style="danger",
        ),
        Transition(
            "resubmit_tpi", _("Kirim ulang ke TPI"), (Status.RETURNED_TPI,), Status.TPI_REVIEW,
            (Role.OPERATOR,),
        ),
        Transition(
            "tpi_pass", _("Putuskan: Lolos"), (Status.TPI_REVIEW,), Status.TPI_PASSED,
            (Role.TPI,), note_required=True,
            conditions=(checks.writer_layer_complete, checks.no_open_returns),
        ),
        Transition(
            "tpi_fail", _("Putuskan: TMS"), (Status.TPI_REVIEW,), Status.TPI_FAILED, (Role.TPI,),
            note_required=True, style="danger",
        ),
        Transition(
            "propose", _("Usulkan ke TPN"), (Status.TPI_PASSED,), Status.PROPOSED, (Role.ADMIN,),
            conditions=(checks.tpi_layer_meets_target, checks.within_quota),
        ),
        Transition(
            "grant", _("Tetapkan predikat"), (Status.PROPOSED,), Status.GRANTED, (Role.TPN,),
            note_required=True,
            conditions=(checks.writer_layer_complete, checks.sk_given, checks.wbbm_needs_wbk,
                        checks.tpn_layer_meets_target),
        ),  # fmt: skip
        Transition(
            "not_grant", _("Tidak ditetapkan"), (Status.PROPOSED,), Status.NOT_GRANTED,
            (Role.TPN,), note_required=True, style="danger",
        ),
    ]
}  # fmt: skip


def transitions_from(status: str) -> list[Transition]:
    return [t for t in TRANSITIONS.values() if status in t.sources]

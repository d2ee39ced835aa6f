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
from assessments.stages.decisions import AppealDecision, SelectionOutcome
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
    done: str = ""  # what the person is told once it happened
    confirm: str = ""  # asked before it happens, for a step that cannot be taken back


TRANSITIONS: dict[str, Transition] = {
    t.name: t
    for t in [
        Transition(
            "confirm_declaration", _("Konfirmasi pencanangan"), (Status.PENCANANGAN,),
            Status.PEMBANGUNAN, (Role.PIMPINAN,), conditions=(checks.declaration_complete,),
            notify=(Role.OPERATOR,),
            done=_("Pencanangan dikonfirmasi; unit dapat mulai mengisi LKE."),
        ),
        Transition(
            "submit", _("Kirim penilaian mandiri"), (Status.PEMBANGUNAN,), Status.SUBMITTED,
            (Role.OPERATOR,), conditions=(checks.self_layer_complete,), notify=(Role.PIMPINAN,),
            done=_("Penilaian mandiri dikirim ke Pimpinan satker untuk disetujui."),
            confirm=_(
                "Kirim penilaian mandiri ke Pimpinan satker? Jawaban tidak dapat diubah sampai "
                "dikembalikan."
            ),
        ),
        Transition(
            "approve_submission", _("Setujui dan kirim ke reviewer"), (Status.SUBMITTED,),
            Status.PRELIMINARY_REVIEW, (Role.PIMPINAN,), conditions=(checks.self_layer_complete,),
            notify=(Role.REVIEWER, Role.OPERATOR),
            done=_("Penilaian mandiri disetujui dan dikirim ke reviewer pendahuluan."),
            confirm=_("Setujui dan kirim penilaian mandiri ke reviewer pendahuluan?"),
        ),
        Transition(
            "reject_submission", _("Kembalikan ke operator"), (Status.SUBMITTED,),
            Status.PEMBANGUNAN, (Role.PIMPINAN,), note_required=True, style="danger",
            notify=(Role.OPERATOR,),
            done=_("Penilaian mandiri dikembalikan ke operator dengan catatan Anda."),
        ),
        Transition(
            "return_preliminary", _("Kembalikan butir ke unit"), (Status.PRELIMINARY_REVIEW,),
            Status.RETURNED_PRELIMINARY, (Role.REVIEWER,), conditions=(checks.has_open_returns,),
            style="danger", notify=UNIT,
            done=_("Butir yang ditandai dikembalikan ke unit untuk diperbaiki."),
        ),
        Transition(
            "resubmit_preliminary", _("Kirim ulang ke reviewer pendahuluan"),
            (Status.RETURNED_PRELIMINARY,), Status.PRELIMINARY_REVIEW, (Role.OPERATOR,),
            effects=(effects.resolve_preliminary_returns,), notify=(Role.REVIEWER,),
            done=_("Perbaikan dikirim ulang ke reviewer pendahuluan."),
        ),
        Transition(
            "forward_to_tpi", _("Selesai reviu, teruskan ke TPI"), (Status.PRELIMINARY_REVIEW,),
            Status.TPI_REVIEW, (Role.REVIEWER,),
            conditions=(checks.writer_layer_complete, checks.no_open_returns),
            notify=(Role.TPI, *UNIT),
            done=_("Reviu selesai; penilaian diteruskan ke TPI."),
            confirm=_("Teruskan penilaian ke TPI? Nilai reviu tidak dapat diubah lagi."),
        ),
        Transition(
            "return_tpi", _("Kembalikan butir ke unit"), (Status.TPI_REVIEW,),
            Status.RETURNED_TPI, (Role.TPI,), conditions=(checks.has_open_returns,),
            style="danger", notify=UNIT,
            done=_("Butir yang ditandai dikembalikan ke unit untuk diperbaiki."),
        ),
        Transition(
            "resubmit_tpi", _("Kirim ulang ke TPI"), (Status.RETURNED_TPI,), Status.TPI_REVIEW,
            (Role.OPERATOR,), effects=(effects.resolve_tpi_returns,), notify=(Role.TPI,),
            done=_("Perbaikan dikirim ulang ke TPI."),
        ),
        Transition(
            "tpi_pass", _("Putuskan: Lolos"), (Status.TPI_REVIEW,), Status.TPI_PASSED,
            (Role.TPI,), note_required=True,
            conditions=(checks.writer_layer_complete, checks.no_open_returns),
            notify=(*UNIT, Role.REVIEWER, Role.ADMIN),
            done=_("Keputusan TPI dicatat: Lolos. Unit dapat diusulkan ke TPN."),
            confirm=_("Putuskan Lolos? Keputusan TPI tidak dapat diubah."),
        ),
        Transition(
            "tpi_fail", _("Putuskan: TMS"), (Status.TPI_REVIEW,), Status.TPI_FAILED, (Role.TPI,),
            note_required=True, style="danger", notify=(*UNIT, Role.REVIEWER, Role.ADMIN),
            done=_("Keputusan TPI dicatat: TMS. Penilaian tahun ini selesai."),
            confirm=_("Putuskan TMS? Penilaian unit tahun ini akan berakhir."),
        ),
        Transition(
            "propose", _("Usulkan ke TPN"), (Status.TPI_PASSED,), Status.PROPOSED, (Role.ADMIN,),
            conditions=(checks.tpi_layer_meets_target, checks.within_quota,
                        checks.not_barred_by_revocation),
            effects=(effects.keep_proposal_justification,), notify=(Role.TPN, *UNIT),
            done=_("Unit diusulkan ke TPN."),
            confirm=_("Usulkan unit ini ke TPN? Usulan tidak dapat ditarik kembali."),
        ),
        # TPN's administrative selection; the admin may record TPN's published list too.
        Transition(
            "select_pass", _("Seleksi: Lulus"), (Status.PROPOSED,), Status.TPN_EVALUATION,
            (Role.TPN, Role.ADMIN), effects=(effects.record_selection(SelectionOutcome.PASSED),),
            notify=(*UNIT, Role.ADMIN),
            done=_("Hasil seleksi administrasi dicatat: Lulus. Unit masuk evaluasi TPN."),
        ),
        Transition(
            "select_pass_notes", _("Seleksi: Lulus dengan catatan"), (Status.PROPOSED,),
            Status.SELECTION_NOTES, (Role.TPN, Role.ADMIN), note_required=True,
            effects=(effects.record_selection(SelectionOutcome.PASSED_WITH_NOTES),),
            notify=(*UNIT, Role.ADMIN), style="secondary",
            done=_(
                "Hasil seleksi dicatat: Lulus dengan catatan. Unit diminta mengunggah surat usulan "
                "perbaikan dan SPTJM."
            ),
        ),
        Transition(
            "select_fail", _("Seleksi: Tidak lulus"), (Status.PROPOSED,), Status.SELECTION_FAILED,
            (Role.TPN, Role.ADMIN), note_required=True, style="danger",
            effects=(effects.record_selection(SelectionOutcome.FAILED),),
            notify=(*UNIT, Role.ADMIN),
            done=_("Hasil seleksi dicatat: Tidak lulus. Penilaian unit tahun ini berakhir."),
            confirm=_("Putuskan unit tidak lulus seleksi administrasi?"),
        ),
        Transition(
            "confirm_selection", _("Terima perbaikan, lanjut evaluasi"),
            (Status.SELECTION_NOTES,), Status.TPN_EVALUATION, (Role.TPN, Role.ADMIN),
            conditions=(checks.selection_documents_sent,),
            effects=(effects.confirm_selection_documents,), notify=(*UNIT, Role.ADMIN),
            done=_("Surat usulan perbaikan dan SPTJM diterima; unit masuk evaluasi TPN."),
        ),
        Transition(
            "grant", _("Tetapkan predikat"), (Status.TPN_EVALUATION,), Status.GRANTED, (Role.TPN,),
            note_required=True,
            conditions=(checks.writer_layer_complete, checks.sk_given, checks.wbbm_needs_wbk,
                        checks.tpn_layer_meets_target),
            effects=(effects.award_predicate,), notify=(*UNIT, Role.ADMIN),
            done=_("Predikat ditetapkan dan dicatat dengan nomor SK-nya."),
            confirm=_(
                "Tetapkan predikat untuk unit ini? Penetapan hanya dapat dibatalkan dengan "
                "pencabutan."
            ),
        ),  # fmt: skip
        Transition(
            "not_grant", _("Tidak ditetapkan"), (Status.TPN_EVALUATION,), Status.NOT_GRANTED,
            (Role.TPN,), note_required=True, style="danger", notify=(*UNIT, Role.ADMIN),
            done=_("Keputusan dicatat: predikat tidak ditetapkan."),
            confirm=_(
                "Putuskan predikat tidak ditetapkan? Unit masih dapat mengajukan satu kali "
                "sanggah pada masa sanggah."
            ),
        ),
        # Sanggah: once, inside the period's window; TPN's decision on it is final.
        Transition(
            "file_appeal", _("Ajukan sanggah"), (Status.NOT_GRANTED, Status.SELECTION_FAILED),
            Status.APPEALED, UNIT, note_required=True,
            conditions=(checks.within_appeal_window, checks.first_appeal),
            effects=(effects.open_appeal,), notify=(Role.TPN, Role.ADMIN),
            done=_("Sanggah diajukan. Data dukungnya dapat ditambahkan sampai TPN memutuskan."),
            confirm=_("Ajukan sanggah? Sanggah hanya dapat diajukan satu kali."),
        ),
        Transition(
            "accept_appeal", _("Terima sanggah"), (Status.APPEALED,), Status.TPN_EVALUATION,
            (Role.TPN,), note_required=True,
            effects=(effects.decide_appeal(AppealDecision.ACCEPTED),),
            notify=(*UNIT, Role.ADMIN),
            done=_("Sanggah diterima; unit kembali ke evaluasi TPN."),
            confirm=_("Terima sanggah? Keputusan ini final."),
        ),
        Transition(
            "reject_appeal", _("Tolak sanggah"), (Status.APPEALED,), Status.APPEAL_REJECTED,
            (Role.TPN,), note_required=True, style="danger",
            effects=(effects.decide_appeal(AppealDecision.REJECTED),),
            notify=(*UNIT, Role.ADMIN),
            done=_("Sanggah ditolak; keputusan ini final."),
            confirm=_("Tolak sanggah? Keputusan ini final."),
        ),
    ]
}  # fmt: skip


def transitions_from(status: str) -> list[Transition]:
    return [t for t in TRANSITIONS.values() if status in t.sources]

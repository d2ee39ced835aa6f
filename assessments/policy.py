"""Who acts in which status: one row per status, read by the queues, the deadline reminders,
the home page's next step, the permissions and the worksheet.

`acting` are the roles the assessment waits for: it is in their queue and they are reminded of
the stage's deadline. `writes` gives the layer each role scores in this status (the operator's is
the unit's own answers); `only_returned_items`: the unit may change only the items a reviewer
returned (assessments.services.answer_save). `unit_documents` whether the unit may change its
evidence and documents (declaration, team, change agents, work plan: the operator uploads, the
operator and the head edit the rest). `unit_reads_tpi`: TPI has decided, so the unit reads
TPI's layer. `unit_uploads`: kinds of evidence the unit's operator may add in this status
although its documents are otherwise locked (TPN's selection asks for a corrected letter and an
SPTJM; a sanggah brings its files). `next_step` is the sentence a role reads on its home page;
`None` is the sentence for everyone else of the unit.
What each role may *do* (the buttons) is workflow.TRANSITIONS; the stage is STAGE_OF.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field

from django.utils.translation import gettext_lazy as _

from assessments.assessment import STAGE_OF, EvidenceKind, Layer, Status
from units.models import Role

UNIT_ROLES = (Role.OPERATOR, Role.PIMPINAN)


@dataclass(frozen=True)
class StatusPolicy:
    status: str
    acting: tuple[str, ...]
    next_step: Mapping[str | None, str]
    writes: Mapping[str, str] = field(default_factory=dict)
    only_returned_items: bool = False
    unit_documents: bool = False
    unit_uploads: tuple[str, ...] = ()
    unit_reads_tpi: bool = False
    tpn_sees: bool = False  # TPN sees only what was proposed to it
    # What someone outside the unit reads while the unit must act (never the unit's own
    # imperative "fill in…" addressed to a reviewer); empty: the default sentence.
    observer: str = ""

    @property
    def stage(self) -> str:
        return STAGE_OF[self.status]

    def next_step_for(self, roles: Iterable[str]) -> str:
        roles = set(roles)
        for role in (*self.acting, *UNIT_ROLES):
            if role in roles and role in self.next_step:
                return str(self.next_step[role])
        if self.observer and roles.isdisjoint(UNIT_ROLES) and roles.isdisjoint(self.acting):
            return str(self.observer)
        return str(self.next_step[None])


POLICY: dict[str, StatusPolicy] = {
    p.status: p
    for p in [
        StatusPolicy(
            Status.PENCANANGAN, (Role.OPERATOR, Role.PIMPINAN), unit_documents=True,
            observer=_("Unit sedang melengkapi pencanangan."),
            next_step={
                None: _(
                    "Lengkapi pencanangan: tanggal, SK Tim Kerja, piagam, pakta integritas, tim ZI "
                    "dan agen perubahan; lalu pimpinan mengonfirmasi."
                ),
                Role.PIMPINAN: _(
                    "Periksa kelengkapan pencanangan yang disiapkan operator, lalu konfirmasi."
                ),
            },
        ),
        StatusPolicy(
            Status.PEMBANGUNAN, (Role.OPERATOR,), writes={Role.OPERATOR: Layer.SELF},
            unit_documents=True, observer=_("Unit sedang mengisi LKE dan data dukungnya."),
            next_step={
                None: _(
                    "Isi seluruh butir LKE beserta data dukungnya dan susun rencana kerja, lalu "
                    "kirim penilaian mandiri."
                ),
                Role.PIMPINAN: _(
                    "Operator sedang mengisi LKE; Anda menyetujuinya setelah dikirim."
                ),
            },
        ),
        StatusPolicy(
            Status.SUBMITTED, (Role.PIMPINAN,),
            next_step={
                None: _("Menunggu persetujuan pimpinan satker."),
                Role.PIMPINAN: _(
                    "Periksa penilaian mandiri, lalu setujui dan kirim ke reviewer, atau "
                    "kembalikan ke operator dengan catatan."
                ),
            },
        ),
        StatusPolicy(
            Status.PRELIMINARY_REVIEW, (Role.REVIEWER,), writes={Role.REVIEWER: Layer.PRELIMINARY},
            next_step={
                None: _("Sedang direviu oleh reviewer pendahuluan (Kanwil/Eselon I)."),
                Role.REVIEWER: _("Nilai setiap butir pada lapisan Anda, lalu teruskan ke TPI atau "
                                 "kembalikan butir ke unit."),
            },
        ),
        StatusPolicy(
            Status.RETURNED_PRELIMINARY, (Role.OPERATOR,), writes={Role.OPERATOR: Layer.SELF},
            only_returned_items=True, unit_documents=True,
            observer=_("Unit sedang memperbaiki butir yang dikembalikan reviewer pendahuluan."),
            next_step={
                None: _("Perbaiki butir yang dikembalikan reviewer pendahuluan, lalu kirim ulang."),
                Role.PIMPINAN: _("Operator memperbaiki butir yang dikembalikan reviewer "
                                 "pendahuluan."),
            },
        ),
        StatusPolicy(
            Status.TPI_REVIEW, (Role.TPI,), writes={Role.TPI: Layer.TPI},
            next_step={
                None: _("Sedang dinilai TPI (Itjen)."),
                Role.TPI: _("Nilai setiap butir pada lapisan TPI, lalu putuskan Lolos atau TMS, "
                            "atau kembalikan butir ke unit."),
            },
        ),
        StatusPolicy(
            Status.RETURNED_TPI, (Role.OPERATOR,), writes={Role.OPERATOR: Layer.SELF},
            only_returned_items=True, unit_documents=True,
            observer=_("Unit sedang memperbaiki butir yang dikembalikan TPI."),
            next_step={
                None: _("Perbaiki butir yang dikembalikan TPI, lalu kirim ulang."),
                Role.PIMPINAN: _("Operator memperbaiki butir yang dikembalikan TPI."),
            },
        ),
        StatusPolicy(
            Status.TPI_PASSED, (Role.ADMIN,), unit_reads_tpi=True,
            next_step={
                None: _("Lolos TPI; menunggu pengusulan ke TPN oleh Biro Ortala."),
                Role.ADMIN: _("Usulkan ke TPN dari halaman Pengusulan periode ini."),
            },
        ),
        StatusPolicy(
            Status.TPI_FAILED, (), unit_reads_tpi=True,
            next_step={
                None: _("Belum memenuhi syarat menurut TPI tahun ini. Pelajari catatan TPI.")
            },
        ),
        StatusPolicy(
            Status.PROPOSED, (Role.TPN,), tpn_sees=True, unit_reads_tpi=True,
            next_step={
                None: _("Diusulkan ke TPN; menunggu seleksi administrasi KemenPAN-RB."),
                Role.TPN: _("Lakukan seleksi administrasi: Lulus, Lulus dengan catatan, atau "
                            "Tidak lulus."),
            },
        ),
        StatusPolicy(
            Status.SELECTION_NOTES, (Role.OPERATOR, Role.TPN), tpn_sees=True, unit_reads_tpi=True,
            unit_uploads=(EvidenceKind.PROPOSAL_LETTER, EvidenceKind.SPTJM),
            observer=_("Unit sedang melengkapi surat usulan perbaikan dan SPTJM untuk TPN."),
            next_step={
                None: _("Lulus seleksi dengan catatan: unggah surat usulan yang diperbaiki dan "
                        "SPTJM pada halaman Seleksi & sanggah."),
                Role.TPN: _("Periksa surat usulan perbaikan dan SPTJM unit, lalu terima "
                            "perbaikan agar unit masuk evaluasi."),
            },
        ),
        StatusPolicy(
            Status.SELECTION_FAILED, (), tpn_sees=True, unit_reads_tpi=True,
            next_step={
                None: _("Tidak lulus seleksi administrasi TPN. Unit dapat mengajukan satu kali "
                        "sanggah selama masa sanggah."),
            },
        ),
        StatusPolicy(
            Status.TPN_EVALUATION, (Role.TPN,), writes={Role.TPN: Layer.TPN}, tpn_sees=True,
            unit_reads_tpi=True,
            next_step={
                None: _("Lulus seleksi administrasi; sedang dievaluasi TPN (KemenPAN-RB)."),
                Role.TPN: _("Nilai lapisan TPN dan catat kunjungan lapangan, lalu tetapkan "
                            "atau tidak tetapkan predikat."),
            },
        ),
        StatusPolicy(
            Status.GRANTED, (), tpn_sees=True, unit_reads_tpi=True,
            next_step={None: _("Predikat telah ditetapkan. Jaga dan tingkatkan capaian.")},
        ),
        StatusPolicy(
            Status.NOT_GRANTED, (), tpn_sees=True, unit_reads_tpi=True,
            next_step={None: _("Predikat belum ditetapkan tahun ini. Pelajari catatan TPN; unit "
                               "dapat mengajukan satu kali sanggah selama masa sanggah.")},
        ),
        StatusPolicy(
            Status.APPEALED, (Role.TPN,), tpn_sees=True, unit_reads_tpi=True,
            unit_uploads=(EvidenceKind.APPEAL,),
            next_step={
                None: _("Sanggah diajukan; menunggu keputusan TPN. Data dukung sanggah masih "
                        "dapat ditambahkan."),
                Role.TPN: _("Putuskan sanggah unit: terima (kembali ke evaluasi) atau tolak "
                            "dengan alasan."),
            },
        ),
        StatusPolicy(
            Status.APPEAL_REJECTED, (), tpn_sees=True, unit_reads_tpi=True,
            next_step={None: _("Sanggah ditolak TPN; keputusan ini final.")},
        ),
    ]
}  # fmt: skip


def statuses_waiting_for(roles: Iterable[str]) -> set[str]:
    """The statuses in which an assessment waits for one of `roles` (their queue)."""
    roles = set(roles)
    return {status for status, p in POLICY.items() if roles.intersection(p.acting)}


def reminded(status: str) -> tuple[str, ...]:
    """Who is reminded of the stage deadline of an assessment in `status`."""
    return POLICY[status].acting


def layer_written(roles: Iterable[str], status: str) -> str | None:
    """The layer one of `roles` writes in `status`, if any."""
    writes = POLICY[status].writes
    return next((writes[role] for role in writes if role in set(roles)), None)


TPN_STATUSES = tuple(status for status, p in POLICY.items() if p.tpn_sees)

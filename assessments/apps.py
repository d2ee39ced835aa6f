from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class AssessmentsConfig(AppConfig):
    default_auto_field = "django.db.models.BigAutoField"
    name = "assessments"

    def ready(self):
        from assessments.workflow import TRANSITIONS
        from core import audit

        for name, transition in TRANSITIONS.items():
            audit.register(f"zi.assessment.{name}", transition.label)
        for code, label in AUDIT_ACTIONS.items():
            audit.register(code, label)
        audit.register_models(
            "assessments.Assessment", "assessments.Evidence", "assessments.ItemReturn",
            "assessments.Declaration", "assessments.WorkPlanItem", "assessments.FieldVisit",
            "assessments.PredicateAward", "assessments.Period", "assessments.ItemComment",
            "assessments.SelectionResult", "assessments.Appeal",
        )  # fmt: skip


# The audit action codes this app records (core.audit.record), besides one per transition.
AUDIT_ACTIONS = {
    "zi.assessment.tpn_released": _("Nilai TPN dibuka untuk unit"),
    "zi.assessment.tpn_closed": _("Nilai TPN ditutup dari unit"),
    "zi.evidence.uploaded": _("Data dukung diunggah"),
    "zi.evidence.linked": _("Tautan data dukung ditambahkan"),
    "zi.item_comment.added": _("Komentar butir ditambahkan"),
    "zi.answers.accepted": _("Reviewer menyetujui nilai lapisan sebelumnya"),
    "zi.lke_workbook.imported": _("Isian LKE diunggah dari workbook (XLSX)"),
    "zi.evidence.attached": _("Berkas data dukung dilampirkan pada butir lain"),
    "zi.evidence.removed": _("Data dukung dihapus"),
    "zi.evidence.infected_on_rescan": _(
        "Data dukung terdeteksi mengandung virus pada pemindaian ulang"
    ),
    "zi.evidence.carried_over": _("Data dukung dibawa dari periode sebelumnya"),
    "zi.evidence.requirement_set": _("Entri kamus eviden data dukung ditetapkan pemeriksa"),
    "zi.evidence.verdict_set": _("Data dukung diperiksa"),
    "zi.item_return.marked": _("Butir ditandai dikembalikan"),
    "zi.item_return.cancelled": _("Tanda butir dikembalikan dibatalkan"),
    "zi.award.granted": _("Predikat ditetapkan"),
    "zi.award.revoked": _("Predikat dicabut"),
    "zi.declaration.saved": _("Pencanangan disimpan"),
    "zi.team.member_added": _("Anggota tim ZI ditambahkan"),
    "zi.team.member_removed": _("Anggota tim ZI dihapus"),
    "zi.change_agent.added": _("Agen perubahan ditambahkan"),
    "zi.change_agent.removed": _("Agen perubahan dihapus"),
    "zi.work_plan.item_saved": _("Kegiatan rencana kerja disimpan"),
    "zi.work_plan.item_removed": _("Kegiatan rencana kerja dihapus"),
    "zi.field_visit.recorded": _("Kunjungan lapangan dicatat"),
    "zi.period.units_opened": _("Periode dibuka untuk unit"),
    "zi.period.appeal_window": _("Masa sanggah diatur"),
    "zi.selection.imported": _("Daftar hasil seleksi TPN diimpor"),
}

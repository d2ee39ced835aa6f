from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _

AUDIT_ACTIONS = {
    "zi.survey_instrument.edited": _("Instrumen survei (draf) diubah"),
    "zi.survey_instrument.published": _("Instrumen survei diterbitkan"),
    "zi.survey_instrument.drafted": _("Versi baru instrumen survei dibuat"),
    "zi.survey.lke_filled": _("Indeks survei diisikan ke LKE"),
    "zi.survey_follow_up.saved": _("Rencana tindak lanjut survei disimpan"),
    "zi.survey.created": _("Survei unit dibuat"),
    "zi.survey.changed": _("Survei unit diubah"),
    "zi.survey.codes_issued": _("Kode sekali pakai survei diterbitkan"),
    "zi.survey.codes_downloaded": _("Kode sekali pakai survei diunduh"),
    "zi.service.added": _("Jenis layanan ditambahkan"),
    "zi.service.renamed": _("Jenis layanan diganti namanya"),
    "zi.service.deactivated": _("Jenis layanan dinonaktifkan"),
    "zi.service.activated": _("Jenis layanan diaktifkan kembali"),
    "zi.service.removed": _("Jenis layanan dihapus"),
}


class SurveysConfig(AppConfig):
    default_auto_field = "django.db.models.BigAutoField"
    name = "surveys"
    verbose_name = _("Survei")

    def ready(self):
        from core import audit

        for code, label in AUDIT_ACTIONS.items():
            audit.register(code, label)
        audit.register_models("surveys.Instrument", "surveys.Survey", "surveys.FollowUp")

        from assessments.worksheet import sources
        from surveys.lke import SurveySource

        sources.register(SurveySource())

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _

AUDIT_ACTIONS = {
    "zi.survey_instrument.edited": _("Instrumen survei (draf) diubah"),
    "zi.survey_instrument.published": _("Instrumen survei diterbitkan"),
    "zi.survey_instrument.drafted": _("Versi baru instrumen survei dibuat"),
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

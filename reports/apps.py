from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ReportsConfig(AppConfig):
    default_auto_field = "django.db.models.BigAutoField"
    name = "reports"

    def ready(self):
        from core import audit

        audit.register("zi.lhe.narrative_saved", _("Ringkasan dan rekomendasi LHE disimpan"))
        audit.register("zi.letterhead.saved", _("Kop surat dokumen diubah"))

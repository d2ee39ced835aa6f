from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _

AUDIT_ACTIONS = {
    "zi.second_factor.enrolled": _("Faktor kedua didaftarkan"),
    "zi.second_factor.disabled": _("Faktor kedua dimatikan"),
    "zi.second_factor.reset": _("Faktor kedua diatur ulang oleh admin"),
    "zi.second_factor.recovery_used": _("Kode pemulihan dipakai"),
    "zi.second_factor.recovery_renewed": _("Kode pemulihan dibuat ulang"),
    "zi.second_factor.locked": _("Faktor kedua dikunci setelah kode salah berulang"),
}


class UnitsConfig(AppConfig):
    default_auto_field = "django.db.models.BigAutoField"
    name = "units"

    def ready(self):
        from django.contrib.auth.signals import user_logged_in

        from core import audit
        from units import second_factor

        for code, label in AUDIT_ACTIONS.items():
            audit.register(code, label)
        user_logged_in.connect(second_factor.on_login, dispatch_uid="zi_second_factor")

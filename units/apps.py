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

    def ready(self) -> None:
        from django.contrib.auth.signals import user_logged_in, user_logged_out

        from core import audit
        from units import oidc, second_factor, sessions
        from units.services import ON_DEACTIVATE

        for code, label in {
            **AUDIT_ACTIONS,
            **sessions.AUDIT_ACTIONS,
            **oidc.AUDIT_ACTIONS,
        }.items():
            audit.register(code, label)
        from units import ldap  # directory sign-in: its audit code

        for code, label in ldap.AUDIT_ACTIONS.items():
            audit.register(code, label)
        # Django's own login and logout hooks: every login path (the form, the admin's,
        # force_login) keeps the session index (units.sessions) and decides where the new
        # session stands with its second factor (units.second_factor).
        user_logged_in.connect(second_factor.on_login, dispatch_uid="zi_second_factor")
        user_logged_in.connect(sessions.on_login, dispatch_uid="units.sessions.login")
        user_logged_out.connect(sessions.on_logout, dispatch_uid="units.sessions.logout")
        if sessions.sessions_end_deactivated not in ON_DEACTIVATE:
            ON_DEACTIVATE.append(sessions.sessions_end_deactivated)

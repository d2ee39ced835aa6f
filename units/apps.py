from django.apps import AppConfig


class UnitsConfig(AppConfig):
    default_auto_field = "django.db.models.BigAutoField"
    name = "units"

    def ready(self) -> None:
        from django.contrib.auth.signals import user_logged_in, user_logged_out

        from core import audit
        from units import sessions
        from units.services import ON_DEACTIVATE

        for code, label in sessions.AUDIT_ACTIONS.items():
            audit.register(code, label)
        # Django's own login and logout hooks: every login path (the form, the admin's,
        # force_login) keeps the session index (units.sessions).
        user_logged_in.connect(sessions.on_login, dispatch_uid="units.sessions.login")
        user_logged_out.connect(sessions.on_logout, dispatch_uid="units.sessions.logout")
        if sessions.sessions_end_deactivated not in ON_DEACTIVATE:
            ON_DEACTIVATE.append(sessions.sessions_end_deactivated)

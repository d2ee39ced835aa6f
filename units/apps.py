from django.apps import AppConfig


class UnitsConfig(AppConfig):
    default_auto_field = "django.db.models.BigAutoField"
    name = "units"

    def ready(self):
        from units import principals
        from units.models import Membership, Unit, User
        from zi_portal import generations

        principals.connect_signals()
        generations.follow(Unit, "units")
        generations.follow(Membership, "units")
        generations.follow(User, "units", except_only=frozenset({"last_login"}))

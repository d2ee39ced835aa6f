from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _

AUDIT_ACTIONS = {
    "zi.api_token.created": _("Token API dibuat"),
    "zi.api_token.revoked": _("Token API dicabut"),
    "zi.service_account.created": _("Akun layanan dibuat"),
    "zi.service_account.changed": _("Akun layanan diubah"),
}


class ApiConfig(AppConfig):
    name = "api"
    verbose_name = _("API")

    def ready(self) -> None:
        from api import schema  # noqa: F401  (registers the authentication schemes)
        from core import audit

        for code, label in AUDIT_ACTIONS.items():
            audit.register(code, label)
        audit.register_models("api.ApiToken", "api.ServiceAccount")

        from api.services import tokens_revoke_all
        from units.services import ON_DEACTIVATE

        if tokens_revoke_all not in ON_DEACTIVATE:
            ON_DEACTIVATE.append(tokens_revoke_all)

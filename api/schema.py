"""How the OpenAPI schema describes the API's authentication (loaded by ApiConfig.ready)."""

from drf_spectacular.authentication import SessionScheme
from drf_spectacular.extensions import OpenApiAuthenticationExtension


class BearerTokenScheme(OpenApiAuthenticationExtension):
    target_class = "api.authentication.BearerTokenAuthentication"
    name = "token"

    def get_security_definition(self, auto_schema):
        return {
            "type": "http",
            "scheme": "bearer",
            "description": "A personal or service-account token: `Authorization: Bearer zi_…`.",
        }


class PortalSessionScheme(SessionScheme):
    target_class = "api.authentication.SessionAuthentication"

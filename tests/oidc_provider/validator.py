import json

from django.conf import settings
from oauth2_provider.oauth2_validators import OAuth2Validator


def person(username: str) -> dict:
    return json.loads(settings.PEOPLE_FILE.read_text())[username]


class ClaimsValidator(OAuth2Validator):
    """The claims of people.json: e-mail, name, the NIP (as SSO Kemenag would send it) and
    `amr`, the methods the person used to authenticate."""

    oidc_claim_scope = {**OAuth2Validator.oidc_claim_scope, "nip": "profile", "amr": "openid"}

    def get_additional_claims(self, request):
        claims = person(request.user.username)["claims"]
        return {key: value for key, value in claims.items() if value is not None}

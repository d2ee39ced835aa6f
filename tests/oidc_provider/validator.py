import json
import time

from django.conf import settings
from oauth2_provider.oauth2_validators import OAuth2Validator


def person(username: str) -> dict:
    return json.loads(settings.PEOPLE_FILE.read_text())[username]


def clock_offset() -> int:
    """Seconds the provider's clock is ahead of (or behind) the real one (clock.json)."""
    try:
        return int(json.loads(settings.CLOCK_FILE.read_text()))
    except FileNotFoundError:
        return 0


class ClaimsValidator(OAuth2Validator):
    """The claims of people.json: e-mail, name, the NIP (as SSO Kemenag would send it) and
    `amr`, the methods the person used to authenticate."""

    oidc_claim_scope = {**OAuth2Validator.oidc_claim_scope, "nip": "profile", "amr": "openid"}

    def get_additional_claims(self, request):
        claims = person(request.user.username)["claims"]
        return {key: value for key, value in claims.items() if value is not None}

    def get_id_token_dictionary(self, token, token_handler, request):
        # `iat` and `exp` as a provider whose clock is off by clock_offset() would write them.
        claims, expiration = super().get_id_token_dictionary(token, token_handler, request)
        offset = clock_offset()
        if offset:
            claims["iat"] = int(time.time()) + offset
            claims["exp"] += offset
        return claims, expiration

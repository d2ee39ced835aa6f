"""The second factor (issue 20): TOTP from an authenticator app, with ten recovery codes.

Devices are django-otp's: a `TOTPDevice` (the app's secret; `last_t` refuses a code already
used, so a code seen over a shoulder cannot be replayed within its window) and a `StaticDevice`
whose `StaticToken`s are the recovery codes (each deleted when used). Who must have one: anyone
holding Admin nasional, TPN or TPI (they decide predicates), when ZI_REQUIRE_SECOND_FACTOR is
on; anyone else may enrol.

Where a session stands is kept in the session itself (`SESSION_STATE`), worked out once at
sign-in, so a page costs no query for it: "verify" (has a device, must give a code), "enrol"
(required, has none) or "ok". `units.middleware.SecondFactorMiddleware` holds the first two
to their page.

SSO seam: the SSO callback (units/views_oidc.py), when ZI_OIDC_TRUST_AMR is on and the ID
token's `amr` says MFA (units.oidc.has_mfa: "mfa", or two methods not both known secrets),
sets `request.session[PROVIDER_FLAG] = True` right after auth.login; such a session counts as
verified and is never sent to enrolment.

Failures: django-otp's own throttling doubles the wait after each wrong code (1, 2, 4... s);
on top, after AXES_FAILURE_LIMIT wrong codes in a row (across both devices) the account's
second factor is locked for AXES_COOLOFF_TIME, like django-axes does for passwords.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from django.conf import settings
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django_otp.plugins.otp_static.models import StaticDevice, StaticToken
from django_otp.plugins.otp_totp.models import TOTPDevice

from core import audit
from core.errors import UnitsError
from units import permissions, sessions
from units.models import Role, UserSession

SESSION_STATE = "zi_second_factor"
PROVIDER_FLAG = "otp_satisfied_by_provider"
VERIFY, ENROL, OK = "verify", "enrol", "ok"
REQUIRED_ROLES = (Role.ADMIN, Role.TPN, Role.TPI)
RECOVERY_CODES = 10
DEVICE_NAME = "default"
_TOTP_CODE = re.compile(r"^\d{6}$")


class SecondFactorError(UnitsError):
    """A code refused, a lockout, or an enrolment that is not allowed."""


def is_required(user) -> bool:
    return settings.ZI_REQUIRE_SECOND_FACTOR and permissions.has_role(user, *REQUIRED_ROLES)


def totp_device(user, *, confirmed: bool = True) -> TOTPDevice | None:
    return TOTPDevice.objects.filter(user=user, confirmed=confirmed).first()


def has_device(user) -> bool:
    return TOTPDevice.objects.filter(user=user, confirmed=True).exists()


def state_for(user) -> str:
    """Where a fresh session of `user` stands (one or two queries, at sign-in only)."""
    if has_device(user):
        return VERIFY
    return ENROL if is_required(user) else OK


def session_state(request) -> str:
    """The session's state; a session begun before this feature gets it on first use."""
    if request.session.get(PROVIDER_FLAG):
        return OK
    state = request.session.get(SESSION_STATE)
    if state is None:
        state = request.session[SESSION_STATE] = state_for(request.user)
    return state


def mark_verified(request) -> None:
    """The session has given its second factor: a new session key, so a key seen before
    (e.g. on a shared PC) does not become a fully signed-in session."""
    old_key = request.session.session_key
    request.session.cycle_key()
    request.session[SESSION_STATE] = OK
    # The index follows the new key now, not at the next request: a role change in between
    # (units.sessions.sessions_end_all) must find and end this session.
    UserSession.objects.filter(session_key=old_key).delete()
    sessions.session_index(request, request.user)


def on_login(sender, request, user, **kwargs) -> None:
    """user_logged_in receiver (units.apps): each sign-in starts from the account's state."""
    if request is not None and hasattr(request, "session"):
        request.session.pop(PROVIDER_FLAG, None)  # only the OIDC backend sets it, after this
        # Likewise the SSO logout's id_token_hint: a sign-in by any other way must not send
        # the provider an ID token of an earlier SSO session (or of someone else).
        request.session.pop("oidc_id_token", None)
        request.session[SESSION_STATE] = state_for(user)


# --- enrolment ---------------------------------------------------------------------------


def enrolment_start(*, user) -> TOTPDevice:
    """The unconfirmed device whose secret the enrolment page shows (the same one on reload)."""
    if has_device(user):
        raise SecondFactorError(_("Faktor kedua sudah terdaftar."))
    device = totp_device(user, confirmed=False)
    if device is None:
        device = TOTPDevice.objects.create(user=user, name=DEVICE_NAME, confirmed=False)
    return device


@transaction.atomic
def enrolment_confirm(*, user, code: str) -> list[str]:
    """Confirm the app with a code it shows; returns the recovery codes, shown once."""
    device = totp_device(user, confirmed=False)
    if device is None or has_device(user):
        raise SecondFactorError(_("Mulailah pendaftaran dari awal."))
    if not device.verify_token(code.strip()):
        raise SecondFactorError(_("Kode tidak cocok. Periksa jam ponsel lalu coba lagi."))
    device.confirmed = True
    device.save(update_fields=["confirmed"])
    codes = recovery_codes_generate(user=user)
    audit.record("zi.second_factor.enrolled", user, by=user)
    return codes


def recovery_codes_generate(*, user) -> list[str]:
    """Ten new recovery codes, replacing any earlier ones."""
    StaticDevice.objects.filter(user=user).delete()
    device = StaticDevice.objects.create(user=user, name=DEVICE_NAME, confirmed=True)
    codes = [StaticToken.random_token() for _ in range(RECOVERY_CODES)]
    StaticToken.objects.bulk_create([StaticToken(device=device, token=c) for c in codes])
    return codes


def recovery_codes_renew(*, user, code: str) -> list[str]:
    """Ten new recovery codes for a person who proves the factor with a current code."""
    verify(user=user, code=code)
    with transaction.atomic():
        codes = recovery_codes_generate(user=user)
        audit.record("zi.second_factor.recovery_renewed", user, by=user)
    return codes


def recovery_codes_left(user) -> int:
    return StaticToken.objects.filter(device__user=user).count()


# --- verification ------------------------------------------------------------------------


@dataclass(frozen=True)
class Verified:
    by_recovery_code: bool
    recovery_codes_left: int


def _devices(user) -> list:
    totp = TOTPDevice.objects.filter(user=user, confirmed=True)
    return [*totp, *StaticDevice.objects.filter(user=user)]


def locked_until(user, devices=None):
    """When the lockout after repeated wrong codes ends, or None when there is none."""
    devices = _devices(user) if devices is None else devices
    failures = sum(d.throttling_failure_count for d in devices)
    failed_at = [d.throttling_failure_timestamp for d in devices]
    last = max((at for at in failed_at if at is not None), default=None)
    if failures >= settings.AXES_FAILURE_LIMIT and last is not None:
        until = last + settings.AXES_COOLOFF_TIME
        if until > timezone.now():
            return until
    return None


def verify(*, user, code: str) -> Verified:
    """Check a code from the app (six digits) or a recovery code; raises SecondFactorError.

    Not atomic on purpose: a wrong code's count must stay recorded."""
    code = code.strip().replace(" ", "").replace("-", "").lower()
    devices = _devices(user)
    if locked_until(user, devices) is not None:
        raise SecondFactorError(_("Terlalu banyak kode salah. Coba lagi dalam 15 menit."))
    if sum(d.throttling_failure_count for d in devices) >= settings.AXES_FAILURE_LIMIT:
        # The cool-off has passed: the count starts again (as django-axes does), otherwise
        # the next wrong code would lock the account at once.
        for device in devices:
            device.throttle_reset()
    kind = TOTPDevice if _TOTP_CODE.match(code) else StaticDevice
    device = next((d for d in devices if isinstance(d, kind)), None)
    if device is None:
        raise SecondFactorError(_("Kode salah."))
    allowed, _why = device.verify_is_allowed()
    if not allowed:
        raise SecondFactorError(_("Tunggu beberapa detik, lalu masukkan kode lagi."))
    if not device.verify_token(code):
        if locked_until(user, devices) is not None:
            audit.record("zi.second_factor.locked", user, by=user)
        raise SecondFactorError(_("Kode salah."))
    for other in devices:
        if other is not device and other.throttling_failure_count:
            other.throttle_reset()
    if kind is StaticDevice:
        left = recovery_codes_left(user)
        audit.record("zi.second_factor.recovery_used", user, by=user, left=left)
        return Verified(by_recovery_code=True, recovery_codes_left=left)
    return Verified(by_recovery_code=False, recovery_codes_left=-1)


# --- disabling and the admin's reset -----------------------------------------------------


def disable(*, user, code: str) -> None:
    """The person turns their second factor off, proving it with a current code."""
    if is_required(user):
        raise SecondFactorError(_("Peran Anda mewajibkan faktor kedua; ia tidak dapat dimatikan."))
    verify(user=user, code=code)
    with transaction.atomic():
        _delete_devices(user)
        audit.record("zi.second_factor.disabled", user, by=user)


def reset(*, person, by) -> int:
    """An admin removes a person's devices (a lost phone): they enrol again at next sign-in.

    It also unbinds the account from its SSO identity (units/oidc.py), so the person's next
    SSO sign-in (e.g. with a new identity at the provider) binds it afresh by NIP or e-mail."""
    if not permissions.can_change_person(by, person):
        raise SecondFactorError(_("Anda tidak dapat mengubah pengguna ini."), forbidden=True)
    with transaction.atomic():
        removed = _delete_devices(person)
        unbound = type(person).objects.filter(pk=person.pk).exclude(sso_subject="")
        sso_unbound = bool(unbound.update(sso_subject=""))
        person.sso_subject = ""
        audit.record(
            "zi.second_factor.reset", person, by=by, devices=removed, sso_unbound=sso_unbound
        )
        # A lost or stolen phone: whoever holds a session verified with it is signed out too.
        sessions.sessions_end_all(user=person, by=by, reason="second_factor_reset")
    return removed


def _delete_devices(user) -> int:
    _total, totp = TOTPDevice.objects.filter(user=user).delete()
    _total, static = StaticDevice.objects.filter(user=user).delete()
    return totp.get(TOTPDevice._meta.label, 0) + static.get(StaticDevice._meta.label, 0)

"""Storing one public survey response: checked, then one INSERT.

Anonymity is the rule here: the row holds the answers, the service, the profile the person
chose to give and the day; never an address, a user agent, a time of day or anything derived
from a one-time code. Duplicates are held off in one of two ways:

- with one-time codes (printed on receipts): the code row is marked used by one conditional
  UPDATE in the same transaction as the insert, so two phones racing with one code cannot
  both succeed, and the response itself keeps nothing that leads back to the code;
- without codes: one response per device per day. `dedupe` is a keyed hash of the survey, the
  device's random cookie and the day; the unique constraint (survey, dedupe) refuses the second
  insert. The hash changes every day and names no one, and without SECRET_KEY it cannot be
  recomputed from a cookie.
"""

from __future__ import annotations

import datetime

from django.db import IntegrityError, transaction
from django.utils.crypto import salted_hmac
from django.utils.formats import date_format
from django.utils.translation import gettext as _

from core.errors import SurveyError
from surveys.models import (
    CODE_ALPHABET,
    CODE_LENGTH,
    PROFILE_CHOICES,
    OneTimeCode,
    Service,
    Survey,
    SurveyResponse,
)

DEDUPE_LENGTH = 32  # hex characters of the keyed hash kept (128 bits)


def normalise_code(raw: str) -> str:
    """A code as typed from a receipt: case, spaces and dashes do not matter."""
    return raw.upper().replace(" ", "").replace("-", "")


def device_dedupe(*, survey: Survey, device_key: str, today: datetime.date) -> str:
    """The day's keyed hash of a device for a survey (HMAC with SECRET_KEY)."""
    value = f"{survey.pk}:{device_key}:{today.isoformat()}"
    digest = salted_hmac("surveys.dedupe", value, algorithm="sha256").hexdigest()
    return digest[:DEDUPE_LENGTH]


def closed_message(survey: Survey) -> str:
    return _("Survei ini tidak sedang dibuka (dibuka %(opens)s sampai %(closes)s).") % {
        "opens": date_format(survey.opens_on, "j F Y"),
        "closes": date_format(survey.closes_on, "j F Y"),
    }


def response_submit(
    *,
    survey: Survey,
    service: Service | None,
    answers: list[int | None],
    profile: dict,
    device_key: str | None,
    code: str | None,
    today: datetime.date,
) -> SurveyResponse:
    """Store one response to `survey` on `today` (timezone.localdate()), or raise SurveyError.
    `answers` holds one value per question of the instrument, in order (None: not answered)."""
    if not survey.is_open_on(today):
        raise SurveyError(closed_message(survey))
    _check_service(survey, service)
    values = _checked_answers(survey, answers)
    fields = _checked_profile(profile)
    response = SurveyResponse(
        survey=survey, service=service, submitted_on=today, **fields, **values
    )
    if survey.uses_codes:
        with transaction.atomic():
            _use_code(survey, code)
            response.save(force_insert=True)
        return response
    if device_key:
        response.dedupe = device_dedupe(survey=survey, device_key=device_key, today=today)
    try:
        with transaction.atomic():
            response.save(force_insert=True)
    except IntegrityError:
        raise SurveyError(_("Anda sudah mengisi survei ini hari ini. Terima kasih!")) from None
    return response


def _check_service(survey: Survey, service: Service | None) -> None:
    if service is None:
        # A unit that lists no service yet still gets its survey answered.
        if Service.objects.filter(unit_id=survey.unit_id, is_active=True).exists():
            raise SurveyError(_("Pilih jenis layanan yang Anda terima."))
        return
    if service.unit_id != survey.unit_id or not service.is_active:
        raise SurveyError(_("Jenis layanan ini tidak tersedia untuk survei ini."))


def _checked_answers(survey: Survey, answers: list[int | None]) -> dict[str, int]:
    questions = list(survey.instrument.questions.all())
    if len(answers) != len(questions):
        raise SurveyError(_("Jumlah jawaban tidak sesuai dengan pertanyaan survei."))
    scale_max = survey.instrument.scale_max
    values = {}
    for question, answer in zip(questions, answers, strict=True):
        if answer is None:
            continue
        if isinstance(answer, bool) or not isinstance(answer, int) or not 1 <= answer <= scale_max:
            raise SurveyError(
                _("Jawaban untuk %(code)s harus 1 sampai %(max)d.")
                % {"code": question.code, "max": scale_max}
            )
        values[question.field] = answer
    if not values:
        raise SurveyError(_("Jawab paling sedikit satu pertanyaan."))
    return values


def _checked_profile(profile: dict) -> dict[str, str]:
    unknown = set(profile) - set(PROFILE_CHOICES)
    if unknown:
        raise SurveyError(_("Data responden tidak dikenal."))
    fields = {}
    for name, choices in PROFILE_CHOICES.items():
        value = profile.get(name) or ""
        if value and value not in choices.values:
            raise SurveyError(_("Pilihan data responden tidak valid."))
        fields[name] = value
    return fields


def _use_code(survey: Survey, raw: str | None) -> None:
    """Mark the code used, or refuse. The conditional UPDATE is the lock: of two requests
    with the same code, exactly one changes the row."""
    code = normalise_code(raw or "")
    if not code:
        raise SurveyError(_("Masukkan kode dari tanda terima layanan Anda."))
    if len(code) != CODE_LENGTH or any(char not in CODE_ALPHABET for char in code):
        raise SurveyError(_("Kode tidak dikenal. Periksa lagi kode pada tanda terima Anda."))
    changed = OneTimeCode.objects.filter(survey=survey, code=code, used=False).update(used=True)
    if changed:
        return
    if OneTimeCode.objects.filter(survey=survey, code=code).exists():
        raise SurveyError(_("Kode ini sudah dipakai."))
    raise SurveyError(_("Kode tidak dikenal. Periksa lagi kode pada tanda terima Anda."))

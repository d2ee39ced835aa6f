"""The public survey, reached from the QR code at a unit's service desk: no login, phone first,
no JavaScript needed (plain radio buttons), small enough for a slow link.

Spam is held off without a third-party CAPTCHA: a honeypot field that people never see (a bot
that fills it is told "thank you" and nothing is stored), a signed time stamp refusing a form
sent back within seconds of being shown, and the rate limits of core/ratelimits.py. Repeats
are held off by surveys.responses (one-time codes, or one response per device per day).
"""

from __future__ import annotations

import re
import secrets
import time
from dataclasses import dataclass, field

from django.conf import settings
from django.contrib.auth.decorators import login_not_required
from django.core import signing
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET, require_http_methods

from areas.numbers import parse_id
from core import ratelimits
from core.errors import SurveyError
from core.ratelimits import rate_limited
from surveys.models import PROFILE_CHOICES, PROFILE_LABELS, Service, Survey
from surveys.responses import closed_message, response_submit
from surveys.selectors import active_services, public_survey

DEVICE_COOKIE = "zi_survey_device"
DEVICE_COOKIE_AGE = 365 * 24 * 60 * 60
DEVICE_KEY = re.compile(r"[A-Za-z0-9_-]{20,64}")
HONEYPOT = "website"  # a name bots like to fill; people never see the field
STAMP = "t"
STAMP_SALT = "surveys.form-rendered"
# Nobody reads nine questions and answers them in under two seconds; a script does.
MIN_SECONDS = 2.0
STAMP_MAX_AGE = 24 * 60 * 60  # a form left open over a day is shown again (a stamp is not kept)


def form_stamp(at: float | None = None) -> str:
    """The signed moment the form was shown (a hidden field)."""
    return signing.dumps(time.time() if at is None else at, salt=STAMP_SALT)


def _seconds_since_shown(value: str) -> float | None:
    try:
        shown_at = float(signing.loads(value, salt=STAMP_SALT, max_age=STAMP_MAX_AGE))
    except (signing.BadSignature, TypeError, ValueError):
        return None
    return time.time() - shown_at


@dataclass
class Entry:
    """What the person entered (or the QR code's address preset), kept to show again."""

    service_id: int | None = None
    answers: list[int | None] = field(default_factory=list)
    profile: dict[str, str] = field(default_factory=dict)
    code: str = ""

    @classmethod
    def preset(cls, query, survey: Survey, services: list[Service]) -> Entry:
        service_id = _int_or_none(query.get("layanan", ""))
        if len(services) == 1:
            service_id = services[0].pk
        return cls(
            service_id=service_id,
            answers=[None] * len(survey.instrument.questions.all()),
            code=query.get("kode", "")[:32],
        )

    @classmethod
    def posted(cls, data, survey: Survey) -> Entry:
        answers = []
        for question in survey.instrument.questions.all():
            raw = data.get(f"q{question.position}", "").strip()
            # Not a number at all (a tampered form): 0, which the service refuses.
            answers.append(None if raw == "" else (_int_or_none(raw) or 0))
        return cls(
            service_id=_int_or_none(data.get("layanan", "")),
            answers=answers,
            profile={name: data.get(name, "").strip()[:16] for name in PROFILE_CHOICES},
            code=data.get("kode", "").strip()[:32],
        )


def _int_or_none(raw: str) -> int | None:
    return parse_id(raw)  # ASCII digits only ("²" is a digit to str.isdigit, not to int)


@login_not_required
@never_cache
@rate_limited("survey", *ratelimits.SURVEY)
@require_http_methods(["GET", "POST"])
def take(request, token: str):
    survey = public_survey(token)
    services = active_services(survey)
    today = timezone.localdate()
    device_key = request.COOKIES.get(DEVICE_COOKIE, "")
    new_device = not DEVICE_KEY.fullmatch(device_key)
    if new_device:
        device_key = secrets.token_urlsafe(24)
    entry, refused = Entry.preset(request.GET, survey, services), ""
    if request.method == "POST":
        if request.POST.get(HONEYPOT):
            return redirect("surveys:thanks", token=survey.token)  # a bot: nothing stored
        entry = Entry.posted(request.POST, survey)
        refused = _submit(request, survey, services, entry, device_key, today)
        if not refused:
            response = redirect("surveys:thanks", token=survey.token)
            return _with_device(response, device_key) if new_device else response
    is_open = survey.is_open_on(today)
    context = {
        "survey": survey,
        "unit": survey.unit,
        "instrument": survey.instrument,
        "is_open": is_open,
        "closed_message": "" if is_open else closed_message(survey),
        "refused": refused,
        "services": [(s.pk, s.name, s.pk == entry.service_id) for s in services],
        "questions": _questions(survey, entry),
        "profile": _profile(entry),
        "code": entry.code,
        "stamp": form_stamp(),
        "honeypot": HONEYPOT,
    }
    response = render(request, "surveys/take.html", context, status=400 if refused else 200)
    return _with_device(response, device_key) if new_device else response


def _submit(
    request, survey: Survey, services: list[Service], entry: Entry, device_key: str, today
) -> str:
    """Store the entry; the refusal to show, or "" when it was stored."""
    elapsed = _seconds_since_shown(request.POST.get(STAMP, ""))
    if elapsed is None or elapsed < MIN_SECONDS:
        return _("Formulir terkirim terlalu cepat. Periksa jawaban Anda lalu kirim lagi.")
    try:
        response_submit(
            survey=survey,
            service=next((s for s in services if s.pk == entry.service_id), None),
            answers=entry.answers,
            profile=entry.profile,
            device_key=device_key,
            code=entry.code,
            today=today,
        )
    except SurveyError as error:
        return str(error)
    return ""


def _questions(survey: Survey, entry: Entry) -> list[dict]:
    """Each question with its levels, worst first as in the instrument, and the one chosen."""
    return [
        {
            "position": q.position,
            "code": q.code,
            "unsur": q.unsur,
            "text": q.text,
            "levels": [
                (value, text, entry.answers[index] == value)
                for value, text in enumerate(q.levels, start=1)
            ],
        }
        for index, q in enumerate(survey.instrument.questions.all())
    ]


def _profile(entry: Entry) -> list[dict]:
    return [
        {
            "name": name,
            "label": PROFILE_LABELS[name],
            "choices": [
                (value, label, entry.profile.get(name) == value) for value, label in choices.choices
            ],
        }
        for name, choices in PROFILE_CHOICES.items()
    ]


def _with_device(response, device_key: str):
    """The device's random key: one response per device per day without storing who it is."""
    response.set_cookie(
        DEVICE_COOKIE,
        device_key,
        max_age=DEVICE_COOKIE_AGE,
        httponly=True,
        samesite="Lax",
        secure=settings.SESSION_COOKIE_SECURE,
    )
    return response


@login_not_required
@rate_limited("survey", *ratelimits.SURVEY)
@require_GET
def thanks(request, token: str):
    survey = public_survey(token)
    return render(request, "surveys/thanks.html", {"survey": survey, "unit": survey.unit})

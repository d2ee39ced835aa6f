"""Running a unit's surveys: creating one (the current instrument of its kind, a window inside
the period's year, an unguessable public token), changing its window or closing it early, the
unit's services (jenis layanan) and batches of one-time codes. Every change is audited in its
own transaction; a refusal is a SurveyError whose message is for the user."""

from __future__ import annotations

import datetime
import secrets

from django.db import transaction
from django.db.models import Max, Min
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _

from assessments.models import Period
from core import audit
from core.errors import SurveyError
from surveys import instruments
from surveys.models import CODE_ALPHABET, CODE_LENGTH, OneTimeCode, Service, Survey
from surveys.permissions import can_manage_surveys
from units.models import Unit

TOKEN_BYTES = 9  # secrets.token_urlsafe(9): 12 URL-safe characters, 72 random bits
MAX_CODES = 5000  # codes in one batch: a busy desk's receipts for some weeks
MAX_CODES_PER_SURVEY = 50_000  # every batch of one survey together


def _require_manager(by, unit: Unit) -> None:
    if not can_manage_surveys(by, unit):
        raise SurveyError(_("Anda tidak berhak mengelola survei unit ini."), forbidden=True)


def _new_token() -> str:
    while True:
        token = secrets.token_urlsafe(TOKEN_BYTES)
        if not Survey.objects.filter(token=token).exists():
            return token


def window_errors(
    *, period: Period, opens_on: datetime.date, closes_on: datetime.date
) -> list[str]:
    """A survey runs inside its period: both dates in the period's year, opening first."""
    errors = []
    if opens_on > closes_on:
        errors.append(_("Tanggal dibuka harus sebelum atau sama dengan tanggal ditutup."))
    if opens_on.year != period.year or closes_on.year != period.year:
        errors.append(
            _("Masa survei harus berada di dalam tahun periode (%(year)s).") % {"year": period.year}
        )
    return errors


def _clean_name(name: str) -> str:
    name = " ".join((name or "").split())
    if not name:
        raise SurveyError(_("Nama survei wajib diisi."))
    return name


def _require_open(period: Period) -> None:
    """A closed period's surveys are history: their results may have filled an LKE."""
    if not period.is_open:
        raise SurveyError(_("Periode %(period)s sudah ditutup.") % {"period": period.name})


def _refuse(errors: list[str]) -> None:
    if errors:
        raise SurveyError(errors[0], errors)


@transaction.atomic
def survey_create(
    *,
    unit: Unit,
    period: Period,
    kind: str,
    name: str,
    opens_on: datetime.date,
    closes_on: datetime.date,
    uses_codes: bool,
    by,
) -> Survey:
    _require_manager(by, unit)
    _require_open(period)
    name = _clean_name(name)
    instrument = instruments.current(kind)
    if instrument is None:
        raise SurveyError(_("Belum ada instrumen terbit untuk jenis survei ini."))
    _refuse(window_errors(period=period, opens_on=opens_on, closes_on=closes_on))
    survey = Survey.objects.create(
        unit=unit,
        period=period,
        instrument=instrument,
        name=name,
        opens_on=opens_on,
        closes_on=closes_on,
        uses_codes=uses_codes,
        token=_new_token(),
        created_by=by,
    )
    audit.record(
        "zi.survey.created",
        survey,
        by=by,
        unit=unit.code,
        period=period.year,
        instrument=str(instrument),
        opens_on=opens_on,
        closes_on=closes_on,
        uses_codes=uses_codes,
    )
    return survey


@transaction.atomic
def survey_update(
    *,
    survey: Survey,
    name: str,
    opens_on: datetime.date,
    closes_on: datetime.date,
    uses_codes: bool,
    by,
) -> Survey:
    """Change the name, the window (e.g. close early) or whether codes are asked for."""
    _require_manager(by, survey.unit)
    _require_open(survey.period)
    name = _clean_name(name)
    _refuse(window_errors(period=survey.period, opens_on=opens_on, closes_on=closes_on))
    survey = Survey.objects.select_for_update().select_related("unit", "period").get(pk=survey.pk)
    answered = survey.responses.aggregate(first=Min("submitted_on"), last=Max("submitted_on"))
    if answered["first"] and (opens_on > answered["first"] or closes_on < answered["last"]):
        raise SurveyError(
            _("Sudah ada jawaban dari %(first)s sampai %(last)s: jendela survei harus mencakupnya.")
            % {"first": date_format(answered["first"]), "last": date_format(answered["last"])}
        )
    new = {"name": name, "opens_on": opens_on, "closes_on": closes_on, "uses_codes": uses_codes}
    changes = {
        field: [getattr(survey, field), value]
        for field, value in new.items()
        if getattr(survey, field) != value
    }
    if not changes:
        return survey
    for field, (_old, value) in changes.items():
        setattr(survey, field, value)
    survey.save(update_fields=list(changes))
    audit.record(
        "zi.survey.changed",
        survey,
        by=by,
        changes={field: [str(old), str(new)] for field, (old, new) in changes.items()},
    )
    return survey


def survey_close(*, survey: Survey, by, today: datetime.date | None = None) -> Survey:
    """Close an open survey early: its last day becomes yesterday (today's responses would
    otherwise still be taken)."""
    today = today or timezone.localdate()
    if not survey.is_open_on(today):
        raise SurveyError(_("Survei ini tidak sedang dibuka."))
    yesterday = today - datetime.timedelta(days=1)
    if survey.opens_on > yesterday:
        raise SurveyError(_("Survei baru dibuka hari ini; ubah tanggalnya bila perlu."))
    return survey_update(
        survey=survey,
        name=survey.name,
        opens_on=survey.opens_on,
        closes_on=yesterday,
        uses_codes=survey.uses_codes,
        by=by,
    )


# --------------------------------------------------------------------------- services


def _clean_service_name(unit: Unit, name: str, *, exclude: int | None = None) -> str:
    name = " ".join((name or "").split())
    if not name:
        raise SurveyError(_("Nama layanan wajib diisi."))
    limit = Service._meta.get_field("name").max_length
    if len(name) > limit:
        raise SurveyError(_("Nama layanan paling panjang %(n)d karakter.") % {"n": limit})
    same = Service.objects.filter(unit=unit, name__iexact=name).exclude(pk=exclude)
    if same.exists():
        raise SurveyError(_("Unit ini sudah memiliki layanan bernama “%(name)s”.") % {"name": name})
    return name


@transaction.atomic
def service_add(*, unit: Unit, name: str, by) -> Service:
    _require_manager(by, unit)
    service = Service.objects.create(unit=unit, name=_clean_service_name(unit, name))
    audit.record("zi.service.added", service, by=by, unit=unit.code, name=service.name)
    return service


@transaction.atomic
def service_rename(*, service: Service, name: str, by) -> Service:
    _require_manager(by, service.unit)
    name = _clean_service_name(service.unit, name, exclude=service.pk)
    if name != service.name:
        old, service.name = service.name, name
        service.save(update_fields=["name"])
        audit.record("zi.service.renamed", service, by=by, changes={"name": [old, name]})
    return service


@transaction.atomic
def service_set_active(*, service: Service, active: bool, by) -> Service:
    """Deactivate a service (it leaves the public form; its responses stay) or bring it back."""
    _require_manager(by, service.unit)
    if service.is_active != active:
        service.is_active = active
        service.save(update_fields=["is_active"])
        action = "zi.service.activated" if active else "zi.service.deactivated"
        audit.record(action, service, by=by, name=service.name)
    return service


@transaction.atomic
def service_remove(*, service: Service, by) -> None:
    """Delete a service nobody has answered about yet; one with responses is deactivated
    instead (the responses keep naming it)."""
    _require_manager(by, service.unit)
    if service.responses.exists():
        raise SurveyError(
            _("Layanan ini sudah memiliki jawaban survei; nonaktifkan saja, jangan dihapus.")
        )
    audit.record("zi.service.removed", service.unit, by=by, name=service.name)
    service.delete()


# --------------------------------------------------------------------------- one-time codes


def _random_code() -> str:
    return "".join(secrets.choice(CODE_ALPHABET) for _ in range(CODE_LENGTH))


@transaction.atomic
def codes_issue(*, survey: Survey, count: int, by) -> int:
    """A new batch of `count` random codes for the survey; returns the batch number.

    The survey's row is locked while the batch is made, so two batches at once neither share
    a number nor a code; a code already in the survey is drawn again (31^8 codes, so a retry
    is rare)."""
    _require_manager(by, survey.unit)
    if not survey.uses_codes:
        raise SurveyError(_("Survei ini tidak memakai kode sekali pakai."))
    if not 1 <= count <= MAX_CODES:
        raise SurveyError(
            _("Jumlah kode antara 1 dan %(max)s dalam satu kelompok.") % {"max": MAX_CODES}
        )
    Survey.objects.select_for_update().filter(pk=survey.pk).first()
    existing = OneTimeCode.objects.filter(survey=survey)
    if existing.count() + count > MAX_CODES_PER_SURVEY:
        raise SurveyError(
            _("Satu survei paling banyak %(max)s kode.") % {"max": MAX_CODES_PER_SURVEY}
        )
    batch = (existing.aggregate(n=Max("batch"))["n"] or 0) + 1
    taken = set(existing.values_list("code", flat=True))
    fresh: set[str] = set()
    while len(fresh) < count:
        code = _random_code()
        if code not in taken:
            fresh.add(code)
    OneTimeCode.objects.bulk_create(
        [OneTimeCode(survey=survey, code=code, batch=batch) for code in sorted(fresh)],
        batch_size=1000,
    )
    audit.record("zi.survey.codes_issued", survey, by=by, batch=batch, count=count)
    return batch

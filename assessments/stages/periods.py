"""Periods: creating a year of the programme and opening it for the units taking part.

Opening a period creates one assessment per chosen unit in a single transaction with bulk
inserts (5,000 units in well under a second; bench/periods.py), so a unit either takes part in
full or not at all.
"""

from __future__ import annotations

import csv
import datetime
import io
from collections.abc import Iterable
from dataclasses import dataclass, field

from django.db import transaction
from django.db.models import Count, Q, QuerySet
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from areas.instrument_db import instrument_for
from areas.models import LkeVersion, VersionStatus
from assessments.assessment import STAGE_OF, Assessment, Stage, Status
from assessments.stages.awards import next_rung, predicates_before
from assessments.stages.models import Period
from core import audit
from core.errors import WorkflowError
from units.models import Unit
from units.permissions import is_admin

# The order the deadlines must follow (the stages of the programme), with their labels.
DEADLINE_FIELDS = (
    ("deadline_pencanangan", gettext_lazy("batas pencanangan")),
    ("deadline_pembangunan", gettext_lazy("batas penilaian mandiri")),
    ("deadline_penilaian", gettext_lazy("batas penilaian internal")),
    ("deadline_pengusulan", gettext_lazy("batas pengusulan ke TPN")),
    ("deadline_evaluasi", gettext_lazy("batas evaluasi TPN")),
)
BATCH = 1000
MAX_CODES_BYTES = 2 * 1024 * 1024


# --------------------------------------------------------------------------- reading


def periods_with_counts() -> QuerySet[Period]:
    """Every period with its number of assessments in total and per status: one query."""
    counts = {
        f"n_{status}": Count("assessments", filter=Q(assessments__status=status))
        for status in Status.values
    }
    return Period.objects.select_related("lke_version").annotate(
        n_total=Count("assessments"), **counts
    )


def status_counts(period: Period) -> list[tuple[str, str, int]]:
    """(status, label, count) of the statuses that occur, from an annotated period."""
    return [
        (status, label, getattr(period, f"n_{status}", 0))
        for status, label in Status.choices
        if getattr(period, f"n_{status}", 0)
    ]


def deadline_order_errors(deadlines: dict[str, datetime.date | None]) -> dict[str, str]:
    """For each deadline that comes before the previous one, the message to show on it."""
    errors: dict[str, str] = {}
    previous_name, previous = None, None
    for name, label in DEADLINE_FIELDS:
        value = deadlines.get(name)
        if value is None:
            continue
        if previous is not None and value < previous:
            errors[name] = _("%(this)s tidak boleh sebelum %(previous)s (%(date)s).") % {
                "this": str(label).capitalize(),
                "previous": dict(DEADLINE_FIELDS)[previous_name],
                "date": previous.strftime("%d-%m-%Y"),
            }
        previous_name, previous = name, value
    return errors


# --------------------------------------------------------------------------- creating


def period_create(
    *,
    year: int,
    name: str,
    lke_version: LkeVersion,
    tpn_quota: int | None,
    by,
    **deadlines: datetime.date,
) -> Period:
    if not is_admin(by):
        raise WorkflowError(_("Hanya Admin nasional yang dapat membuat periode."), forbidden=True)
    if set(deadlines) != {field_name for field_name, _label in DEADLINE_FIELDS}:
        raise WorkflowError(_("Kelima batas waktu wajib diisi."))
    if lke_version.status != VersionStatus.PUBLISHED:
        raise WorkflowError(_("Periode hanya dapat memakai versi LKE yang sudah terbit."))
    problems = list(deadline_order_errors(deadlines).values())
    if problems:
        raise WorkflowError(_("Batas waktu harus berurutan sesuai tahapan."), problems)
    if Period.objects.filter(year=year).exists():
        raise WorkflowError(_("Periode tahun %(year)s sudah ada.") % {"year": year})
    with transaction.atomic():
        return Period.objects.create(
            year=year,
            name=name.strip(),
            lke_version=lke_version,
            tpn_quota=tpn_quota,
            created_by=by,
            **deadlines,
        )


def period_set_appeal_window(
    *, period: Period, appeal_opens: datetime.date, appeal_closes: datetime.date, by
) -> Period:
    """The days inside which a unit may file its one sanggah against TPN's results."""
    if not is_admin(by):
        raise WorkflowError(_("Hanya Admin nasional yang dapat mengatur masa sanggah."),
                            forbidden=True)  # fmt: skip
    if appeal_closes < appeal_opens:
        raise WorkflowError(_("Masa sanggah ditutup setelah dibuka."))
    with transaction.atomic():
        period = Period.objects.select_for_update().get(pk=period.pk)
        period.appeal_opens, period.appeal_closes = appeal_opens, appeal_closes
        period.save(update_fields=["appeal_opens", "appeal_closes", "updated_at"])
        audit.record(
            "zi.period.appeal_window", period, by=by, opens=appeal_opens.isoformat(),
            closes=appeal_closes.isoformat(),
        )  # fmt: skip
    return period


# --------------------------------------------------------------------------- choosing units


def units_selection(
    *, root: Unit | None = None, kinds: Iterable[str] = (), provinces: Iterable[str] = ()
) -> QuerySet[Unit]:
    """Active units of a subtree (the whole tree without `root`), narrowed by kind and province."""
    qs = Unit.objects.active()
    if root is not None:
        qs = qs.filter(path__startswith=root.path)
    if kinds := list(kinds):
        qs = qs.filter(kind__in=kinds)
    if provinces := list(provinces):
        qs = qs.filter(province__in=provinces)
    return qs


@dataclass(frozen=True, slots=True)
class CodeError:
    line: int
    code: str
    message: str


@dataclass
class CodeList:
    """Unit codes read from an uploaded file: the ids found and every line that failed."""

    unit_ids: list[int] = field(default_factory=list)
    codes: list[str] = field(default_factory=list)
    errors: list[CodeError] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return not self.errors


def read_unit_codes(content: bytes) -> list[tuple[int, str]]:
    """(line, code) from a CSV: one code per line, or a table with a `code` column."""
    if len(content) > MAX_CODES_BYTES:
        raise WorkflowError(_("Berkas terlalu besar (maksimal 2 MB)."))
    try:
        text = content.decode("utf-8-sig")
    except UnicodeDecodeError:
        raise WorkflowError(_("Berkas CSV harus berenkoding UTF-8.")) from None
    first_line = text.split("\n", 1)[0]
    delimiter = ";" if first_line.count(";") > first_line.count(",") else ","
    reader = csv.reader(io.StringIO(text), delimiter=delimiter)
    column, out = 0, []
    for record in reader:
        cells = [cell.strip() for cell in record]
        if not any(cells):
            continue
        if not out and column == 0 and "code" in [c.lower() for c in cells]:
            column = [c.lower() for c in cells].index("code")
            continue  # the header row
        out.append((reader.line_num, cells[column] if column < len(cells) else ""))
    return out


def resolve_unit_codes(lines: list[tuple[int, str]]) -> CodeList:
    """Look the codes up (a query per thousand codes); unknown and inactive ones are errors."""
    codes = sorted({code for _line, code in lines if code})
    found: dict[str, tuple[int, bool]] = {}
    for start in range(0, len(codes), BATCH):
        chunk = codes[start : start + BATCH]
        for pk, code, active in Unit.objects.filter(code__in=chunk).values_list(
            "pk", "code", "is_active"
        ):
            found[code] = (pk, active)
    result, seen = CodeList(), set()
    for line, code in lines:
        if not code:
            result.errors.append(CodeError(line, "", _("kode kosong")))
        elif code not in found:
            result.errors.append(CodeError(line, code, _("kode unit tidak dikenal")))
        elif not found[code][1]:
            result.errors.append(CodeError(line, code, _("unit tidak aktif")))
        elif code not in seen:
            seen.add(code)
            result.codes.append(code)
            result.unit_ids.append(found[code][0])
    if not lines:
        result.errors.append(CodeError(0, "", _("berkas tidak berisi kode unit")))
    return result


# --------------------------------------------------------------------------- opening


@dataclass(frozen=True, slots=True)
class OpeningPreview:
    chosen: int
    already: int

    @property
    def new(self) -> int:
        return self.chosen - self.already


def _unit_ids(units_queryset_or_ids) -> list[int]:
    if isinstance(units_queryset_or_ids, QuerySet):
        return list(units_queryset_or_ids.filter(is_active=True).values_list("pk", flat=True))
    ids = list(dict.fromkeys(int(pk) for pk in units_queryset_or_ids))
    active: list[int] = []
    for start in range(0, len(ids), BATCH):
        chunk = ids[start : start + BATCH]
        active += Unit.objects.filter(pk__in=chunk, is_active=True).values_list("pk", flat=True)
    return active


def period_opening_preview(*, period: Period, units_queryset_or_ids) -> OpeningPreview:
    ids = _unit_ids(units_queryset_or_ids)
    existing = set(period.assessments.values_list("unit_id", flat=True))
    return OpeningPreview(chosen=len(ids), already=len(existing.intersection(ids)))


def units_sample(units_queryset_or_ids, size: int = 10) -> list[Unit]:
    """The first few chosen units, to show in the preview."""
    qs = Unit.objects.active().select_related("parent").order_by("path")
    if isinstance(units_queryset_or_ids, QuerySet):
        return list(units_queryset_or_ids.select_related("parent").order_by("path")[:size])
    return list(qs.filter(pk__in=list(units_queryset_or_ids)[:size]))


def period_open_for_units(*, period: Period, units_queryset_or_ids, by) -> int:
    """Create an assessment (in Pencanangan) for each chosen active unit that has none in this
    period yet; returns how many were created. Running it twice creates nothing new."""
    if not is_admin(by):
        raise WorkflowError(_("Hanya Admin nasional yang dapat membuka periode."), forbidden=True)
    if not period.is_open:
        raise WorkflowError(_("Periode ini sudah ditutup."))
    with transaction.atomic():
        # Lock the period so that two admins opening it at once cannot both insert a unit.
        Period.objects.select_for_update().filter(pk=period.pk).first()
        existing = set(period.assessments.values_list("unit_id", flat=True))
        ids = [pk for pk in _unit_ids(units_queryset_or_ids) if pk not in existing]
        ladder = instrument_for(period.lke_version).predicates
        held = predicates_before(ids, period.year, ladder)
        Assessment.objects.bulk_create(
            [
                Assessment(
                    period=period,
                    unit_id=pk,
                    target_predicate=next_rung(held.get(pk), ladder),
                    status=Status.PENCANANGAN,
                )
                for pk in ids
            ],
            batch_size=BATCH,
        )
        if ids:
            audit.record("zi.period.units_opened", period, by=by, assessments_opened=len(ids))
    return len(ids)


def stage_counts(period: Period) -> list[tuple[str, int]]:
    """(stage label, count) in the order of the stages, from a period of periods_with_counts."""
    per_stage = dict.fromkeys(Stage.values, 0)
    for status in Status.values:
        per_stage[STAGE_OF[status]] += getattr(period, f"n_{status}", 0)
    return [(Stage(stage).label, n) for stage, n in per_stage.items()]


def current_period() -> Period | None:
    return Period.objects.filter(is_open=True).select_related("lke_version").first()

"""National readiness report (laporan kesiapan): every assessment of a period with its self and
TPI scores from the one scoring engine, rendered as XLSX, CSV or PDF.

Pure functions, called by the report job (`reports.kinds`) and the `render_report` command. At
national scale (5,000 assessments × 113 items × 2 layers ≈ 1.1M answers) the answers are read
in ONE streamed query as plain tuples and grouped per assessment, and `areas.scoring.score` is
called directly: `assessments.scores.layer_results` does the same with model instances, which
would cost a million objects. Numbers keep full precision until they are written, rounded with
the engine's `display`.
"""

from __future__ import annotations

import csv
import io
import itertools
import re
import textwrap
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from decimal import Decimal
from operator import itemgetter
from pathlib import Path

from django.db.models import Q
from django.template.loader import render_to_string
from django.utils import formats, timezone
from django.utils.text import slugify
from django.utils.translation import gettext as _

from areas import scoring
from areas.instrument_db import instrument_for
from areas.labels import format_score
from areas.models import Question
from assessments.assessment import STAGE_OF
from assessments.models import Answer, Assessment, Layer, Period, Stage, Status
from assessments.stages.awards import predicates_before
from core.cells import spreadsheet_row, spreadsheet_text
from units.models import Unit, UnitKind

LAYERS = (Layer.SELF, Layer.TPI)
GROUP_KINDS = (UnitKind.ESELON1, UnitKind.KANWIL)
STAGE_ORDER = list(Stage)
BIN_EDGES = (0, 20, 40, 60, 80, 100)  # area percent histogram bins
CONTENT_TYPES = {
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    "csv": "text/csv; charset=utf-8",
    "pdf": "application/pdf",
}
TEMPLATE = "reports/readiness.html"
DASH = "–"


# --------------------------------------------------------------------------- filters and rows


@dataclass(frozen=True)
class ReadinessFilters:
    period: Period
    province: str = ""
    kind: str = ""  # a units.models.UnitKind value, or "" for every kind
    stage: str = ""  # an assessments.models.Stage value, or "" for every stage

    def __post_init__(self) -> None:
        if self.kind and self.kind not in UnitKind.values:
            raise ValueError(_("Jenis unit tidak dikenal: %(kind)s.") % {"kind": self.kind})
        if self.stage and self.stage not in Stage.values:
            raise ValueError(_("Tahap tidak dikenal: %(stage)s.") % {"stage": self.stage})

    def q(self, prefix: str = "") -> Q:
        """The assessments these filters select; `prefix` reaches them from another model."""
        condition = Q(**{f"{prefix}period": self.period})
        if self.province:
            condition &= Q(**{f"{prefix}unit__province": self.province})
        if self.kind:
            condition &= Q(**{f"{prefix}unit__kind": self.kind})
        if self.stage:
            statuses = [status for status, stage in STAGE_OF.items() if stage == self.stage]
            condition &= Q(**{f"{prefix}status__in": statuses})
        return condition

    def describe(self) -> list[tuple[str, str]]:
        everything = _("Semua")
        return [
            (_("Periode"), str(self.period)),
            (_("Provinsi"), self.province or everything),
            (_("Jenis unit"), str(UnitKind(self.kind).label) if self.kind else everything),
            (_("Tahap"), str(Stage(self.stage).label) if self.stage else everything),
        ]


@dataclass(slots=True)
class Row:
    assessment_id: int
    unit_code: str
    unit_name: str
    kind: str
    kind_label: str
    province: str
    group_code: str  # "" for the Pusat group
    group_name: str
    group_order: int
    stage: str
    stage_label: str
    status: str
    status_label: str
    target_predicate: str
    self_total: Decimal | None  # None: the layer has no answers
    tpi_total: Decimal | None
    self_answered: int
    item_count: int
    basis: str | None  # layer of eligibility and area percents: "tpi", "self", None (no answers)
    wbk_eligible: bool | None
    wbbm_eligible: bool | None
    area_percents: tuple[Decimal, ...]  # empty when basis is None
    rank: int | None = None  # dense national rank by best_total; None when unscored
    path: str = ""

    @property
    def best_total(self) -> Decimal | None:
        return self.tpi_total if self.tpi_total is not None else self.self_total

    @property
    def self_progress(self) -> float:
        return self.self_answered / self.item_count if self.item_count else 0.0


@dataclass(frozen=True, slots=True)
class _LayerSummary:
    """What a row keeps of one layer's ScoreResult (the full result is dropped at once)."""

    total: Decimal
    answered: int
    eligible: dict[str, bool]
    area_percents: tuple[Decimal, ...]


def readiness_rows(filters: ReadinessFilters) -> list[Row]:
    """Every assessment selected by `filters`, ranked, in a fixed number of queries."""
    instrument = instrument_for(filters.period.lke_version)
    assessments = list(
        Assessment.objects.filter(filters.q())
        .order_by("unit__path")
        .values_list(
            "id", "unit_id", "status", "target_predicate", "unit__code", "unit__name",
            "unit__kind", "unit__province", "unit__path",
        )
    )  # fmt: skip
    if not assessments:
        return []
    priors = predicates_before(
        {unit_id for _pk, unit_id, *_rest in assessments},
        filters.period.year,
        instrument.predicates,
    )
    selected = {pk: priors.get(unit_id) for pk, unit_id, *_rest in assessments}
    summaries, national = _score_answers(filters, instrument, selected)
    groups = _groups()
    rows = [_row(a, summaries.get(a[0], {}), groups, instrument.item_count) for a in assessments]
    _rank(rows, national)
    rows.sort(key=lambda r: (r.rank is None, r.rank or 0, r.path))
    return rows


def _score_answers(
    filters: ReadinessFilters, instrument: scoring.Instrument, selected: dict[int, str | None]
) -> tuple[dict[int, dict[str, _LayerSummary]], set[float]]:
    """One streamed query over the period's self and TPI answers, grouped per assessment
    without model instances. Returns the layer summaries of the `selected` assessments (id ->
    prior predicate) and the displayed best totals of the whole period: the rank is national
    whatever the filters."""
    codes = dict(
        Question.objects.filter(version_id=filters.period.lke_version_id).values_list("id", "code")
    )
    hasil_codes = {h.code for h in instrument.hasil}
    stream = (
        Answer.objects.filter(assessment__period=filters.period, layer__in=LAYERS)
        .values_list("assessment_id", "layer", "question_id", "value")
        .order_by("assessment_id")
        .iterator(chunk_size=20000)
    )
    out: dict[int, dict[str, _LayerSummary]] = {}
    national: set[float] = set()
    for assessment_id, answers in itertools.groupby(stream, key=itemgetter(0)):
        values: dict[str, tuple[dict, dict]] = {layer: ({}, {}) for layer in LAYERS}
        for _pk, layer, question_id, value in answers:
            if value is not None:
                code = codes[question_id]
                values[layer][code in hasil_codes][code] = value
        prior = selected.get(assessment_id)
        layers = {
            layer: _summary(scoring.score(instrument, *values[layer], prior_predicate=prior))
            for layer in LAYERS
            if values[layer][0] or values[layer][1]
        }
        best = layers.get(Layer.TPI) or layers.get(Layer.SELF)
        if best is not None:
            national.add(scoring.display(best.total))
        if assessment_id in selected:
            out[assessment_id] = layers
    return out, national


def _summary(result: scoring.ScoreResult) -> _LayerSummary:
    return _LayerSummary(
        total=result.total,
        answered=result.answered,
        eligible={name: p.eligible for name, p in result.predicates.items()},
        area_percents=tuple(area.percent for area in result.areas),
    )


def _groups() -> dict[int, tuple[str, str, int]]:
    """Every Kanwil and Eselon I unit: id -> (code, name, order). Fetching them all is one
    small query (a few dozen rows) and needs no list of ancestor ids."""
    units = Unit.objects.filter(kind__in=GROUP_KINDS).values_list("id", "code", "name", "kind")
    ordered = sorted(units, key=lambda u: (GROUP_KINDS.index(u[3]), u[1]))
    return {pk: (code, name, order) for order, (pk, code, name, _k) in enumerate(ordered, 1)}


def _group_of(path: str, groups: dict[int, tuple[str, str, int]]) -> tuple[str, str, int]:
    """The shallowest Kanwil/Eselon I on the unit's path (itself included), else Pusat."""
    for part in path.strip("/").split("/"):
        if part and int(part) in groups:
            return groups[int(part)]
    return "", _("Pusat"), 0


def _row(assessment: tuple, layers: dict[str, _LayerSummary], groups, item_count: int) -> Row:
    pk, _unit, status, target, code, name, kind, province, path = assessment
    own, tpi = layers.get(Layer.SELF), layers.get(Layer.TPI)
    basis = Layer.TPI if tpi else (Layer.SELF if own else None)
    chosen = layers.get(basis) if basis else None
    group_code, group_name, group_order = _group_of(path, groups)
    stage = STAGE_OF[status]
    return Row(
        assessment_id=pk,
        unit_code=code,
        unit_name=name,
        kind=kind,
        kind_label=str(UnitKind(kind).label),
        province=province,
        group_code=group_code,
        group_name=group_name,
        group_order=group_order,
        stage=str(stage),
        stage_label=str(stage.label),
        status=status,
        status_label=str(Status(status).label),
        target_predicate=target,
        self_total=own.total if own else None,
        tpi_total=tpi.total if tpi else None,
        self_answered=own.answered if own else 0,
        item_count=item_count,
        basis=str(basis) if basis else None,
        wbk_eligible=chosen.eligible.get("WBK") if chosen else None,
        wbbm_eligible=chosen.eligible.get("WBBM") if chosen else None,
        area_percents=chosen.area_percents if chosen else (),
        path=path,
    )


def _rank(rows: list[Row], national: set[float]) -> None:
    """Dense ranking, descending, among the displayed (2-decimal) best totals of the whole
    period: units that show the same score share a rank."""
    positions = {value: n for n, value in enumerate(sorted(national, reverse=True), 1)}
    for r in rows:
        best = r.best_total
        r.rank = None if best is None else positions[scoring.display(best)]


def areas_of(filters: ReadinessFilters) -> tuple[scoring.AreaSpec, ...]:
    return instrument_for(filters.period.lke_version).areas


def num(value: Decimal | None) -> float | None:
    """A score as written to a file: the engine's 2-decimal display value."""
    return None if value is None else float(scoring.display(value))


def yes_no(value: bool | None) -> str:
    return "" if value is None else (_("Ya") if value else _("Tidak"))


def basis_label(basis: str | None) -> str:
    return {Layer.SELF: _("Mandiri"), Layer.TPI: _("TPI")}.get(basis, "")


# --------------------------------------------------------------------------- summary


@dataclass(frozen=True)
class Summary:
    count: int
    stages: list[tuple[str, int, int]]  # label, units in the stage, units that reached it
    eligibility: list[tuple[str, int, int]]  # predicate, eligible at TPI, eligible at self only
    unscored: int
    groups: list[tuple[str, int, list[int], int, int, float | None]]  # name, n, per stage, …
    area_bins: list[tuple[int, str, list[int]]]  # area number, name, count per bin


def readiness_summary(rows: Sequence[Row], areas: Sequence[scoring.AreaSpec]) -> Summary:
    per_stage = dict.fromkeys(STAGE_ORDER, 0)
    for r in rows:
        per_stage[Stage(r.stage)] += 1
    counts = list(per_stage.values())
    stages = [(str(stage.label), counts[i], sum(counts[i:])) for i, stage in enumerate(STAGE_ORDER)]
    eligibility = [
        (
            predicate,
            sum(1 for r in rows if r.basis == Layer.TPI and getattr(r, attr)),
            sum(1 for r in rows if r.basis == Layer.SELF and getattr(r, attr)),
        )
        for predicate, attr in (("WBK", "wbk_eligible"), ("WBBM", "wbbm_eligible"))
    ]
    bins = [[0] * (len(BIN_EDGES) - 1) for _area in areas]
    for r in rows:
        for i, percent in enumerate(r.area_percents[: len(areas)]):
            bins[i][min(int(percent // 20), len(BIN_EDGES) - 2)] += 1
    return Summary(
        count=len(rows),
        stages=stages,
        eligibility=eligibility,
        unscored=sum(1 for r in rows if r.basis is None),
        groups=_group_summaries(rows),
        area_bins=[(a.number, a.name, bins[i]) for i, a in enumerate(areas)],
    )


def _group_summaries(rows: Sequence[Row]) -> list:
    out = []
    for (_order, name), members in grouped(rows):
        stages = [sum(1 for r in members if r.stage == stage) for stage in STAGE_ORDER]
        totals = [r.best_total for r in members if r.best_total is not None]
        mean = num(sum(totals, Decimal(0)) / len(totals)) if totals else None
        wbk = sum(1 for r in members if r.wbk_eligible)
        wbbm = sum(1 for r in members if r.wbbm_eligible)
        out.append((name, len(members), stages, wbk, wbbm, mean))
    return out


def grouped(rows: Sequence[Row]) -> list[tuple[tuple[int, str], list[Row]]]:
    """Rows per Kanwil/Eselon I group, Pusat first, each in the rows' (rank) order."""
    out: dict[tuple[int, str], list[Row]] = {}
    for r in rows:
        out.setdefault((r.group_order, r.group_name), []).append(r)
    return sorted(out.items(), key=lambda item: item[0][0])


# --------------------------------------------------------------------------- tabular columns


@dataclass(frozen=True)
class Column:
    header: Callable[[], str]
    width: int
    number_format: str | None
    value: Callable[[Row], object]


def columns(areas: Sequence[scoring.AreaSpec]) -> list[Column]:
    """The columns of the detail sheets and of the CSV, in order."""
    base = [
        Column(lambda: _("Peringkat"), 10, "0", lambda r: r.rank),
        Column(lambda: _("Kode"), 14, None, lambda r: r.unit_code),
        Column(lambda: _("Nama unit"), 44, None, lambda r: r.unit_name),
        Column(lambda: _("Jenis"), 14, None, lambda r: r.kind_label),
        Column(lambda: _("Provinsi"), 20, None, lambda r: r.province),
        Column(lambda: _("Kanwil/Eselon I"), 40, None, lambda r: r.group_name),
        Column(lambda: _("Tahap"), 24, None, lambda r: r.stage_label),
        Column(lambda: _("Status"), 28, None, lambda r: r.status_label),
        Column(lambda: _("Target predikat"), 10, None, lambda r: r.target_predicate),
        Column(lambda: _("Nilai mandiri"), 11, "0.00", lambda r: num(r.self_total)),
        Column(lambda: _("Nilai TPI"), 11, "0.00", lambda r: num(r.tpi_total)),
        Column(lambda: _("Butir terjawab (mandiri)"), 11, "0", lambda r: r.self_answered),
        Column(lambda: _("Progres mandiri"), 11, "0%", lambda r: round(r.self_progress, 4)),
        Column(lambda: _("Dasar kelayakan"), 11, None, lambda r: basis_label(r.basis)),
        Column(lambda: _("Memenuhi WBK"), 10, None, lambda r: yes_no(r.wbk_eligible)),
        Column(lambda: _("Memenuhi WBBM"), 10, None, lambda r: yes_no(r.wbbm_eligible)),
    ]
    return base + [_area_column(i, area) for i, area in enumerate(areas)]


def _area_column(index: int, area: scoring.AreaSpec) -> Column:
    def value(r: Row) -> float | None:
        return num(r.area_percents[index]) if index < len(r.area_percents) else None

    return Column(lambda: _("Area %(n)s (%%)") % {"n": area.number}, 10, "0.00", value)


# --------------------------------------------------------------------------- XLSX


SHEET_FORBIDDEN = re.compile(r"[\[\]:*?/\\]")
# Customary short forms, so that most group names fit Excel's 31 characters.
SHEET_ABBREVIATIONS = (
    ("Kantor Wilayah Kementerian Agama Provinsi ", "Kanwil "),
    ("Kantor Wilayah Kementerian Agama ", "Kanwil "),
    ("Direktorat Jenderal ", "Ditjen "),
    ("Bimbingan Masyarakat ", "Bimas "),
    ("Sekretariat Jenderal", "Setjen"),
    ("Inspektorat Jenderal", "Itjen"),
)


def sheet_names(names: Iterable[str], taken: Iterable[str] = ()) -> list[str]:
    """Valid, unique (case-insensitively, as Excel compares) sheet names of ≤ 31 characters."""
    used = {name.casefold() for name in taken} | {"history"}  # "History" is reserved by Excel
    out = []
    for name in names:
        for long, short in SHEET_ABBREVIATIONS:
            name = name.replace(long, short)
        base = SHEET_FORBIDDEN.sub(" ", name).strip().strip("'").strip() or _("Kelompok")
        candidate, n = base[:31].rstrip(), 2
        while candidate.casefold() in used:
            suffix = f" ({n})"
            candidate, n = base[: 31 - len(suffix)].rstrip() + suffix, n + 1
        used.add(candidate.casefold())
        out.append(candidate)
    return out


def render_xlsx(rows: Sequence[Row], filters: ReadinessFilters) -> bytes:
    from openpyxl import Workbook

    areas = areas_of(filters)
    workbook = Workbook(write_only=True)  # rows streamed to the file: flat memory at 5,000 rows
    summary_title, all_title = _("Ringkasan"), _("Semua unit")
    _write_summary(workbook.create_sheet(summary_title), readiness_summary(rows, areas), filters)
    cols = columns(areas)
    _write_detail(workbook.create_sheet(all_title), rows, cols)
    groups = grouped(rows)
    names = sheet_names([name for (_order, name), _m in groups], taken=[summary_title, all_title])
    for title, (_key, members) in zip(names, groups, strict=True):
        _write_detail(workbook.create_sheet(title), members, cols)
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def _write_detail(sheet, rows: Sequence[Row], cols: list[Column]) -> None:
    from openpyxl.cell import WriteOnlyCell
    from openpyxl.styles import Alignment, Font
    from openpyxl.utils import get_column_letter
    from openpyxl.worksheet.filters import AutoFilter

    # Write-only sheets take their layout before the first row is written.
    for i, col in enumerate(cols, 1):
        sheet.column_dimensions[get_column_letter(i)].width = col.width
    sheet.freeze_panes = "A2"
    sheet.auto_filter = AutoFilter(ref=f"A1:{get_column_letter(len(cols))}{len(rows) + 1}")
    bold, wrap = Font(bold=True), Alignment(wrap_text=True, vertical="top")
    header = []
    for col in cols:
        cell = WriteOnlyCell(sheet, value=spreadsheet_text(col.header()))
        cell.font, cell.alignment = bold, wrap
        header.append(cell)
    sheet.append(header)
    formatted = [(i, col.number_format) for i, col in enumerate(cols) if col.number_format]
    for r in rows:
        values = spreadsheet_row(col.value(r) for col in cols)  # names typed by people
        for i, number_format in formatted:
            if values[i] is not None:
                cell = WriteOnlyCell(sheet, value=values[i])
                cell.number_format = number_format
                values[i] = cell
        sheet.append(values)


def _write_summary(sheet, summary: Summary, filters: ReadinessFilters) -> None:
    from openpyxl.cell import WriteOnlyCell
    from openpyxl.styles import Font

    bold = Font(bold=True)

    def strong(*values) -> list:
        cells = []
        for value in values:
            cell = WriteOnlyCell(sheet, value=spreadsheet_text(value))
            cell.font = bold
            cells.append(cell)
        return cells

    for letter, width in zip("ABCDEFGHIJ", (44, 14, 16, 14, 14, 14, 14, 14, 14, 14), strict=True):
        sheet.column_dimensions[letter].width = width
    sheet.append(strong(_("Laporan kesiapan nasional Zona Integritas")))
    for label, value in filters.describe():  # the province filter is typed by the user
        sheet.append(spreadsheet_row([label, value]))
    generated = formats.date_format(timezone.localtime(), "DATETIME_FORMAT")
    sheet.append(spreadsheet_row([_("Dibuat"), generated]))
    sheet.append(spreadsheet_row([_("Jumlah unit"), summary.count]))
    sheet.append([])
    sheet.append(strong(_("Tahap"), _("Jumlah unit"), _("Mencapai tahap ini")))
    for label, count, reached in summary.stages:
        sheet.append(spreadsheet_row([label, count, reached]))
    sheet.append([])
    sheet.append(
        strong(_("Kelayakan predikat"), _("Memenuhi (nilai TPI)"), _("Memenuhi (nilai mandiri)"))
    )
    for predicate, at_tpi, at_self in summary.eligibility:
        sheet.append(spreadsheet_row([predicate, at_tpi, at_self]))
    sheet.append(spreadsheet_row([_("Belum ada nilai"), summary.unscored]))
    sheet.append([])
    stage_labels = [label for label, _n, _r in summary.stages]
    sheet.append(
        strong(
            _("Kanwil/Eselon I"), _("Jumlah unit"), *stage_labels,
            _("Memenuhi WBK"), _("Memenuhi WBBM"), _("Rata-rata nilai"),
        )
    )  # fmt: skip
    for name, count, stages, wbk, wbbm, mean in summary.groups:
        mean_cell = WriteOnlyCell(sheet, value=mean)
        mean_cell.number_format = "0.00"
        sheet.append(spreadsheet_row([name, count, *stages, wbk, wbbm, mean_cell]))


# --------------------------------------------------------------------------- CSV


def render_csv(rows: Sequence[Row], filters: ReadinessFilters) -> bytes:
    """UTF-8 with a BOM so that Excel reads the accents; numbers with a decimal point."""
    cols = columns(areas_of(filters))
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\r\n")
    writer.writerow(spreadsheet_row(col.header() for col in cols))
    for r in rows:
        writer.writerow([_csv_value(col, col.value(r)) for col in cols])
    return buffer.getvalue().encode("utf-8-sig")


def _csv_value(col: Column, value: object) -> object:
    if value is None:
        return ""
    if col.number_format == "0.00":
        return f"{value:.2f}"
    if col.number_format == "0%":
        return f"{value:.4f}"
    return spreadsheet_text(value)  # after the numbers: a formatted "-1.00" stays a number


# --------------------------------------------------------------------------- PDF


# Chart geometry in SVG user units (1 unit = 1 px = 0.75 pt).
FUNNEL_WIDTH, FUNNEL_LABEL, FUNNEL_BAR, FUNNEL_ROW = 520, 170, 300, 22
HIST_WIDTH, HIST_HEIGHT, HIST_BAR, HIST_TOP, HIST_BOTTOM = 150, 110, 24, 14, 18


def render_pdf(rows: Sequence[Row], filters: ReadinessFilters) -> bytes:
    from weasyprint import HTML, URLFetcher  # heavy import (Pango): only where a PDF is made

    html = render_to_string(TEMPLATE, pdf_context(rows, filters))
    # Everything is inline; no text from the data may make the renderer reach the network.
    return HTML(string=html, url_fetcher=URLFetcher(allowed_protocols={"data"})).write_pdf()


def pdf_context(rows: Sequence[Row], filters: ReadinessFilters) -> dict:
    areas = areas_of(filters)
    summary = readiness_summary(rows, areas)
    return {
        "filters": filters.describe(),
        "generated_at": formats.date_format(timezone.localtime(), "DATETIME_FORMAT"),
        "summary": summary,
        "funnel": _funnel(summary),
        "funnel_height": FUNNEL_ROW * len(summary.stages) + 6,
        "funnel_width": FUNNEL_WIDTH,
        "histograms": [_histogram(*item) for item in summary.area_bins],
        "hist_width": HIST_WIDTH,
        "hist_height": HIST_HEIGHT,
        "table_header": _pdf_header(),
        "groups": [(name, [_pdf_row(r) for r in members]) for (_o, name), members in grouped(rows)],
        "any_self_basis": any(r.basis == Layer.SELF for r in rows),
    }


# Each table row is ONE cell holding a pre-formatted monospace line per text line: WeasyPrint
# keeps a style and several boxes per table cell for the whole layout, so ten cells per row cost
# ~190 KB each (≈1 GB at 5,000 units); one cell per row stays under ~35 KB. Columns: (width in
# characters, alignment); about 177 characters of DejaVu Sans Mono at 7 pt span the A4 width.
PDF_COLUMNS = ((9, ">"), (18, "<"), (51, "<"), (19, "<"), (26, "<"), (8, ">"), (8, ">"),
               (8, ">"), (6, "<"), (6, "<"))  # fmt: skip


def pdf_line(values: Sequence[object]) -> str:
    """The cells as aligned monospace text; a value wider than its column wraps inside it."""
    wrapped = [
        textwrap.wrap(str(value), width) or [""]
        for value, (width, _align) in zip(values, PDF_COLUMNS, strict=True)
    ]
    lines = [
        "  ".join(
            f"{part:{align}{width}}"
            for part, (width, align) in zip(parts, PDF_COLUMNS, strict=True)
        ).rstrip()
        for parts in itertools.zip_longest(*wrapped, fillvalue="")
    ]
    return "\n".join(lines)


def _pdf_header() -> str:
    return pdf_line(
        [
            _("Peringkat"), _("Kode"), _("Unit"), _("Jenis"), _("Tahap"), _("Nilai mandiri"),
            _("Nilai TPI"), _("Terjawab"), "WBK", "WBBM",
        ]
    )  # fmt: skip


def _pdf_row(r: Row) -> str:
    marker = "*" if r.basis == Layer.SELF else ""
    return pdf_line(
        (
            r.rank or DASH,
            r.unit_code,
            r.unit_name,
            r.kind_label,
            r.stage_label,
            format_score(r.self_total),
            format_score(r.tpi_total),
            f"{r.self_answered}/{r.item_count}",
            (yes_no(r.wbk_eligible) + marker) if r.basis else DASH,
            (yes_no(r.wbbm_eligible) + marker) if r.basis else DASH,
        )
    )


def _funnel(summary: Summary) -> list[dict]:
    largest = max((count for _l, count, _r in summary.stages), default=0) or 1
    return [
        {
            "label": label,
            "count": count,
            "y": i * FUNNEL_ROW + 3,
            "text_y": i * FUNNEL_ROW + 15,
            "x": FUNNEL_LABEL,
            "width": round(FUNNEL_BAR * count / largest, 1),
            "count_x": FUNNEL_LABEL + round(FUNNEL_BAR * count / largest, 1) + 5,
        }
        for i, (label, count, _reached) in enumerate(summary.stages)
    ]


def _histogram(number: int, name: str, counts: list[int]) -> dict:
    largest = max(counts, default=0) or 1
    plot = HIST_HEIGHT - HIST_TOP - HIST_BOTTOM
    bars = []
    for i, count in enumerate(counts):
        height = round(plot * count / largest, 1)
        x = 6 + i * (HIST_BAR + 4)
        bars.append(
            {
                "x": x,
                "y": HIST_TOP + plot - height,
                "height": height,
                "count": count,
                "count_y": HIST_TOP + plot - height - 3,
                "mid": x + HIST_BAR / 2,
                "label": f"{BIN_EDGES[i]}–{BIN_EDGES[i + 1]}",
            }
        )
    return {
        "number": number,
        "name": name,
        "bars": bars,
        "bar_width": HIST_BAR,
        "axis_y": HIST_TOP + plot,
        "label_y": HIST_HEIGHT - 5,
    }


# --------------------------------------------------------------------------- entry points


RENDERERS: dict[str, Callable[[Sequence[Row], ReadinessFilters], bytes]] = {
    "xlsx": render_xlsx,
    "csv": render_csv,
    "pdf": render_pdf,
}


def _check_format(fmt: str) -> None:
    if fmt not in RENDERERS:
        raise ValueError(
            _("Format tidak dikenal: %(fmt)s (pilih %(choices)s).")
            % {"fmt": fmt, "choices": ", ".join(RENDERERS)}
        )


def readiness_filename(filters: ReadinessFilters, fmt: str) -> str:
    """E.g. laporan-kesiapan-2026-jawa-tengah-kankemenag-penilaian.xlsx."""
    _check_format(fmt)
    parts = [str(filters.period.year), filters.province, filters.kind, filters.stage]
    slug = "-".join(s for s in (slugify(p) for p in parts if p) if s)
    return f"laporan-kesiapan-{slug}.{fmt}"


def render_readiness(filters: ReadinessFilters, fmt: str) -> bytes:
    _check_format(fmt)
    return RENDERERS[fmt](readiness_rows(filters), filters)


def readiness_cli(
    *, period_year: int, fmt: str, out: str, province: str = "", kind: str = "", stage: str = ""
) -> int:
    """Write the report to `out`; returns its size in bytes. Bad parameters raise ValueError
    with a message for the user."""
    _check_format(fmt)
    period = Period.objects.select_related("lke_version").filter(year=period_year).first()
    if period is None:
        raise ValueError(_("Periode %(year)s tidak ditemukan.") % {"year": period_year})
    filters = ReadinessFilters(period=period, province=province.strip(), kind=kind, stage=stage)
    data = render_readiness(filters, fmt)
    Path(out).write_bytes(data)
    return len(data)

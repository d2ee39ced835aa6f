"""The national readiness report as files: its columns, the XLSX (detail and summary sheets),
the CSV and the PDF with its funnel and histograms, and the entry points the report job
(`reports.kinds`) and the `render_report` command call. The rows come from reports.readiness."""

from __future__ import annotations

import csv
import io
import itertools
import re
import textwrap
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from decimal import Decimal
from pathlib import Path

from django.template.loader import render_to_string
from django.utils import formats, timezone
from django.utils.text import slugify
from django.utils.translation import gettext as _

from areas.instrument import AreaSpec
from areas.labels import format_score
from assessments.models import Layer, Period
from core.cells import XLSX_OPTIONS, spreadsheet_row, spreadsheet_text
from reports.readiness import (
    BIN_EDGES,
    DASH,
    ReadinessFilters,
    Row,
    Summary,
    areas_of,
    basis_label,
    grouped,
    num,
    readiness_rows,
    readiness_summary,
    yes_no,
)

CONTENT_TYPES = {
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    "csv": "text/csv; charset=utf-8",
    "pdf": "application/pdf",
}
TEMPLATE = "reports/readiness.html"


# --------------------------------------------------------------------------- tabular columns


@dataclass(frozen=True)
class Column:
    header: Callable[[], str]
    width: int
    number_format: str | None
    value: Callable[[Row], object]


def columns(areas: Sequence[AreaSpec]) -> list[Column]:
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
        Column(lambda: _("Seleksi administrasi"), 18, None, lambda r: r.selection_label),
        Column(
            lambda: _("Tidak dapat diusulkan sampai"),
            14,
            None,
            lambda r: r.barred_until.isoformat() if r.barred_until else "",
        ),  # fmt: skip
        Column(lambda: _("Target predikat"), 10, None, lambda r: r.target_predicate),
        Column(lambda: _("Nilai mandiri"), 11, "0.00", lambda r: num(r.self_total)),
        Column(lambda: _("Nilai TPI"), 11, "0.00", lambda r: num(r.tpi_total)),
        Column(lambda: _("Butir terjawab (mandiri)"), 11, "0", lambda r: r.self_answered),
        Column(lambda: _("Progres mandiri"), 11, "0%", lambda r: round(r.self_progress, 4)),
        Column(lambda: _("Kelengkapan eviden"), 11, "0%", _evidence_share),
        Column(lambda: _("Dasar kelayakan"), 11, None, lambda r: basis_label(r.basis)),
        Column(lambda: _("Memenuhi WBK"), 10, None, lambda r: yes_no(r.wbk_eligible)),
        Column(lambda: _("Memenuhi WBBM"), 10, None, lambda r: yes_no(r.wbbm_eligible)),
    ]
    return base + [_area_column(i, area) for i, area in enumerate(areas)]


def _evidence_share(r: Row) -> float | None:
    share = r.evidence_share
    return None if share is None else round(share, 4)


def _area_column(index: int, area: AreaSpec) -> Column:
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
    import xlsxwriter

    areas = areas_of(filters)
    buffer = io.BytesIO()
    # Every str is written as a string: nothing typed by a person becomes a formula, a link
    # or a number (spreadsheet_text escapes the leading "=" for the other readers too).
    workbook = xlsxwriter.Workbook(
        buffer,
        XLSX_OPTIONS,
    )
    styles = _Styles(workbook)
    summary_title, all_title = _("Ringkasan"), _("Semua unit")
    summary_sheet = workbook.add_worksheet(summary_title)
    _write_summary(_Rows(summary_sheet), readiness_summary(rows, areas), filters, styles)
    cols = columns(areas)
    _write_detail(workbook.add_worksheet(all_title), rows, cols, styles)
    groups = grouped(rows)
    names = sheet_names([name for (_order, name), _m in groups], taken=[summary_title, all_title])
    for title, (_key, members) in zip(names, groups, strict=True):
        _write_detail(workbook.add_worksheet(title), members, cols, styles)
    workbook.close()
    return buffer.getvalue()


class _Styles:
    """The workbook's formats, made once (XlsxWriter keeps one entry per distinct format)."""

    def __init__(self, workbook) -> None:
        self.bold = workbook.add_format({"bold": True})
        self.header = workbook.add_format({"bold": True, "text_wrap": True, "valign": "top"})
        self._workbook, self._numbers = workbook, {}

    def number(self, number_format: str | None):
        if number_format is None:
            return None
        if number_format not in self._numbers:
            self._numbers[number_format] = self._workbook.add_format({"num_format": number_format})
        return self._numbers[number_format]


class _Rows:
    """Appends rows to a sheet: numbers as numbers, everything else as inert text."""

    def __init__(self, sheet) -> None:
        self.sheet, self.next = sheet, 0

    def append(self, values: Sequence, styles: Sequence | None = None) -> None:
        sheet, row = self.sheet, self.next
        for i, value in enumerate(values):
            if value is None:
                continue
            style = styles[i] if styles else None
            if isinstance(value, int | float | Decimal) and not isinstance(value, bool):
                sheet.write_number(row, i, value, style)
            else:
                text = spreadsheet_text(str(value))  # names typed by people
                sheet.write_string(row, i, text, style)
        self.next += 1

    def skip(self) -> None:
        self.next += 1


def _write_detail(sheet, rows: Sequence[Row], cols: list[Column], styles: _Styles) -> None:
    for i, col in enumerate(cols):
        sheet.set_column(i, i, col.width)
    sheet.freeze_panes(1, 0)
    sheet.autofilter(0, 0, len(rows), len(cols) - 1)
    out = _Rows(sheet)
    out.append([col.header() for col in cols], [styles.header] * len(cols))
    formats_ = [styles.number(col.number_format) for col in cols]
    values = [col.value for col in cols]
    for r in rows:
        out.append([value(r) for value in values], formats_)


def _write_summary(
    out: _Rows, summary: Summary, filters: ReadinessFilters, styles: _Styles
) -> None:
    def strong(*values) -> None:
        out.append(values, [styles.bold] * len(values))

    for i, width in enumerate((44, 14, 16, 14, 14, 14, 14, 14, 14, 14)):
        out.sheet.set_column(i, i, width)
    strong(_("Laporan kesiapan nasional Zona Integritas"))
    for label, value in filters.describe():  # the province filter is typed by the user
        out.append([label, value])
    generated = formats.date_format(timezone.localtime(), "DATETIME_FORMAT")
    out.append([_("Dibuat"), generated])
    out.append([_("Jumlah unit"), summary.count])
    out.skip()
    strong(_("Tahap"), _("Jumlah unit"), _("Mencapai tahap ini"))
    for label, count, reached in summary.stages:
        out.append([label, count, reached])
    out.skip()
    strong(_("Kelayakan predikat"), _("Memenuhi (nilai TPI)"), _("Memenuhi (nilai mandiri)"))
    for predicate, at_tpi, at_self in summary.eligibility:
        out.append([predicate, at_tpi, at_self])
    out.append([_("Belum ada nilai"), summary.unscored])
    out.skip()
    stage_labels = [label for label, _n, _r in summary.stages]
    strong(
        _("Kanwil/Eselon I"), _("Jumlah unit"), *stage_labels,
        _("Memenuhi WBK"), _("Memenuhi WBBM"), _("Rata-rata nilai"),
    )  # fmt: skip
    mean_styles = [None] * (len(stage_labels) + 4) + [styles.number("0.00")]
    for name, count, stages, wbk, wbbm, mean in summary.groups:
        out.append([name, count, *stages, wbk, wbbm, mean], mean_styles)


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
PDF_COLUMNS = ((9, ">"), (18, "<"), (43, "<"), (19, "<"), (26, "<"), (8, ">"), (8, ">"),
               (8, ">"), (6, ">"), (6, "<"), (6, "<"))  # fmt: skip


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
            _("Nilai TPI"), _("Terjawab"), _("Eviden"), "WBK", "WBBM",
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
            DASH if r.evidence_share is None else f"{r.evidence_share:.0%}",
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

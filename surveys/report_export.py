"""A survey's report as files (reports.kinds "survey_report", made by the report worker): a PDF
in the usual IKM report layout, an XLSX with the same content as sheets, and a CSV of the
per-unsur table with the summary. All three read `surveys.reporting.survey_report`."""

from __future__ import annotations

import csv
import io
from typing import IO

from django.template.loader import render_to_string
from django.utils import formats, timezone
from django.utils.text import slugify
from django.utils.translation import gettext as _

from core.cells import XLSX_OPTIONS, spreadsheet_row, spreadsheet_text
from surveys.models import Service, Survey
from surveys.reporting import SurveyReport, survey_report

TEMPLATE = "surveys/report_pdf.html"  # print stylesheet in <style>: served to WeasyPrint only


def render(*, survey_id: int, service_id: int | None, fmt: str, out: IO[bytes], progress) -> str:
    """Write the report of the survey (one service's, when given) to `out`; its file name."""
    survey = Survey.objects.select_related("unit", "unit__parent", "period", "instrument").get(
        pk=survey_id
    )
    service = Service.objects.get(pk=service_id) if service_id else None
    report = survey_report(survey, service=service)
    progress(50)
    writer = {"pdf": render_pdf, "xlsx": render_xlsx, "csv": render_csv}[fmt]
    out.write(writer(report))
    return filename(report, fmt)


def filename(report: SurveyReport, fmt: str) -> str:
    survey = report.survey
    parts = ["survei", survey.instrument.kind, survey.unit.code, survey.name]
    if report.service:
        parts.append(report.service.name)
    return f"{slugify(' '.join(parts))[:150]}.{fmt}"


def summary_rows(report: SurveyReport) -> list[tuple[str, object]]:
    """The report's headline figures as (label, value): the CSV's and the XLSX's summary."""
    survey = report.survey
    rows = [
        (_("Judul"), report.title),
        (_("Unit"), survey.unit.name),
        (_("Periode"), str(survey.period)),
        (_("Survei"), survey.name),
        (_("Dibuka"), survey.opens_on.isoformat()),
        (_("Ditutup"), survey.closes_on.isoformat()),
        (_("Jenis layanan"), report.service.name if report.service else _("Semua layanan")),
        (_("Responden"), report.respondents),
    ]
    if report.is_ikm:
        rows += [
            (_("Nilai indeks (rata-rata NRR)"), report.ikm_unit),
            ("IKM", report.ikm),
            (_("Mutu pelayanan"), report.mutu or ""),
            (_("Kinerja unit pelayanan"), report.kinerja or ""),
        ]
    else:
        rows += [
            (_("Indeks (skala 1–%(k)s)") % {"k": survey.instrument.scale_max}, report.index),
            (_("Nilai pada LKE (skala 1–4)"), report.lke_value),
        ]
    lowest = ", ".join(f"{r.question.code} {r.question.unsur}" for r in report.lowest)
    rows.append((_("Tiga unsur terendah"), lowest))
    return rows


def unsur_header(report: SurveyReport) -> list[str]:
    value = "NRR" if report.is_ikm else _("Rata-rata")
    header = [_("Kode"), _("Unsur"), _("Menjawab"), value]
    return [*header, _("Mutu")] if report.is_ikm else header


def unsur_rows(report: SurveyReport) -> list[list]:
    out = []
    for row in report.questions:
        values = [row.question.code, row.question.unsur, row.answered, row.value]
        out.append([*values, row.interval or ""] if report.is_ikm else values)
    return out


# --------------------------------------------------------------------------- CSV


def render_csv(report: SurveyReport) -> bytes:
    """UTF-8 with a BOM (Excel reads the accents); numbers with a decimal point."""
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\r\n")
    writer.writerow(spreadsheet_row(unsur_header(report)))
    for values in unsur_rows(report):
        writer.writerow([_csv(v) for v in values])
    writer.writerow([])
    for label, value in summary_rows(report):
        writer.writerow([spreadsheet_text(label), _csv(value)])
    return buffer.getvalue().encode("utf-8-sig")


def _csv(value) -> object:
    if value is None:
        return ""
    return spreadsheet_text(value) if isinstance(value, str) else str(value)


# --------------------------------------------------------------------------- XLSX


def render_xlsx(report: SurveyReport) -> bytes:
    import xlsxwriter

    buffer = io.BytesIO()
    workbook = xlsxwriter.Workbook(
        buffer,
        XLSX_OPTIONS,
    )
    bold = workbook.add_format({"bold": True})
    sheets = [
        (_("Ringkasan"), [_("Keterangan"), _("Nilai")], summary_rows(report)),
        (_("Unsur"), unsur_header(report), unsur_rows(report)),
        (_("Profil responden"), [_("Profil"), _("Kategori"), _("Jumlah"), "%"], _profile(report)),
        (
            _("Rencana tindak lanjut"),
            [
                _("Kode"),
                _("Unsur"),
                _("Rencana tindak lanjut"),
                _("Target selesai"),
                _("Kemajuan (%)"),
            ],
            _plan(report),
        ),  # fmt: skip
        (_("Tren"), _trend_header(report), _trend(report)),
    ]
    for title, header, rows in sheets:
        sheet = workbook.add_worksheet(title[:31])
        sheet.write_row(0, 0, spreadsheet_row(header), bold)
        for r, values in enumerate(rows, start=1):
            sheet.write_row(r, 0, [_cell(v) for v in values])
        sheet.set_column(0, 0, 18)
        sheet.set_column(1, 2, 40)
    workbook.close()
    return buffer.getvalue()


def _cell(value):
    from decimal import Decimal

    if value is None:
        return ""
    if isinstance(value, Decimal):
        return float(value)
    return spreadsheet_text(value)


def _profile(report: SurveyReport) -> list[list]:
    return [[b.title, r.label, r.count, r.percent] for b in report.profile for r in b.rows]


def _plan(report: SurveyReport) -> list[list]:
    rows = []
    for question, item in report.plan:
        target = item.target_on.isoformat() if item and item.target_on else ""
        rows.append([
            question.code, question.unsur, item.action if item else "", target,
            item.progress if item else None,
        ])  # fmt: skip
    return rows


def _trend_header(report: SurveyReport) -> list[str]:
    value = "IKM" if report.is_ikm else _("Indeks")
    header = [_("Periode"), _("Survei"), _("Responden"), value]
    return [*header, _("Mutu")] if report.is_ikm else header


def _trend(report: SurveyReport) -> list[list]:
    rows = []
    for t in report.trend:
        values = [t.survey.period.year, t.survey.name, t.respondents, t.value]
        rows.append([*values, t.mutu or ""] if report.is_ikm else values)
    return rows


# --------------------------------------------------------------------------- PDF


def render_pdf(report: SurveyReport) -> bytes:
    from weasyprint import HTML, URLFetcher  # heavy import (Pango): only where a PDF is made

    context = {
        "report": report,
        "survey": report.survey,
        "generated_at": formats.date_format(timezone.localtime(), "DATETIME_FORMAT"),
    }
    html = render_to_string(TEMPLATE, context)
    # Everything is inline; no text from the data may make the renderer reach the network.
    return HTML(string=html, url_fetcher=URLFetcher(allowed_protocols={"data"})).write_pdf()

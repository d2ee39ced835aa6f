"""The official LKE workbook ("LKE hasil reviu TPI") of one assessment as XLSX, in the layout
evaluators use: a Rekap sheet, one sheet per area, the Hasil sheet and the list of evidence;
and the workbooks of every proposed unit of a period as one ZIP (reports.lke_workbook.archive).

Each item's score is a formula of the answer typed in its row (the option table of the item,
a percent, the raw counts of a numeric item, a survey index); every aggregation above it
(indicator, section, area, Pengungkit, Hasil, total) is a formula over cells holding the
instrument's weights, the same arithmetic as the one scoring engine (areas.scoring). A
spreadsheet program therefore recomputes the portal's totals; each formula also carries the
engine's value, so viewers that do not recalculate show them too. The layers shown are the ones
the reader may see (assessments.permissions.visible_layers, decided by reports.kinds).
"""

from __future__ import annotations

import io
from typing import IO

from django.utils.translation import gettext as _

from areas.spreadsheet import SPREADSHEET_FORMULAS
from core.cells import XLSX_OPTIONS
from reports.lke_workbook.data import (
    WorkbookData,
    workbook_data,
    workbook_filename,
    workbook_title,
)

__all__ = [
    "SPREADSHEET_FORMULAS",
    "WorkbookData",
    "render_workbook",
    "workbook_data",
    "workbook_filename",
    "workbook_title",
    "write_workbook",
]


def render_workbook(data: WorkbookData, *, cached: bool = True) -> bytes:
    """The XLSX bytes. `cached=False` leaves the formulas without the engine's values (the
    test that recomputes them in LibreOffice uses it, so nothing is read back unrecomputed)."""
    buffer = io.BytesIO()
    write_workbook(buffer, data, cached=cached)
    return buffer.getvalue()


def write_workbook(out: IO[bytes], data: WorkbookData, *, cached: bool = True) -> None:
    import xlsxwriter

    from reports.lke_workbook.rekap import Rekap
    from reports.lke_workbook.sheets import AreaSheet, HasilSheet, write_evidence
    from reports.lke_workbook.styles import Styles

    # Every str is written as a string: nothing typed by a person becomes a formula or a link.
    workbook = xlsxwriter.Workbook(
        out,
        XLSX_OPTIONS,
    )
    styles = Styles(workbook)
    rekap = workbook.add_worksheet(_("Rekap"))  # first in the file, written last
    areas = {}
    for area in data.instrument.areas:
        sheet = workbook.add_worksheet(_("Area %(n)s") % {"n": area.number})
        areas[area.number] = AreaSheet(sheet, data, styles, cached).write(area)
    hasil = HasilSheet(workbook.add_worksheet(_("Hasil")), data, styles, cached).write()
    write_evidence(workbook.add_worksheet(_("Data dukung")), data, styles)
    Rekap(rekap, data, styles, cached).write(areas, hasil)
    workbook.close()

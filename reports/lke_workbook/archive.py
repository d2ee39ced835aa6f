"""The LKE workbooks of every unit proposed to TPN in a period, as one ZIP with a list of its
files. One workbook is in memory at a time; each goes into the archive as it is made."""

from __future__ import annotations

import csv
import io
import zipfile
from collections.abc import Callable
from typing import IO

from django.db.models import QuerySet

from assessments.models import Assessment, Period
from assessments.selectors import assessments_visible_to
from assessments.stages.proposals import PROPOSED_STATUSES, proposals_queryset
from core.cells import spreadsheet_row
from reports.lke_workbook.data import workbook_filename, workbook_layers, workbooks_data

INDEX_HEADER = ["kode_unit", "nama_unit", "induk", "status", "berkas", "lapisan"]


def proposed_for(period: Period, reader) -> QuerySet[Assessment]:
    """The period's assessments proposed to TPN (whatever came after the proposal) that
    `reader` may see; None (the command line) is everyone's."""
    assessments = proposals_queryset(period, PROPOSED_STATUSES)
    if reader is not None:
        assessments = assessments.filter(pk__in=assessments_visible_to(reader).values("pk"))
    return assessments


def workbook_zip_filename(period: Period) -> str:
    return f"LKE-usulan-TPN-{period.year}.zip"


CHUNK = 100  # assessments read together: three queries a chunk, a bounded memory


def write_workbook_zip(
    *, period: Period, reader, out: IO[bytes], progress: Callable[[int], None] | None = None
) -> int:
    """Writes the archive to `out`; returns how many workbooks it holds."""
    from reports.lke_workbook import write_workbook

    assessments = list(proposed_for(period, reader))
    index = io.StringIO()
    writer = csv.writer(index)
    writer.writerow(INDEX_HEADER)
    shown = 0  # the percent last reported: the job row is written when it moves
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED, allowZip64=True) as archive:
        for start in range(0, len(assessments), CHUNK):
            chunk = assessments[start : start + CHUNK]
            for number, data in enumerate(
                workbooks_data(chunk, reader, lambda a: workbook_layers(reader, a)),
                start=start + 1,
            ):
                name = workbook_filename(data.assessment)
                buffer = io.BytesIO()
                write_workbook(buffer, data)
                archive.writestr(name, buffer.getvalue())
                unit = data.assessment.unit
                writer.writerow(spreadsheet_row([
                    unit.code, unit.name, unit.parent.name if unit.parent else "",
                    data.assessment.get_status_display(), name, " ".join(data.layers),
                ]))  # fmt: skip
                percent = 5 + 90 * number // len(assessments)
                if progress is not None and percent != shown:
                    progress(percent)
                    shown = percent
        # Unit names are typed by people; reviewers open the list in Excel.
        archive.writestr("daftar.csv", "\ufeff" + index.getvalue())
    return len(assessments)

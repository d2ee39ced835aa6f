"""TPN's published list of its administrative selection, imported by the admin: one row per
proposed unit (`kode`, `hasil`, `catatan`). Every row is checked before anything is saved; one
bad row and nothing is; each good row is the same transition TPN makes on the unit's page."""

from __future__ import annotations

import re
from dataclasses import dataclass

from django.db import transaction
from django.utils.translation import gettext as _

from assessments.assessment import Status
from assessments.services import assessment_transition
from assessments.stages.decisions import SelectionOutcome, SelectionResult
from assessments.stages.models import Period
from assessments.stages.periods import MAX_CODES_BYTES
from core import audit
from core.errors import WorkflowError
from core.tables import TableError, read_table
from core.text import NOTE_MAX, TextError, clean_text
from units.permissions import is_admin

MAX_ROWS = 5000
CODE_COLUMNS = ("kode", "kode unit", "kode_unit", "code")
OUTCOME_COLUMNS = ("hasil", "hasil seleksi", "hasil_seleksi", "outcome")
NOTE_COLUMNS = ("catatan", "alasan", "note")
# How TPN's lists spell each outcome (lower case, single spaces).
OUTCOME_WORDS = {
    "lulus": SelectionOutcome.PASSED,
    "lulus dengan catatan": SelectionOutcome.PASSED_WITH_NOTES,
    "lulus_catatan": SelectionOutcome.PASSED_WITH_NOTES,
    "lulus catatan": SelectionOutcome.PASSED_WITH_NOTES,
    "tidak lulus": SelectionOutcome.FAILED,
    "tidak_lulus": SelectionOutcome.FAILED,
    "tms": SelectionOutcome.FAILED,
}
TRANSITION_OF = {
    SelectionOutcome.PASSED: "select_pass",
    SelectionOutcome.PASSED_WITH_NOTES: "select_pass_notes",
    SelectionOutcome.FAILED: "select_fail",
}


@dataclass(frozen=True, slots=True)
class RowError:
    line: int
    code: str
    message: str


class SelectionImportError(WorkflowError):
    """The list was refused; `rows` says which row is wrong and why (nothing was saved)."""

    def __init__(self, message: str, rows: list[RowError]):
        super().__init__(message)
        self.rows = rows


@dataclass(frozen=True, slots=True)
class SelectionRow:
    line: int
    code: str
    outcome: str
    note: str


def read_selection(filename: str, content: bytes) -> tuple[list[SelectionRow], list[RowError]]:
    """The rows of the file, and the errors found in reading them."""
    if len(content) > MAX_CODES_BYTES:
        raise WorkflowError(_("Berkas terlalu besar (maksimal 2 MB)."))
    try:
        records = iter(read_table(filename, content))
        header = [cell.strip().lower() for cell in next(records, [])]
    except TableError as error:
        raise WorkflowError(str(error)) from None
    columns = {}
    for name, accepted in (("code", CODE_COLUMNS), ("outcome", OUTCOME_COLUMNS),
                           ("note", NOTE_COLUMNS)):  # fmt: skip
        columns[name] = next((header.index(c) for c in accepted if c in header), None)
    if columns["code"] is None or columns["outcome"] is None:
        raise WorkflowError(_("Kolom wajib tidak ada: kode dan hasil (opsional: catatan)."))
    rows, errors = [], []
    for line, record in enumerate(records, start=2):
        cells = [cell.strip() for cell in record]
        if not any(cells):
            continue
        if len(rows) + len(errors) >= MAX_ROWS:
            raise WorkflowError(_("Paling banyak %(n)s baris per berkas.") % {"n": MAX_ROWS})
        code, word, note = (_cell(cells, columns[name]) for name in ("code", "outcome", "note"))
        word = re.sub(r"\s+", " ", word.lower())
        try:
            note = clean_text(note).strip()
        except TextError as error:
            errors.append(RowError(line, code, str(error)))
            continue
        outcome = OUTCOME_WORDS.get(word)
        if not code:
            errors.append(RowError(line, code, _("kode unit kosong")))
        elif outcome is None:
            errors.append(RowError(line, code, _(
                "hasil “%(word)s” tidak dikenal: tulis Lulus, Lulus dengan catatan, atau "
                "Tidak lulus"
            ) % {"word": word[:40]}))  # fmt: skip
        elif outcome != SelectionOutcome.PASSED and not note:
            errors.append(RowError(line, code, _("catatan wajib untuk hasil selain Lulus")))
        elif len(note) > NOTE_MAX:
            errors.append(RowError(line, code, _("catatan terlalu panjang")))
        else:
            rows.append(SelectionRow(line, code, outcome, note))
    if not rows and not errors:
        errors.append(RowError(0, "", _("berkas tidak berisi baris hasil seleksi")))
    return rows, errors


def _cell(cells: list[str], index: int | None) -> str:
    return cells[index] if index is not None and index < len(cells) else ""


def selection_import(*, period: Period, filename: str, content: bytes, by) -> int:
    """Record TPN's published selection for the period's proposed units: all rows or none.
    Returns the number of units recorded."""
    if not is_admin(by):
        raise WorkflowError(_("Hanya Admin nasional yang dapat mengimpor hasil seleksi."),
                            forbidden=True)  # fmt: skip
    rows, errors = read_selection(filename, content)
    assessments = {
        a.unit.code: a
        for a in period.assessments.filter(unit__code__in={r.code for r in rows})
        .select_related("unit")
    }  # fmt: skip
    seen: set[str] = set()
    for row in rows:
        assessment = assessments.get(row.code)
        if row.code in seen:
            errors.append(RowError(row.line, row.code, _("unit ini sudah ada di baris lain")))
        elif assessment is None:
            errors.append(RowError(row.line, row.code, _("unit tidak mengikuti periode ini")))
        elif assessment.status != Status.PROPOSED:
            errors.append(RowError(row.line, row.code, _(
                "unit tidak sedang menunggu seleksi administrasi (status: %(status)s)"
            ) % {"status": assessment.get_status_display()}))  # fmt: skip
        seen.add(row.code)
    if errors:
        raise SelectionImportError(_("Daftar ditolak; tidak ada yang disimpan."),
                                   sorted(errors, key=lambda e: e.line))  # fmt: skip
    with transaction.atomic():
        for row in rows:
            try:
                assessment_transition(
                    assessment=assessments[row.code], name=TRANSITION_OF[row.outcome], by=by,
                    note=row.note,
                )  # fmt: skip
            except WorkflowError as error:
                raise SelectionImportError(
                    _("Daftar ditolak; tidak ada yang disimpan."),
                    [RowError(row.line, row.code, " ".join([str(error), *error.problems]))],
                ) from None
        SelectionResult.objects.filter(
            assessment__in=[assessments[row.code] for row in rows]
        ).update(imported=True)
        audit.record(
            "zi.selection.imported", period, by=by, filename=filename[:120], rows=len(rows)
        )
    return len(rows)

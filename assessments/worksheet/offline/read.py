"""Reading an offline LKE workbook back: whose it is (the signed hidden sheet), and what it
proposes item by item, with every bad cell named by sheet, row and reason. Nothing is saved
here; assessments.worksheet.offline.apply saves what the user confirms."""

from __future__ import annotations

from dataclasses import dataclass, field

from django.utils.translation import gettext as _

from areas.models import Question
from areas.selectors import version_parts
from assessments import permissions
from assessments.assessment import Assessment, Layer
from assessments.worksheet import services
from assessments.worksheet.forms import AnswerInputError, number_text, parse_answer
from assessments.worksheet.models import Answer
from assessments.worksheet.offline import layout as L
from core.cells import spreadsheet_text_read
from core.errors import WorkflowError
from core.text import clean_note
from core.xlsx import XlsxRefused, open_xlsx


@dataclass
class Problem:
    sheet: str
    row: int
    reason: str


@dataclass
class Reading:
    """`changes`: one dict per item the workbook changes (code, value, note, the revision it
    was downloaded at and the one the portal holds now, the portal's value and note)."""

    changes: list[dict] = field(default_factory=list)
    problems: list[Problem] = field(default_factory=list)

    @property
    def conflicts(self) -> list[dict]:
        return [change for change in self.changes if change["conflict"]]


def refuse(message: str) -> WorkflowError:
    return WorkflowError(message)


def read_workbook(*, assessment: Assessment, layer: str, by, content: bytes) -> Reading:
    """What the workbook would change in `layer`; raises WorkflowError when the file as a
    whole cannot be taken (not this portal's workbook, another assessment's or layer's, an
    instrument that has changed, a layer the person cannot write now)."""
    if len(content) > L.MAX_BYTES:
        raise refuse(_("Berkas terlalu besar (maksimal 5 MB)."))
    try:  # its ZIP checked first: a small file must not inflate to gigabytes as it opens
        workbook = open_xlsx(
            content, unreadable=_("Berkas XLSX tidak dapat dibaca: rusak atau bukan XLSX.")
        )
    except XlsxRefused as refusal:
        raise refuse(refusal.message) from None
    try:
        items = _verified_items(workbook, assessment, layer)
        if permissions.writable_layer(by, assessment) != layer:
            raise refuse(_("Lapisan ini tidak dapat Anda isi pada status penilaian sekarang."))
        sheets = {title: _cells(workbook, title) for title in dict.fromkeys(i[2] for i in items)}
    finally:
        workbook.close()
    return _proposal(assessment, layer, by, items, sheets)


def _verified_items(workbook, assessment: Assessment, layer: str) -> list[list[str]]:
    wrong = _("Bukan workbook LKE dari portal ini (templat salah): unduh ulang dari lembar kerja.")
    if L.META_SHEET not in workbook.sheetnames:
        raise refuse(wrong)
    rows = [
        ["" if value is None else str(value) for value in row]
        for row in workbook[L.META_SHEET].iter_rows(
            max_row=L.ITEMS_ROW + L.MAX_ROWS, max_col=6, values_only=True
        )
    ]
    rows = [row + [""] * (6 - len(row)) for row in rows]
    if len(rows) < L.ITEMS_ROW or rows[0][:2] != ["format", L.FORMAT]:
        raise refuse(wrong)
    head = {row[0]: row[1] for row in rows[: len(L.META_KEYS)]}
    items = [row[:6] for row in rows[L.ITEMS_ROW - 1 :] if any(row)]
    if not L.verified(head, items, rows[L.SIGNATURE_ROW - 1][1]):
        raise refuse(
            _(
                "Lembar tersembunyi workbook ini telah diubah, sehingga isinya tidak dapat "
                "dipercaya. Unduh ulang workbook dari lembar kerja."
            )
        )
    if head["assessment"] != str(assessment.pk):
        raise refuse(
            _("Workbook ini milik penilaian lain (nomor %(other)s), bukan penilaian ini.")
            % {"other": head["assessment"]}
        )
    if head["layer"] != layer:
        raise refuse(
            _("Workbook ini untuk lapisan %(other)s, bukan lapisan %(mine)s.")
            % {"other": _layer_label(head["layer"]), "mine": _layer_label(layer)}
        )
    version = assessment.period.lke_version
    published = version.published_at.isoformat() if version.published_at else ""
    if head["version"] != str(version.pk) or head["published"] != published:
        raise refuse(
            _(
                "Versi instrumen LKE telah berubah sejak workbook ini diunduh. Unduh ulang "
                "workbook dan salin isian Anda ke dalamnya."
            )
        )
    return items


def _layer_label(layer: str) -> str:
    return str(Layer(layer).label) if layer in Layer.values else layer


def _cells(workbook, title: str) -> dict[int, tuple]:
    """Row number -> (answer, note) of one sheet, read once (a read-only sheet reparses the
    file on each random access)."""
    if title not in workbook.sheetnames:
        raise refuse(
            _("Lembar %(sheet)s tidak ada: workbook ini bukan templat yang diunduh dari portal.")
            % {"sheet": title}
        )
    out = {}
    for number, row in enumerate(
        workbook[title].iter_rows(
            min_row=1, max_row=L.MAX_ROWS, min_col=5, max_col=6, values_only=True
        ),
        start=1,
    ):
        out[number] = tuple(row) + (None,) * (2 - len(row))
    return out


def _proposal(assessment: Assessment, layer: str, by, items, sheets) -> Reading:
    reading = Reading()
    by_code = {q.code: q for q in version_parts(assessment.period.lke_version).questions}
    current = {
        a.question_id: a
        for a in Answer.objects.filter(assessment=assessment, layer=layer).order_by()
    }
    for code, revision, title, row, inputs, downloaded in items:
        question = by_code.get(code)
        if question is None or not row.isdigit() or not revision.isdigit():
            unknown = _("Butir %(code)s tidak dikenal.") % {"code": code}
            reading.problems.append(Problem(title, 0, unknown))
            continue
        cells = sheets[title]
        row = int(row)
        input_rows = [part.split("=", 1) for part in inputs.split(";") if "=" in part]
        answer_raw, note_raw = cells.get(row, (None, None))
        raw_inputs = {name: cells.get(int(at), (None,))[0] for name, at in input_rows}
        if L.digest([answer_raw, *raw_inputs.values(), note_raw]) == downloaded:
            continue  # not edited offline: whatever the portal holds now stays
        try:
            value = _value(question, answer_raw, raw_inputs)
            note = clean_note(spreadsheet_text_read(L.cell_text(note_raw)), label=_("Catatan"))
        except (AnswerInputError, WorkflowError) as error:
            reading.problems.append(Problem(title, row, f"{code}: {error}"))
            continue
        mine = current.get(question.pk)
        if mine is not None and (mine.value, mine.note) == (value, note):
            continue  # the portal already holds it
        if mine is None and value is None and not note:
            continue
        try:  # the worksheet's own rules, so that the preview names the row
            services.answer_validate(
                assessment=assessment, question=question, layer=layer, by=by, value=value,
                note=note,
            )  # fmt: skip
        except WorkflowError as error:
            reading.problems.append(Problem(title, row, f"{code}: {error}"))
            continue
        reading.changes.append({
            "code": code, "question": question.pk, "sheet": title, "row": row,
            "value": value, "note": note, "revision": int(revision),
            "current_revision": mine.revision if mine else 0,
            "old_value": mine.value if mine else None, "old_note": mine.note if mine else "",
            "conflict": (mine.revision if mine else 0) != int(revision),
        })  # fmt: skip
    return reading


def _value(question: Question, answer, inputs: dict):
    """The answer a row gives, as the worksheet's form reads it (the same checks and
    messages)."""
    if question.inputs:
        data = {f"input_{name}": number_text(raw) for name, raw in inputs.items()}
    elif question.options.all():
        data = {"value": L.cell_text(answer)}
    else:
        data = {"value": number_text(answer)}
    return parse_answer(question, data)

"""Downloading, editing (as a person would in a spreadsheet program) and uploading the
offline LKE workbook."""

from __future__ import annotations

import io

from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from openpyxl import load_workbook

from assessments.worksheet.offline import layout as L


def download(client, assessment):
    response = client.get(reverse("assessments:lke_xlsx", args=[assessment.pk]))
    assert response.status_code == 200, response.content[:300]
    return load_workbook(io.BytesIO(response.content))


def item(workbook, code: str) -> dict:
    """Where an item lives: its sheet, answer/note row and input rows (from the hidden sheet)."""
    meta = workbook[L.META_SHEET]
    for row in meta.iter_rows(min_row=L.ITEMS_ROW, values_only=True):
        if row[0] == code:
            inputs = dict(part.split("=") for part in (row[4] or "").split(";") if part)
            return {"sheet": workbook[row[2]], "row": int(row[3]),
                    "inputs": {k: int(v) for k, v in inputs.items()}}  # fmt: skip
    raise KeyError(code)


def answer(workbook, code: str, value) -> None:
    where = item(workbook, code)
    where["sheet"].cell(where["row"], 5, value)


def count(workbook, code: str, name: str, value) -> None:
    where = item(workbook, code)
    where["sheet"].cell(where["inputs"][name], 5, value)


def note(workbook, code: str, text: str) -> None:
    where = item(workbook, code)
    where["sheet"].cell(where["row"], 6, text)


def content(workbook) -> bytes:
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def upload(client, assessment, data: bytes, name: str = "lke.xlsx"):
    return client.post(
        reverse("assessments:lke_xlsx_upload", args=[assessment.pk]),
        {"file": SimpleUploadedFile(name, data)},
    )


def preview_url(response) -> str:
    assert response.status_code == 302, response.content.decode()[-3000:]
    return response.url

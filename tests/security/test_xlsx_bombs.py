"""Every uploaded XLSX is opened through core.xlsx.open_xlsx, which checks its ZIP against a
decompressed budget first: a file of a few hundred KB whose shared strings inflate to tens of
MB is refused at once (the offline LKE workbook, the table imports, the instrument import)
instead of taking tens of seconds and hundreds of MB to open."""

import io
import time
import zipfile

import pytest
from openpyxl import Workbook

from areas.instrument_xlsx_import import InstrumentImportError, import_version
from assessments.models import Answer, Status
from core.tables import TableError, read_table
from core.xlsx import MAX_UNPACKED, XlsxRefused, open_xlsx
from tests.assessments.worksheet_offline import helpers as h

BOMB = "isi arsipnya mencurigakan"


def _xlsx() -> bytes:
    workbook = Workbook()
    workbook.active.append(["kode", "nama"])
    out = io.BytesIO()
    workbook.save(out)
    return out.getvalue()


SST_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sharedStrings+xml"
SST_REL = "http://schemas.openxmlformats.org/officeDocument/2006/relationships/sharedStrings"


def _bomb(content: bytes, megabytes: int = 40) -> bytes:
    """`content` with a shared-strings part (listed, so openpyxl reads it whole as it opens
    the file) of `megabytes` MB that deflates to about 100 KB. Unguarded, openpyxl takes
    about 18 s and 265 MB to open the 40 MB one."""
    one = b"<si><t>A</t></si>"  # millions of tiny strings: slow and large to load
    strings = (
        b'<?xml version="1.0" encoding="UTF-8"?><sst '
        b'xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main">'
        + one * (megabytes * 1024 * 1024 // len(one))
        + b"</sst>"
    )
    out = io.BytesIO()
    with (
        zipfile.ZipFile(io.BytesIO(content)) as source,
        zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED, compresslevel=9) as target,
    ):
        names = source.namelist()
        for info in source.infolist():
            data = source.read(info)
            if info.filename == "xl/sharedStrings.xml":
                continue
            if info.filename == "[Content_Types].xml" and "xl/sharedStrings.xml" not in names:
                override = f'<Override PartName="/xl/sharedStrings.xml" ContentType="{SST_TYPE}"/>'
                data = data.replace(b"</Types>", override.encode() + b"</Types>")
            if info.filename == "xl/_rels/workbook.xml.rels" and SST_REL.encode() not in data:
                rel = f'<Relationship Id="rIdBomb" Type="{SST_REL}" Target="sharedStrings.xml"/>'
                data = data.replace(b"</Relationships>", rel.encode() + b"</Relationships>")
            target.writestr(info.filename, data)
        target.writestr("xl/sharedStrings.xml", strings)
    return out.getvalue()


def test_a_workbook_that_inflates_past_the_budget_is_refused_before_it_is_opened():
    bomb = _bomb(_xlsx())
    assert len(bomb) < 1024 * 1024  # small on the wire
    started = time.monotonic()
    with pytest.raises(XlsxRefused, match=BOMB):
        open_xlsx(bomb, unreadable="unreadable")
    assert time.monotonic() - started < 5


def test_the_real_decompressed_size_counts_not_only_the_directory():
    """Within the ratio but over the budget (here a budget of 64 KB): refused as it inflates."""
    content = _xlsx()
    assert open_xlsx(content, unreadable="x") is not None
    with pytest.raises(XlsxRefused, match=BOMB):
        open_xlsx(content, unreadable="x", max_unpacked=1024)
    assert MAX_UNPACKED == 25 * 1024 * 1024


def test_a_file_that_is_no_zip_is_unreadable_not_a_bomb():
    with pytest.raises(XlsxRefused, match="^unreadable$"):
        open_xlsx(b"PK\x03\x04 broken", unreadable="unreadable")


def test_the_table_and_instrument_imports_refuse_it():
    bomb = _bomb(_xlsx())
    with pytest.raises(TableError, match=BOMB):
        list(read_table("unit.xlsx", bomb))
    with pytest.raises(InstrumentImportError, match=BOMB):
        import_version(bomb, by=None)


@pytest.mark.django_db
def test_the_offline_workbook_upload_refuses_it_with_the_reason(assessment, client_for):
    assessment.status = Status.PEMBANGUNAN
    assessment.save()
    client = client_for("operator")
    workbook = h.download(client, assessment)
    bomb = _bomb(h.content(workbook), megabytes=30)
    assert len(bomb) < 5 * 1024 * 1024  # within the 5 MB the form takes
    response = h.upload(client, assessment, bomb)
    assert response.status_code == 422
    assert BOMB in response.content.decode()
    assert not Answer.objects.exists()

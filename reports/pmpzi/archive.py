"""Every proposed unit's PMPZI package of a period as one ZIP, written into the job's file as
it is made: `<year>/<unit code>/pmpzi.json` and `pmpzi.xlsx` per unit, `index.json`,
`schema.json` and `README.txt` at the top. Units are read in chunks (a few queries a chunk);
one unit's files are in memory at a time."""

from __future__ import annotations

import io
import json
import re
import zipfile
from collections.abc import Callable
from pathlib import Path
from typing import IO, Any

from django.utils import timezone

from assessments.models import Period
from reports.lke_workbook.archive import proposed_for
from reports.pmpzi.data import FORMAT, VERSION, portal_url, units_data
from reports.pmpzi.workbook import write_unit_workbook

HERE = Path(__file__).resolve().parent
SCHEMA = HERE / "schema.json"
README = HERE / "README.txt"
CHUNK = 100  # assessments read together


def pmpzi_zip_filename(period: Period) -> str:
    return f"PMPZI-usulan-KemenPANRB-{period.year}.zip"


def unit_folder(period: Period, code: str) -> str:
    safe = re.sub(r"[^A-Za-z0-9_-]+", "-", code).strip("-") or "unit"
    return f"{period.year}/{safe}"


def dump(doc: dict[str, Any]) -> bytes:
    return json.dumps(doc, ensure_ascii=False, indent=2, sort_keys=False).encode()


def write_pmpzi_zip(
    *, period: Period, reader, out: IO[bytes], progress: Callable[[int], None] | None = None
) -> int:
    """Writes the archive to `out`; returns how many units it holds. `reader` None (the
    command line) is everyone's proposed units and evidence."""
    assessments = list(proposed_for(period, reader).select_related("declaration"))
    units: list[dict[str, Any]] = []
    shown = 0  # the percent last reported: the job row is written when it moves
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED, allowZip64=True) as archive:
        for start in range(0, len(assessments), CHUNK):
            chunk = assessments[start : start + CHUNK]
            for number, doc in enumerate(units_data(chunk, reader), start=start + 1):
                folder = unit_folder(period, doc["unit"]["code"])
                archive.writestr(f"{folder}/pmpzi.json", dump(doc))
                buffer = io.BytesIO()
                write_unit_workbook(buffer, doc)
                archive.writestr(f"{folder}/pmpzi.xlsx", buffer.getvalue())
                units.append(
                    {
                        "code": doc["unit"]["code"],
                        "name": doc["unit"]["name"],
                        "status": doc["assessment"]["status"],
                        "predicate_proposed": doc["assessment"]["predicate_proposed"],
                        "tpi_answered": doc["tpi"]["answered"],
                        "json": f"{folder}/pmpzi.json",
                        "xlsx": f"{folder}/pmpzi.xlsx",
                    }
                )
                percent = 5 + 90 * number // len(assessments)
                if progress is not None and percent != shown:
                    progress(percent)
                    shown = percent
        archive.writestr("index.json", dump(_index(period, units)))
        archive.write(SCHEMA, "schema.json")
        archive.write(README, "README.txt")
    return len(assessments)


def _index(period: Period, units: list[dict[str, Any]]) -> dict[str, Any]:
    return {
        "format": f"{FORMAT}-index",
        "version": VERSION,
        "generated_at": timezone.now().isoformat(),
        "portal": portal_url(),
        "period": {
            "year": period.year,
            "name": period.name,
            "lke_version": period.lke_version.name,
        },
        "schema": "schema.json",
        "units": units,
        # Units TPI has not answered yet are in the package all the same, with empty answers.
        "units_without_tpi_answers": [u["code"] for u in units if not u["tpi_answered"]],
    }

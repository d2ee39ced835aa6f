"""LHE PDF render time (target: < 8 s for a ~20-page report with four layers).

    .venv/bin/python bench/lhe.py [--out /tmp/lhe-demo.pdf]

Migrates a throw-away database, loads the LKE and the demo data, takes the demo's GRANTED
assessment (answers in all four layers), adds a few evidence rows and renders its TPN-layer
LHE three times. Prints seconds per render, the page count and the peak RSS of the process.
"""

import argparse
import json
import resource
import shutil
import subprocess
import tempfile
import time
from pathlib import Path

from common import setup_django

engine = setup_django()

from django.core.management import call_command  # noqa: E402
from django.utils import timezone  # noqa: E402

from assessments.models import Assessment, Evidence, Layer, Status  # noqa: E402
from reports.lhe import render_lhe  # noqa: E402


def page_count(pdf: bytes) -> int:
    with tempfile.NamedTemporaryFile(suffix=".pdf") as handle:
        handle.write(pdf)
        handle.flush()
        pdfinfo = shutil.which("pdfinfo")
        if pdfinfo is None:
            return pdf.count(b"/Type /Page") - pdf.count(b"/Type /Pages")
        info = subprocess.run(  # noqa: S603 (our own temporary file)
            [pdfinfo, handle.name], capture_output=True, text=True, check=True
        ).stdout
    return int(next(line for line in info.splitlines() if line.startswith("Pages:")).split()[1])


def add_evidence(assessment: Assessment, count: int = 12) -> None:
    questions = list(assessment.period.lke_version.questions.order_by("code")[:count])
    by = assessment.answers.filter(layer=Layer.SELF).first().updated_by
    for n, question in enumerate(questions):
        Evidence.objects.create(
            assessment=assessment,
            kind="answer",
            question=question,
            url=f"https://arsip.kemenag.go.id/zi/{assessment.unit.code}/{question.code}.pdf",
            original_name=f"bukti-{question.code}.pdf",
            size=120_000 + 3_517 * n,
            sha256=f"{n:02x}" * 32,
            uploaded_by=by,
            removed_at=timezone.now() if n % 5 == 4 else None,
        )


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--out", type=Path, help="Also write the last render to this file.")
    parser.add_argument("--repeat", type=int, default=3)
    args = parser.parse_args()

    call_command("migrate", verbosity=0)
    call_command("load_lke", verbosity=0)
    call_command("seed_demo", verbosity=0)
    assessment = (
        Assessment.objects.filter(status=Status.GRANTED)
        .select_related("unit", "period")
        .order_by("pk")
        .first()
    )
    add_evidence(assessment)
    seconds, pdf = [], b""
    for _ in range(args.repeat):
        start = time.perf_counter()
        pdf = render_lhe(assessment=assessment, reader=None, layer=Layer.TPN)
        seconds.append(round(time.perf_counter() - start, 2))
    if args.out:
        args.out.write_bytes(pdf)
    results = {
        "database": engine,
        "unit": assessment.unit.name,
        "seconds_per_render": seconds,
        "pages": page_count(pdf),
        "bytes": len(pdf),
        "peak_rss_mb": round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024, 1),
    }
    print(json.dumps(results, indent=2))
    flag = "ok" if max(seconds) < 8 else "MISSED"
    print(f"worst render {max(seconds)} s (target < 8 s): {flag}")


if __name__ == "__main__":
    main()

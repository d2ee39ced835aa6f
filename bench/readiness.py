"""National readiness report at scale: 5,000 units, a period with 5,000 assessments whose self
and TPI layers are fully answered (≈ 1.1M answers), then readiness_rows and each renderer.

Targets: readiness_rows well under 30 s; XLSX < 30 s; PDF < 60 s; peak memory < 400 MB.
Each format is measured in a fresh child process (as one report job runs in one Celery worker
process), so its peak RSS is that of rows + renderer, not of the data set-up.

    .venv/bin/python bench/readiness.py
    BENCH_DATABASE_URL=postgres://postgres@127.0.0.1:5432/zi_bench_readiness \
        .venv/bin/python bench/readiness.py
"""

import datetime
import json
import os
import random
import resource
import subprocess
import sys
import time
from pathlib import Path

from common import ROOT, answer_patterns

YEAR = 2030
UNITS = 5000
PATTERNS = 24  # distinct answer sets, reused across assessments (set-up speed)
FORMATS = ("xlsx", "csv", "pdf")
TARGETS = {"rows_s": 30, "xlsx_s": 30, "csv_s": 30, "pdf_s": 60, "peak_rss_mb": 400}
STATUSES = [  # (status, share): every stage represented
    ("pencanangan", 0.08), ("pembangunan", 0.17), ("submitted", 0.05),
    ("preliminary_review", 0.10), ("tpi_review", 0.20), ("returned_tpi", 0.05),
    ("tpi_failed", 0.05), ("tpi_passed", 0.15), ("proposed", 0.10), ("granted", 0.05),
]  # fmt: skip


def peak_rss_mb() -> float:
    return round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024, 1)


# --------------------------------------------------------------------------- set-up (parent)


def build() -> dict:
    from django.core.management import call_command
    from django.db import transaction

    from areas.instrument_db import instrument_for
    from areas.models import LkeVersion
    from assessments.models import Answer, Assessment, Period, PredicateAward
    from units.models import Unit, User

    timings = {}
    start = time.perf_counter()
    call_command("migrate", verbosity=0)
    call_command("load_lke", verbosity=0)
    call_command("seed_demo", units=UNITS, verbosity=0)
    timings["seed_s"] = round(time.perf_counter() - start, 1)
    version = LkeVersion.objects.filter(status="published").first()
    instrument = instrument_for(version)
    questions = dict(version.questions.values_list("code", "id"))
    rng = random.Random(2030)
    patterns = answer_patterns(instrument, questions, rng, PATTERNS)
    admin = User.objects.filter(is_superuser=True).first()
    start = time.perf_counter()
    with transaction.atomic():
        period = Period.objects.create(
            year=YEAR,
            name=f"Periode bench {YEAR}",
            lke_version=version,
            deadline_pencanangan=datetime.date(YEAR, 2, 28),
            deadline_pembangunan=datetime.date(YEAR, 4, 30),
            deadline_penilaian=datetime.date(YEAR, 5, 31),
            deadline_pengusulan=datetime.date(YEAR, 6, 30),
            deadline_evaluasi=datetime.date(YEAR, 11, 30),
        )
        units = Unit.objects.order_by("pk").values_list("pk", flat=True)
        statuses = [s for s, share in STATUSES for _ in range(round(share * 1000))]
        Assessment.objects.bulk_create(
            [
                Assessment(
                    period=period, unit_id=unit_id, status=statuses[i % len(statuses)],
                    target_predicate="WBBM" if i % 10 == 0 else "WBK",
                )
                for i, unit_id in enumerate(units)
            ],
            batch_size=1000,
        )  # fmt: skip
        ids = list(period.assessments.order_by("pk").values_list("pk", flat=True))
        PredicateAward.objects.bulk_create(
            PredicateAward(unit_id=unit_id, year=YEAR - 2, predicate="WBK", sk_number=f"B-{i}")
            for i, unit_id in enumerate(units)
            if i % 10 == 0
        )  # every tenth unit already holds WBK: WBBM is within its reach
        batch = []
        for i, pk in enumerate(ids):
            for layer, pattern in (("self", i % PATTERNS), ("tpi", (i * 7 + 3) % PATTERNS)):
                batch += [
                    Answer(
                        assessment_id=pk, question_id=qid, layer=layer, value=value,
                        score=score, updated_by=admin,
                    )
                    for qid, value, score in patterns[pattern]
                ]  # fmt: skip
            if len(batch) >= 20000:
                Answer.objects.bulk_create(batch, batch_size=5000)
                batch = []
        Answer.objects.bulk_create(batch, batch_size=5000)
    timings["answers_s"] = round(time.perf_counter() - start, 1)
    timings["assessments"] = len(ids)
    timings["answers"] = Answer.objects.filter(assessment__period=period).count()
    return timings


def _child_env() -> dict:
    env = dict(os.environ)
    url = env.pop("BENCH_DATABASE_URL", None)
    if url:
        env["DATABASE_URL"] = url  # the child reuses the database built here
    env["READINESS_BENCH_CHILD"] = "1"
    return env


def main() -> None:
    from common import setup_django

    engine = setup_django()
    results = {"database": engine, "setup": build()}
    print(json.dumps(results["setup"]), flush=True)
    for fmt in FORMATS:
        child = subprocess.run(  # noqa: S603 (this very script, in a fresh process)
            [sys.executable, __file__, fmt], env=_child_env(), capture_output=True, text=True
        )
        if child.returncode != 0:
            sys.exit(child.stderr)
        results[fmt] = json.loads(child.stdout.strip().splitlines()[-1])
    _print(results)


def _print(results: dict) -> None:
    print(f"database: {results['database']}")
    print(f"{'measure':<24}{'value':>10}{'target':>10}")
    for fmt in FORMATS:
        r = results[fmt]
        lines = [
            (f"{fmt}.rows_s", r["rows_s"], TARGETS["rows_s"]),
            (f"{fmt}.render_s", r["render_s"], None),
            (f"{fmt}.total_s", r["total_s"], TARGETS[f"{fmt}_s"]),
            (f"{fmt}.peak_rss_mb", r["peak_rss_mb"], TARGETS["peak_rss_mb"]),
        ]
        for name, value, target in lines:
            flag = "" if target is None else ("ok" if value < target else "MISSED")
            shown = "" if target is None else f"< {target}"
            print(f"{name:<24}{value:>10}{shown:>10}  {flag}")
        extra = f", {r['pages']} pages" if "pages" in r else ""
        print(f"{fmt}: {r['rows']} rows, {r['bytes']:,} bytes{extra} -> {r['file']}")


# --------------------------------------------------------------------------- measure (child)


def measure(fmt: str) -> dict:
    sys.path.insert(0, str(ROOT))
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "zi_portal.settings")
    import django

    django.setup()
    from assessments.models import Period
    from reports import readiness, readiness_export

    period = Period.objects.select_related("lke_version").get(year=YEAR)
    filters = readiness.ReadinessFilters(period)
    start = time.perf_counter()
    rows = readiness.readiness_rows(filters)
    rows_s = time.perf_counter() - start
    start = time.perf_counter()
    data = readiness_export.RENDERERS[fmt](rows, filters)
    render_s = time.perf_counter() - start
    out = Path(os.environ["ZI_VAR_DIR"]) / readiness_export.readiness_filename(filters, fmt)
    out.write_bytes(data)
    result = {
        "rows": len(rows),
        "rows_s": round(rows_s, 2),
        "render_s": round(render_s, 2),
        "total_s": round(rows_s + render_s, 2),
        "peak_rss_mb": peak_rss_mb(),
        "bytes": len(data),
        "file": str(out),
    }
    if fmt == "pdf":
        info = subprocess.run(  # noqa: S603 (our own file)
            ["pdfinfo", str(out)],  # noqa: S607 (poppler-utils)
            capture_output=True,
            text=True,
        ).stdout
        pages = [line.split()[-1] for line in info.splitlines() if line.startswith("Pages:")]
        result["pages"] = int(pages[0]) if pages else None
    return result


if __name__ == "__main__":
    if os.environ.get("READINESS_BENCH_CHILD"):
        print(json.dumps(measure(sys.argv[1])))
    else:
        main()

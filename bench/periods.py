"""Opening a period for 5,000 units: one assessment per unit in one transaction. Target: well
under 30 s. Run with `python bench/periods.py` (uses a throw-away var dir, like bench/run.py).
"""

import datetime
import os
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "zi_portal.settings")
os.environ.setdefault("DJANGO_DEBUG", "1")
os.environ.setdefault("ZI_VAR_DIR", tempfile.mkdtemp(prefix="zi-bench-"))

import django  # noqa: E402

django.setup()

from django.core.management import call_command  # noqa: E402

from areas.models import LkeVersion  # noqa: E402
from assessments.models import Period  # noqa: E402
from assessments.stages.periods import period_open_for_units  # noqa: E402
from units.models import Unit, User  # noqa: E402

TARGET_S = 30


def main() -> float:
    call_command("migrate", verbosity=0)
    call_command("seed_demo", units=5000, verbosity=0)
    call_command("load_lke", verbosity=0)
    admin = User.objects.filter(is_superuser=True).first()
    year = 2026
    period = Period.objects.create(
        year=year,
        name=f"Periode bench {year}",
        lke_version=LkeVersion.objects.filter(status="published").first(),
        deadline_pencanangan=datetime.date(year, 2, 28),
        deadline_pembangunan=datetime.date(year, 4, 30),
        deadline_penilaian=datetime.date(year, 5, 31),
        deadline_pengusulan=datetime.date(year, 6, 30),
        deadline_evaluasi=datetime.date(year, 11, 30),
    )
    units = Unit.objects.active()
    start = time.perf_counter()
    created = period_open_for_units(period=period, units_queryset_or_ids=units, by=admin)
    elapsed = time.perf_counter() - start
    again_start = time.perf_counter()
    again = period_open_for_units(period=period, units_queryset_or_ids=units, by=admin)
    again_elapsed = time.perf_counter() - again_start
    flag = "ok" if elapsed < TARGET_S else "MISSED"
    print(f"period_open_for_units: {created} assessments in {elapsed:.2f} s (< {TARGET_S}) {flag}")
    print(f"reopening: {again} created in {again_elapsed:.2f} s")
    return elapsed


if __name__ == "__main__":
    main()

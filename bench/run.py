"""Speed targets of the scoring engine and the unit import, measured on this machine (not in
unit tests). Prints a table and writes bench/results-core.json (bench/results.json is the
national page bench's, bench/national.py). Run with `make bench`.

- LKE scoring: one full assessment < 2 ms; 5,000 assessments for a national table < 10 s.
- Unit import: 10,000 rows < 30 s. seed_demo --units 5000 < 60 s.
"""

import json
import os
import random
import statistics
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

from areas import scoring  # noqa: E402
from areas.instrument_yaml import default_instrument  # noqa: E402


def random_answers(instrument, rng):
    answers = {}
    for q in instrument.questions:
        if q.options:
            answers[q.code] = rng.choice(q.options).label
        else:
            answers[q.code] = rng.uniform(0, 100)
    hasil = {}
    for h in instrument.hasil:
        hasil[h.code] = rng.choice(h.options).label if h.options else round(rng.uniform(1, 4), 2)
    return answers, hasil


def bench_scoring(results):
    instrument = default_instrument()
    rng = random.Random(2021)
    sets = [random_answers(instrument, rng) for _ in range(5000)]
    scoring.score(instrument, *sets[0])  # build the instrument's index once
    timings = []
    for answers, hasil in sets[:500]:
        start = time.perf_counter()
        scoring.score(instrument, answers, hasil, "WBK")
        timings.append(time.perf_counter() - start)
    start = time.perf_counter()
    for answers, hasil in sets:
        scoring.score(instrument, answers, hasil, None).as_dict()
    national = time.perf_counter() - start
    results["scoring"] = {
        "one_assessment_ms_p50": round(statistics.median(timings) * 1000, 3),
        "one_assessment_ms_max": round(max(timings) * 1000, 3),
        "national_5000_s": round(national, 2),
    }


def bench_units(results):
    call_command("migrate", verbosity=0)
    start = time.perf_counter()
    call_command("seed_demo", units=5000, verbosity=0)
    seed = time.perf_counter() - start
    lines = ["code,name,kind,parent_code,province\n"]
    for k in range(100):
        lines.append(f"B{k},Kanwil Bench {k},kanwil,KEMENAG,P{k}\n")
        lines += [f"B{k}-{j},Kankemenag {k}-{j},kankemenag,B{k},P{k}\n" for j in range(99)]
    path = Path(os.environ["ZI_VAR_DIR"]) / "units.csv"
    path.write_text("".join(lines))
    start = time.perf_counter()
    call_command("import_units", str(path), verbosity=0)
    imported = time.perf_counter() - start
    results["units"] = {
        "seed_demo_5000_s": round(seed, 2),
        "import_10000_rows_s": round(imported, 2),
    }


def main():
    results = {}
    bench_scoring(results)
    bench_units(results)
    targets = {
        ("scoring", "one_assessment_ms_p50"): 2,
        ("scoring", "national_5000_s"): 10,
        ("units", "seed_demo_5000_s"): 60,
        ("units", "import_10000_rows_s"): 30,
    }
    print(f"{'measure':<40}{'value':>10}{'target':>10}")
    for (group, name), target in targets.items():
        value = results[group][name]
        flag = "ok" if value < target else "MISSED"
        print(f"{group + '.' + name:<40}{value:>10}{'< ' + str(target):>10}  {flag}")
    out = ROOT / "bench" / "results-core.json"
    out.write_text(json.dumps(results, indent=2))
    print(f"written {out}")


if __name__ == "__main__":
    main()

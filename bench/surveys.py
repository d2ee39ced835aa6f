"""Surveys at national scale (issue 18): `make bench` runs this after the pages.

Builds a PostgreSQL database (`BENCH_SURVEYS_DATABASE_URL`, default .../zi_bench_surveys; dropped
and recreated) with the demo's units up to --units (5,000), one service and one open IKM survey
per unit, serves it with gunicorn under production settings (DJANGO_DEBUG=0, Redis cache, one
sync worker per core, persistent connections) on a free port of 127.0.0.1 and, from
--concurrency client threads on the loopback interface, POSTs --responses (100,000) responses
to the public survey pages spread over all the units, as phones would: each thread reads a
unit's form once (its CSRF cookie and signed time stamp), waits out the form's minimum filling
time, then submits answers as ever new devices (no device cookie kept: one per device per day
would refuse the second).

Measures:
- submit: client-side latency of each POST (p50/p95/max), completed per wall second and per
  CPU second of gunicorn, refusals (anything but the redirect to the thank-you page).
- rows: responses stored afterwards (must equal the accepted POSTs: one insert each).
- national_summary: the dashboard's survey summary for the whole country (every survey's sums
  in one aggregate query, then the IKM per unit and the national and per-Kanwil figures), timed
  in-process (best and median of --repeat) and as the admin's dashboard page over HTTP.

Targets (issue 18): submit p95 < 50 ms; national summary < 2 s.

    .venv/bin/python bench/surveys.py [--units 5000] [--responses 100000] [--concurrency 4]
        [--repeat 5] [--reuse]

Writes bench/results-surveys.json.
"""

from __future__ import annotations

import argparse
import html
import json
import os
import random
import re
import secrets
import shutil
import statistics
import subprocess
import sys
import threading
import time
from pathlib import Path
from urllib.parse import urlencode

BENCH = Path(__file__).resolve().parent
sys.path.insert(0, str(BENCH))

from common import ROOT, setup_django  # noqa: E402
from loadgen import FORM, Connection, Server, login, percentile  # noqa: E402

DEFAULT_URL = "postgres://postgres@127.0.0.1:5432/zi_bench_surveys"
PASSWORD = "bench-password-1"  # noqa: S105 (the throw-away bench database's demo accounts)
HIDDEN = re.compile(rb'<input[^>]*type="hidden"[^>]*name="([^"]+)"[^>]*value="([^"]*)"')
RADIO = re.compile(rb'<input[^>]*type="radio"[^>]*name="([^"]+)"[^>]*value="([^"]*)"')
SELECT = re.compile(rb'<select[^>]*name="([^"]+)"[^>]*>(.*?)</select>', re.S)
OPTION = re.compile(rb'<option[^>]*value="([^"]+)"')
DEVICE_COOKIE = "zi_survey_device"
TARGETS = {"submit_p95_ms": 50, "national_summary_s": 2}


def build(units: int) -> dict:
    """Units, services and open surveys; returns the public tokens."""
    import datetime

    from django.core.management import call_command
    from django.db import connection, transaction
    from django.utils import timezone

    from assessments.models import Period
    from surveys.instruments import current
    from surveys.models import Service, Survey
    from units.models import Unit

    start = time.perf_counter()
    call_command("migrate", verbosity=0)
    call_command("load_lke", verbosity=0)
    call_command("seed_demo", units=units, password=PASSWORD, verbosity=0)
    period = Period.objects.order_by("-year").first()
    ikm = current("ikm")
    today = timezone.localdate()
    unit_ids = list(Unit.objects.order_by("pk").values_list("pk", flat=True)[:units])
    with transaction.atomic():
        Service.objects.bulk_create(Service(unit_id=pk, name="Pelayanan umum") for pk in unit_ids)
        Survey.objects.bulk_create(
            Survey(
                unit_id=pk, period=period, instrument=ikm, name="Semester bench",
                opens_on=today - datetime.timedelta(days=30),
                closes_on=today + datetime.timedelta(days=30),
                token=secrets.token_urlsafe(9),
            )
            for pk in unit_ids
        )  # fmt: skip
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE")
    tokens = list(Survey.objects.values_list("token", flat=True))
    return {"tokens": tokens, "build_s": round(time.perf_counter() - start, 1)}


def form_of(conn: Connection, token: str) -> tuple[dict, list[tuple[str, list[str]]], dict]:
    """The form's hidden fields, its radio groups and its selects, read from the page."""
    page = conn.request("GET", f"/survei/{token}/")
    if page.status != 200:
        raise SystemExit(f"survey page: HTTP {page.status}")
    conn.cookies.pop(DEVICE_COOKIE, None)
    text = lambda raw: html.unescape(raw.decode())  # noqa: E731
    hidden = {text(k): text(v) for k, v in HIDDEN.findall(page.body)}
    groups: dict[str, list[str]] = {}
    for name, value in RADIO.findall(page.body):
        groups.setdefault(text(name), []).append(text(value))
    selects = {
        text(name): [text(v) for v in OPTION.findall(body)]
        for name, body in SELECT.findall(page.body)
    }
    return hidden, list(groups.items()), selects


def post_responses(port: int, tokens: list[str], total: int, concurrency: int) -> dict:
    lock = threading.Lock()
    sent, samples, refused = [0], [], []
    per_thread = [tokens[i::concurrency] for i in range(concurrency)]

    def worker(own: list[str], seed: int) -> None:
        rng = random.Random(seed)
        conn = Connection(port)
        # A thread's units' forms are read first; a form may be sent back 2 s after it was
        # shown (the spam check), so the posting starts once the last one is old enough.
        forms = [(token, *form_of(conn, token)) for token in own]
        time.sleep(2.2)
        while True:
            token, hidden, groups, selects = rng.choice(forms)
            with lock:
                if sent[0] >= total:
                    break
                sent[0] += 1
            data = dict(hidden)
            for name, values in groups:
                data[name] = rng.choice([v for v in values if v] or values)
            for name, values in selects.items():
                if values:
                    data[name] = rng.choice(values)
            conn.cookies.pop(DEVICE_COOKIE, None)
            response = conn.request("POST", f"/survei/{token}/", urlencode(data).encode(), FORM)
            conn.cookies.pop(DEVICE_COOKIE, None)
            with lock:
                if (
                    response.status == 302
                    and b"terima-kasih" in response.headers.get("Location", "").encode()
                ):
                    samples.append(response.ms)
                else:
                    refused.append(f"HTTP {response.status}: {response.body[:200]!r}")
        conn.close()

    threads = [threading.Thread(target=worker, args=(own, i)) for i, own in enumerate(per_thread)]
    started = time.perf_counter()
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    wall = time.perf_counter() - started
    samples.sort()
    return {
        "posted": sent[0],
        "accepted": len(samples),
        "refused": len(refused),
        "refusals": refused[:5],
        "p50_ms": round(percentile(samples, 0.5), 1),
        "p95_ms": round(percentile(samples, 0.95), 1),
        "max_ms": round(samples[-1], 1) if samples else None,
        "rps_wall": round(len(samples) / wall, 1),
        "wall_s": round(wall, 1),
    }


def national_summary(repeat: int) -> dict:
    """The admin's survey summary of the country (surveys.summaries, as the dashboard calls
    it) and the whole dashboard it is part of, each timed in-process."""
    from reports.dashboards import dashboard_data, filter_options, parse_filters
    from surveys.summaries import survey_summaries
    from units.models import User

    admin = User.objects.get(email="admin@demo.id")

    def summary():
        options = filter_options(admin)
        return survey_summaries(admin, parse_filters({}, options), options.groups)

    out = {}
    for name, fn in (("summary", summary), ("dashboard", lambda: dashboard_data(admin, {}))):
        times = []
        for _ in range(repeat):
            start = time.perf_counter()
            fn()
            times.append(time.perf_counter() - start)
        out[f"{name}_best_s"] = round(min(times), 3)
        out[f"{name}_median_s"] = round(statistics.median(times), 3)
    return out


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--units", type=int, default=5000)
    parser.add_argument("--responses", type=int, default=100_000)
    parser.add_argument("--concurrency", type=int, default=4)
    parser.add_argument("--repeat", type=int, default=5)
    parser.add_argument("--reuse", action="store_true", help="Keep the database as it is.")
    args = parser.parse_args()
    url = os.environ.get("BENCH_SURVEYS_DATABASE_URL", DEFAULT_URL)
    if not args.reuse:
        os.environ["BENCH_DATABASE_URL"] = url
    setup_django(existing_url=url if args.reuse else None)
    from surveys.models import Survey, SurveyResponse

    results: dict = {"units": args.units, "responses": args.responses}
    if args.reuse:
        tokens = list(Survey.objects.values_list("token", flat=True))
    else:
        built = build(args.units)
        tokens, results["build_s"] = built["tokens"], built["build_s"]
    before = SurveyResponse.objects.count()
    static_root = Path(os.environ["ZI_VAR_DIR"]) / "staticfiles"
    env = {
        **os.environ, "ZI_STATIC_ROOT": str(static_root), "DATABASE_URL": url,
        "DJANGO_DEBUG": "0", "ZI_RATELIMIT_ENABLE": "0",
        "DJANGO_CONN_MAX_AGE": "60", "REDIS_URL": "redis://127.0.0.1:6379/6",
    }  # fmt: skip
    subprocess.run(  # noqa: S603 (production static files: the manifest storage needs them)
        [sys.executable, "manage.py", "collectstatic", "--noinput", "-v", "0"],
        env=env, cwd=ROOT, check=True,
    )  # fmt: skip
    gunicorn = shutil.which("gunicorn", path=str(Path(sys.executable).parent))
    log = BENCH / "surveys-server.log"
    server = Server(gunicorn, ROOT, env, workers=os.cpu_count() or 2, log=log)
    try:
        cpu_before = server.cpu()
        submit = post_responses(server.port, tokens, args.responses, args.concurrency)
        cpu = server.cpu() - cpu_before
        submit["rps_per_core"] = round(submit["accepted"] / cpu, 1) if cpu else None
        results["submit"] = submit
        results["rows"] = SurveyResponse.objects.count() - before
        results["national_summary"] = national_summary(args.repeat)
        cookies = login(server.port, "admin@demo.id", PASSWORD)
        conn = Connection(server.port, cookies)
        pages = []
        for _ in range(args.repeat):
            response = conn.request("GET", "/dashboard/")
            pages.append(response.ms)
        conn.close()
        results["national_summary"]["dashboard_page_ms"] = round(statistics.median(pages), 1)
    finally:
        server.stop()
    results["targets"] = {
        "submit_p95_ms": [TARGETS["submit_p95_ms"], results["submit"]["p95_ms"]],
        "national_summary_s": [
            TARGETS["national_summary_s"],
            results["national_summary"]["summary_median_s"],
        ],
    }
    (BENCH / "results-surveys.json").write_text(json.dumps(results, indent=2) + "\n")
    print(json.dumps(results, indent=2))


if __name__ == "__main__":
    main()

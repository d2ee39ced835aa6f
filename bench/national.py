"""Pages and reports at national scale (issue 8): `make bench` runs this.

Builds two PostgreSQL databases, `<name>_small` with 50 units and `<name>` with 5,000 (both
dropped and recreated; bench/national_data.py), in which the demo period holds one assessment
per unit, each with full answers in all four layers and one evidence row per item. Each is
served by gunicorn with production settings (DJANGO_DEBUG=0, Redis cache, one sync worker per
core) on a free port of 127.0.0.1, and loaded from threads on the loopback interface
(bench/loadgen.py): every persona signs in through the real login form, then each page gets at
most --max-requests requests (fewer for login and the 5 MB upload) or --max-seconds seconds,
whichever comes first. Reports (LHE PDF, readiness XLSX and PDF) are timed in-process on the
5,000-unit database, calling the render functions of reports/ as a report job does.

Measures, per page:
- p50_ms / p95_ms: client-side latency of one request (connect, send, server, read).
- rps_per_core: completed requests / CPU seconds used by the gunicorn master and workers during
  that page's run (utime + stime from /proc). The database's CPU is not in it; the
  `machine_cpu_ms_per_request` beside it counts every process on the machine (noisy when
  other work runs, see `load_avg`).
- rps_wall: completed requests / wall-clock seconds, at `concurrency` client threads.
- first_ms: the first (warm-up, not counted) request. The dashboards compute their figures on
  every request (from the tally kept with the answers; there is no figure cache).

The server runs with persistent database connections (DJANGO_CONN_MAX_AGE=60, as in
docker-compose.yml) and its own Redis database (6379/5, flushed before each scale).

Rate limiting is switched off for the bench server (ZI_RATELIMIT_ENABLE=0): the login
bench signs the same account in hundreds of times a minute from one address, which the
login rate limit exists to refuse. django-axes stays on (it only counts failures).

floor_view / floor_layout: the same server's bare signed-in view (full middleware, "ok") and
bare layout (base.html, no content); every page's `floor_share` is its rps_per_core over the
layout's (issue 16).

slow_link: the worksheet in Chromium at 50 KB/s and 400 ms latency (bench/slow_link.py; issue
15 targets 1.2 s for a tab once static files are cached).

mix / mix_small: the deadline-week mix on the same server after the pages (bench/mix.py):
every persona at once for --mix-seconds, per action p50/p95, rps/core, error rate and the
database's share of the server CPU.

Reports: each in a fresh process (its peak memory its own): the LHE beside a bare WeasyPrint
table of as many rows (`lhe_vs_bare`), the readiness report as XLSX, CSV and PDF.

Targets (issue 16, bench/targets.py), every request fresh: home pages, queues, unit tree,
notifications p95 < 100 ms, >= 150 req/s/core and >= 40 % of the bare layout's; worksheet
p95 < 120 ms and >= 40 req/s/core; autosave p95 < 50 ms; upload of 5 MB p95 < 200 ms;
dashboards p95 < 500 ms; at 5,000 units at most 1.2x the figure at 50; LHE < 4 s and <= 1.3x
bare; readiness XLSX < 10 s, CSV < 5 s, PDF < 20 s and < 300 MB.

    .venv/bin/python bench/national.py [--units 5000] [--small-units 50] [--max-requests 300]
        [--max-seconds 10] [--concurrency 4] [--only PAGE ...] [--skip-small] [--skip-reports]
        [--mix-seconds 60] [--mix-threads 4] [--reuse] [--app-dir DIR]

Writes bench/results.json; BENCH_DATABASE_URL names the large database
(default postgres://postgres@127.0.0.1:5432/zi_bench).
"""

from __future__ import annotations

import argparse
import itertools
import json
import os
import re
import resource
import shutil
import signal
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import mix
import slow_link
from common import pdf_bytes
from loadgen import (
    CSRF_COOKIES,
    FORM,
    Page,
    Server,
    autosave,
    cookie_of,
    learn_revision,
    login,
    login_body,
    login_form,
    run_page,
)
from targets import (
    PERSONAS,
    REPORT_TARGETS,
    TARGETS,
    UNCACHED,
    machine,
    print_table,
    speed_ms,
    target_text,
)

ROOT = Path(__file__).resolve().parent.parent
BENCH = ROOT / "bench"
VENV_BIN = Path(sys.executable).parent
DEFAULT_URL = "postgres://postgres@127.0.0.1:5432/zi_bench"
PASSWORD = "Demo-ZI-2026!"  # noqa: S105 (the published demo password)
MB = 1024 * 1024


# --------------------------------------------------------------------------- pages


def _get(path: str, headers: dict | None = None):
    return lambda state: ("GET", path, None, headers or {})


_FRESH = itertools.count()


def _get_uncached(path: str):
    """A GET whose address is new each time, so the page body is never in the cache."""
    sep = "&" if "?" in path else "?"
    return lambda state: ("GET", f"{path}{sep}uncached={next(_FRESH)}", None, {})


def _multipart(question: int, size: int) -> tuple[bytes, str]:
    boundary = "zi-bench-7d1f0c"
    head = (
        f'--{boundary}\r\nContent-Disposition: form-data; name="question"\r\n\r\n{question}\r\n'
        f'--{boundary}\r\nContent-Disposition: form-data; name="files"; '
        f'filename="bukti-5mb.pdf"\r\nContent-Type: application/pdf\r\n\r\n'
    ).encode()
    content = pdf_bytes(os.urandom(size - 400))  # incompressible, like a scanned document
    return head + content + f"\r\n--{boundary}--\r\n".encode(), boundary


def pages(ids: dict, port: int, csrf: dict[str, str], args) -> list[Page]:
    own, proposed = ids["own_assessment"], ids["proposed_assessment"]
    form_cookies, form_token = login_form(port)
    body, boundary = _multipart(ids["upload_question"], 5 * MB)
    upload_headers = {
        "Content-Type": f"multipart/form-data; boundary={boundary}",
        "Accept": "application/json",
        "X-CSRFToken": csrf["operator"],
    }
    pages = [
        Page(
            "login", "anonymous",
            lambda state: ("POST", "/accounts/login/",
                           login_body(PERSONAS["operator"], PASSWORD, form_token), FORM),
            status=302, max_requests=args.login_requests, keep_cookies=False,
            state=lambda i: {"cookies": form_cookies},
        ),
        *[
            Page(f"home_{role}", role, _get("/"), text=b"Selamat datang")
            for role in PERSONAS
        ],
        Page("unit_tree", "reviewer", _get("/units/"), text=ids["kanwil_code"].encode()),
        Page("notifications", "operator", _get("/notifications/"), text=b"<h1"),
        Page("unit_tree_national", "admin", _get(f"/units/{ids['pusat_code']}/"),
             text=ids["kanwil_code"].encode()),
        Page("floor_view", "operator", _get("/bench/floor/ok/"), text=b"ok"),
        Page("floor_layout", "operator", _get("/bench/floor/layout/"), text=b"ZI Portal"),
        Page("worksheet", "operator", _get(f"/assessments/{own}/worksheet/?tab=1"),
             text=b'name="revision"'),
        Page("worksheet_4_layers", "tpn", _get(f"/assessments/{proposed}/worksheet/?tab=1"),
             text=b'<th scope="row">TPN</th>'),
        Page("autosave", "operator", autosave(ids["autosave"], own, csrf["operator"]),
             text=b"Tersimpan", after=learn_revision,
             state=lambda i: {"index": i}, warm_each_state=True),
        Page("upload_5mb", "operator",
             lambda state: ("POST", f"/assessments/{own}/evidence/upload/", body,
                            upload_headers),
             text=b'"rejected": []', max_requests=args.upload_requests),
        Page("reviewer_queue", "reviewer", _get("/queue/"), text=b'<td><a href="/assessments/'),
        Page("tpi_queue", "tpi", _get("/queue/"), text=b'<td><a href="/assessments/'),
        Page("dashboard_national", "admin", _get("/dashboard/"), text=b"<svg"),
        Page("dashboard_kanwil", "reviewer", _get("/dashboard/"), text=b"<svg"),
    ]  # fmt: skip
    return [
        *pages,
        *[
            Page(
                f"{page.name}_uncached",
                page.role,
                _get_uncached(page.build({})[1]),
                text=page.text,
            )  # fmt: skip
            for page in pages
            if page.name in UNCACHED
        ],
    ]


# --------------------------------------------------------------------------- one scale


def _small_url(url: str) -> str:
    base, _, name = url.rpartition("/")
    return f"{base}/{name}_small"


def build(url: str, units: int, env: dict) -> dict:
    start = time.perf_counter()
    child = subprocess.run(  # noqa: S603 (our own script)
        [sys.executable, str(BENCH / "national_data.py"), str(units)],
        env={**env, "BENCH_DATABASE_URL": url}, cwd=BENCH, capture_output=True, text=True,
    )  # fmt: skip
    if child.returncode != 0:
        sys.exit(f"building {url} failed:\n{child.stderr[-3000:]}")
    info = json.loads(child.stdout.strip().splitlines()[-1])
    info["timings"]["total_s"] = round(time.perf_counter() - start, 1)
    return info


def server_env(env: dict, url: str) -> dict:
    return {
        **env,
        "DATABASE_URL": url,
        "DJANGO_DEBUG": "0",
        "DJANGO_SECRET_KEY": "bench-only-secret-" + "x" * 40,
        "DJANGO_SECURE_SSL_REDIRECT": "0",
        "DJANGO_ALLOWED_HOSTS": "127.0.0.1,localhost",
        "CACHE_URL": "redis://127.0.0.1:6379/5",
        "ZI_RATELIMIT_ENABLE": "0",
        "ZI_BENCH_FLOOR": "1",  # /bench/floor/ok/ and /bench/floor/layout/
        # Report requests of the mix are queued (no worker renders them during the bench).
        "CELERY_BROKER_URL": "redis://127.0.0.1:6379/6",
        "DJANGO_LOG_LEVEL": "WARNING",
        "DJANGO_CONN_MAX_AGE": os.environ.get("DJANGO_CONN_MAX_AGE", "60"),  # as production
    }


def measure(url: str, info: dict, env: dict, args) -> dict:
    import redis

    # The bench's own cache database: nothing cached from the other scale or an earlier run.
    for name in ("CACHE_URL", "CELERY_BROKER_URL"):
        redis.Redis.from_url(server_env(env, url)[name]).flushdb()
    workers = os.cpu_count() or 1
    server = Server(
        str(VENV_BIN / "gunicorn"), args.app_dir, server_env(env, url), workers,
        Path(env["ZI_VAR_DIR"]) / "gunicorn.log",
    )  # fmt: skip
    results = {}
    try:
        cookies = {role: login(server.port, email, PASSWORD) for role, email in PERSONAS.items()}
        csrf = {role: cookie_of(jar, CSRF_COOKIES) for role, jar in cookies.items()}
        for page in pages(info["ids"], server.port, csrf, args):
            if args.only and page.name not in args.only:
                continue
            page.max_requests = min(page.max_requests, args.max_requests)
            jar = cookies.get(page.role) or page.state(0).get("cookies", {})
            results[page.name] = run_page(
                page, server.port, jar, server, concurrency=args.concurrency,
                max_seconds=args.max_seconds,
                warmup=1 if page.name in ("upload_5mb", "login") else 2,
            )  # fmt: skip
            r = results[page.name]
            print(
                f"  {page.name:<22} p50 {r['p50_ms']:>8} ms  p95 {r['p95_ms']:>8} ms  "
                f"{r['rps_per_core']!s:>7} req/s/core  {r['rps_wall']!s:>6} req/s  "
                f"n={r['requests']} errors={r['errors']}",
                flush=True,
            )
            if r["errors"]:
                print(f"    e.g. {r['error_sample'][0]}", flush=True)
        # Each page's throughput as a share of the bare layout's, in the same run: a figure
        # that holds on a machine whose speed changes from one minute to the next.
        floor = (results.get("floor_layout") or {}).get("rps_per_core")
        for r in results.values():
            if floor and r.get("rps_per_core"):
                r["floor_share"] = round(r["rps_per_core"] / floor, 2)
        if not args.only or "mix" in args.only:
            body, boundary = _multipart(info["ids"]["upload_question"], 5 * MB)
            print(f"  mix: {args.mix_threads} threads for {args.mix_seconds} s ...", flush=True)
            results["mix"] = r = mix.run_mix(
                mix.deadline_week(info["ids"], csrf, (body, boundary)), server.port, cookies,
                server, threads=args.mix_threads, seconds=args.mix_seconds,
            )  # fmt: skip
            if floor and r["rps_per_core"]:
                r["floor_share"] = round(r["rps_per_core"] / floor, 2)
            mix.print_mix(r)
        if not args.only or "slow_link" in args.only:
            own = info["ids"]["own_assessment"]
            results["slow_link"] = r = slow_link.measure(
                server.port, PERSONAS["operator"], PASSWORD, own
            )
            print(f"  {'slow_link':<22} {r}", flush=True)
    finally:
        server.stop()
    return results


# --------------------------------------------------------------------------- reports


def reports(url: str, ids: dict, env: dict) -> dict:
    """Each report in a fresh process of its own, so that its peak memory is its own."""
    out = {}
    for which in ("lhe", "readiness_xlsx", "readiness_csv", "readiness_pdf"):
        child = subprocess.run(  # noqa: S603 (this very script, in a fresh process)
            [sys.executable, __file__, "--reports-child", which, json.dumps(ids)],
            env=server_env(env, url), cwd=BENCH, capture_output=True, text=True,
        )  # fmt: skip
        if child.returncode != 0:
            sys.exit(f"report {which} failed:\n{child.stderr[-3000:]}")
        out |= json.loads(child.stdout.strip().splitlines()[-1])
    if out.get("lhe_s") and out.get("lhe_bare_s"):
        out["lhe_vs_bare"] = round(out["lhe_s"] / out["lhe_bare_s"], 2)
    return out


def _peak_mb() -> float:
    return round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024, 1)


def _bare_weasyprint(html: str) -> float:
    """Seconds WeasyPrint takes for the LHE's own rows and words with no stylesheet, classes
    or column widths: what any PDF of that content costs, the yardstick of the LHE (issue 16)."""
    from weasyprint import HTML

    bare = re.sub(r"<style.*?</style>|<colgroup>.*?</colgroup>", "", html, flags=re.S)
    bare = re.sub(r'\s(class|style)="[^"]*"', "", bare)
    HTML(string=bare).write_pdf()  # WeasyPrint's start-up (fonts), as the LHE's first render
    start = time.perf_counter()
    HTML(string=bare).write_pdf()
    return round(time.perf_counter() - start, 2)


def reports_child(which: str, ids: dict) -> dict:
    """Time one report renderer as a report job calls it (in a Celery worker process)."""
    sys.path.insert(0, str(ROOT))
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "zi_portal.settings")
    import django

    django.setup()
    from django.template.loader import render_to_string

    from assessments.models import Assessment, Layer, Period
    from reports import readiness, readiness_export
    from reports.lhe import TEMPLATE, lhe_context, render_lhe

    out = {}
    if which == "lhe":
        assessment = Assessment.objects.select_related("unit", "period").get(
            pk=ids["granted_assessment"] or ids["proposed_assessment"]
        )
        for key in ("lhe_first_s", "lhe_s"):  # the first includes WeasyPrint's start-up
            start = time.perf_counter()
            pdf = render_lhe(assessment=assessment, reader=None, layer=Layer.TPN)
            out[key] = round(time.perf_counter() - start, 2)
        out["lhe_bytes"] = len(pdf)
        html = render_to_string(
            TEMPLATE, lhe_context(assessment=assessment, reader=None, layer=Layer.TPN)
        )
        out["lhe_table_rows"] = html.count("<tr")
        out["lhe_bare_s"] = _bare_weasyprint(html)
        out["lhe_peak_mb"] = _peak_mb()
        return out
    fmt = which.removeprefix("readiness_")
    period = Period.objects.select_related("lke_version").get(year=ids["period_year"])
    filters = readiness.ReadinessFilters(period)
    start = time.perf_counter()
    rows = readiness.readiness_rows(filters)
    rows_s = time.perf_counter() - start
    data = readiness_export.RENDERERS[fmt](rows, filters)
    out[f"readiness_{fmt}_s"] = round(time.perf_counter() - start, 2)
    out[f"readiness_{fmt}_rows_s"] = round(rows_s, 2)
    out[f"readiness_{fmt}_bytes"] = len(data)
    out[f"readiness_{fmt}_peak_mb"] = _peak_mb()
    out["readiness_rows"] = len(rows)
    return out


# --------------------------------------------------------------------------- output


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n", 1)[0])
    parser.add_argument("--units", type=int, default=5000)
    parser.add_argument("--small-units", type=int, default=50)
    parser.add_argument("--max-requests", type=int, default=300)
    parser.add_argument("--max-seconds", type=float, default=10)
    parser.add_argument("--login-requests", type=int, default=60)
    parser.add_argument("--upload-requests", type=int, default=20)
    parser.add_argument("--concurrency", type=int, default=4)
    parser.add_argument("--only", nargs="*", help="Only these pages (mix: the mix).")
    parser.add_argument("--mix-seconds", type=float, default=60)
    parser.add_argument("--mix-threads", type=int, default=4)  # two per gunicorn worker
    parser.add_argument("--skip-small", action="store_true")
    parser.add_argument("--skip-reports", action="store_true")
    parser.add_argument("--reuse", action="store_true", help="Keep the databases already built.")
    parser.add_argument("--out", type=Path, default=BENCH / "results.json")
    parser.add_argument(
        "--app-dir", type=Path, default=ROOT,
        help="Serve this checkout (e.g. `git archive` of an older commit) to compare.",
    )  # fmt: skip
    args = parser.parse_args()
    signal.signal(signal.SIGTERM, lambda *_: sys.exit(143))  # so that the server is stopped
    if not (1 <= args.max_requests <= 2000 and 1 <= args.max_seconds <= 120):
        sys.exit("--max-requests must be 1..2000 and --max-seconds 1..120")
    if not (5 <= args.mix_seconds <= 600 and 1 <= args.mix_threads <= 32):
        sys.exit("--mix-seconds must be 5..600 and --mix-threads 1..32")
    if not 1 <= args.concurrency <= 16:
        sys.exit("--concurrency must be 1..16")
    for page in ("login_requests", "upload_requests"):
        setattr(args, page, min(getattr(args, page), args.max_requests))

    url = os.environ.get("BENCH_DATABASE_URL") or DEFAULT_URL
    var_dir = Path(tempfile.mkdtemp(prefix="zi-bench-national-"))
    env = {k: v for k, v in os.environ.items() if k not in ("DATABASE_URL", "BENCH_DATABASE_URL")}
    env |= {"ZI_VAR_DIR": str(var_dir), "ZI_STATIC_ROOT": str(var_dir / "staticfiles")}
    results = {
        "units": args.units,
        "units_small": args.small_units,
        "machine": machine(),
        "load_avg": {"start": list(os.getloadavg())},
        "definitions": {
            "p50_ms/p95_ms": "client-side latency per request on 127.0.0.1 (nearest rank)",
            "rps_per_core": "completed requests / CPU seconds of gunicorn master + workers",
            "rps_wall": "completed requests / wall-clock seconds at `concurrency` threads",
            "machine.speed_ms_*": "a fixed pure-Python workload before each scale, best of 5 "
            "(ms, lower is faster): shared cores vary over time; compare runs by it",
            "*_uncached": "the page at a new address on every request; until issue 14 this missed "
            "its cached body, now no page is cached and it equals the page's own row",
        },
        "targets": {name: target_text(name) for name in TARGETS}
        | {key: f"< {value} s" for key, value in REPORT_TARGETS.items()},
        "setup": {},
    }
    start = time.perf_counter()
    try:
        subprocess.run(  # noqa: S603 (production static files: the manifest storage needs them)
            [sys.executable, "manage.py", "collectstatic", "--noinput", "-v", "0"],
            env=server_env(env, url), cwd=ROOT, check=True,
        )  # fmt: skip
        scales = [] if args.skip_small else [("pages_small", _small_url(url), args.small_units)]
        scales.append(("pages", url, args.units))
        for key, db_url, units in scales:
            name = db_url.rsplit("/", 1)[-1]
            saved = Path(tempfile.gettempdir()) / f"zi-bench-{name}-{units}.json"
            if args.reuse and saved.exists():
                info = json.loads(saved.read_text())
            else:
                print(f"building {units} units in {name} ...", flush=True)
                info = build(db_url, units, env)
                saved.write_text(json.dumps(info))
            print(f"  {json.dumps({k: v for k, v in info.items() if k != 'ids'})}", flush=True)
            results["setup"][str(units)] = {k: v for k, v in info.items() if k != "ids"}
            results["load_avg"][key] = list(os.getloadavg())
            results["machine"][f"speed_ms_{key}"] = speed = speed_ms()
            print(
                f"measuring {units} units (load average {os.getloadavg()[0]:.2f}, "
                f"speed {speed} ms: lower is faster) ...",
                flush=True,
            )
            results[key] = measure(db_url, info, env, args)
            if "mix" in results[key]:
                results["mix" if key == "pages" else "mix_small"] = results[key].pop("mix")
        if not args.skip_reports:
            print("timing reports at national scale ...", flush=True)
            results["reports"] = reports(url, info["ids"], env)
    finally:
        shutil.rmtree(var_dir, ignore_errors=True)
    results["load_avg"]["end"] = list(os.getloadavg())
    results["total_s"] = round(time.perf_counter() - start, 1)
    print_table(results)
    args.out.write_text(json.dumps(results, indent=2) + "\n")
    print(f"written {args.out} in {results['total_s']} s")


if __name__ == "__main__":
    if len(sys.argv) == 4 and sys.argv[1] == "--reports-child":
        print(json.dumps(reports_child(sys.argv[2], json.loads(sys.argv[3]))))
    else:
        main()

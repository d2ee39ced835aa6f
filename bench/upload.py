"""Evidence upload speed and memory, measured on this machine (not in unit tests).

Two paths, each with a 20 MB file of incompressible content:

- service: `evidence_upload` on a file already on disk, as Django's upload handler leaves it
  (validation, SHA-256 while streaming in chunks, storing, the database row);
- http: the upload view behind a real HTTP connection on the loopback interface (multipart
  parsing, size cap, CSRF, session, then the service), the request body streamed from disk.

Targets: throughput >= 50 MB/s; peak RSS growth < 20 MB (a file is never held in memory).
Everything happens in a temporary directory (database, storage) removed at the end; the
server listens on 127.0.0.1 only, on a free port, for the duration of the run.

Run: .venv/bin/python bench/upload.py [--size-mb 20] [--runs 5]
"""

import argparse
import datetime
import http.client
import os
import resource
import shutil
import statistics
import sys
import tempfile
import threading
import time
import tracemalloc
from pathlib import Path
from wsgiref.simple_server import WSGIRequestHandler, WSGIServer, make_server

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
WORK = Path(tempfile.mkdtemp(prefix="zi-bench-upload-"))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "zi_portal.settings")
os.environ.setdefault("DJANGO_DEBUG", "1")
os.environ["ZI_VAR_DIR"] = str(WORK / "var")
os.environ["ZI_PRIVATE_STORAGE"] = str(WORK / "var" / "private")
os.environ.pop("DATABASE_URL", None)  # always the temporary SQLite database

import django  # noqa: E402
from common import pdf_bytes  # noqa: E402

django.setup()

from django.conf import settings  # noqa: E402
from django.core.files.uploadedfile import TemporaryUploadedFile  # noqa: E402
from django.core.management import call_command  # noqa: E402
from django.core.wsgi import get_wsgi_application  # noqa: E402
from django.db import connection  # noqa: E402
from django.test import Client  # noqa: E402
from django.urls import reverse  # noqa: E402

TARGET_MB_S = 50
TARGET_RSS_MB = 20
MB = 1024 * 1024


# --------------------------------------------------------------------------- memory


def _current_rss() -> int:
    try:
        with open("/proc/self/status") as status:
            for line in status:
                if line.startswith("VmRSS:"):
                    return int(line.split()[1]) * 1024
    except OSError:
        pass
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss * 1024


class RssPeak:
    """Samples the resident set every few milliseconds; `growth` is peak minus start."""

    def __enter__(self):
        self.start = self.peak = _current_rss()
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._sample, daemon=True)
        self._thread.start()
        return self

    def _sample(self):
        while not self._stop.wait(0.002):
            self.peak = max(self.peak, _current_rss())

    def __exit__(self, *exc):
        self._stop.set()
        self._thread.join()
        self.peak = max(self.peak, _current_rss())
        self.growth = self.peak - self.start


# --------------------------------------------------------------------------- fixtures


def make_world():
    from assessments.models import Assessment, Period, Status
    from units.models import Membership, Role, UnitKind, User
    from units.services import unit_create

    call_command("migrate", verbosity=0)
    call_command("load_lke", verbosity=0)
    from areas.models import LkeVersion

    pusat = unit_create(code="BENCH", name="Pusat", kind=UnitKind.PUSAT, parent=None)
    kanwil = unit_create(code="BENCH-KW", name="Kanwil", kind=UnitKind.KANWIL, parent=pusat)
    unit = unit_create(code="BENCH-KK", name="Kankemenag", kind=UnitKind.KANKEMENAG, parent=kanwil)
    user = User.objects.create_user("bench.operator@example.id", "Bench-Upload-1!", full_name="Op")
    Membership.objects.create(user=user, unit=unit, role=Role.OPERATOR)
    lke = LkeVersion.objects.get(status="published")
    deadlines = {
        f"deadline_{stage}": datetime.date(2026, month, 28)
        for stage, month in [
            ("pencanangan", 2), ("pembangunan", 4), ("penilaian", 5), ("pengusulan", 6),
            ("evaluasi", 11),
        ]
    }  # fmt: skip
    period = Period.objects.create(year=2026, name="Periode ZI 2026", lke_version=lke, **deadlines)
    assessment = Assessment.objects.create(
        period=period, unit=unit, target_predicate="WBK", status=Status.PEMBANGUNAN
    )
    return user, assessment


def make_pdf(path: Path, size: int) -> None:
    """A real PDF of `size` bytes whose page holds random (incompressible) bytes."""
    path.write_bytes(pdf_bytes(os.urandom(size - 400)))


def as_uploaded(source: Path) -> TemporaryUploadedFile:
    """What the upload handler leaves after receiving the file: a temporary file on disk."""
    uploaded = TemporaryUploadedFile("piagam.pdf", "application/pdf", source.stat().st_size, None)
    with open(source, "rb") as src:
        shutil.copyfileobj(src, uploaded.file, MB)
    uploaded.file.flush()
    uploaded.seek(0)
    return uploaded


# --------------------------------------------------------------------------- measures


def bench_service(user, assessment, source: Path, runs: int) -> dict:
    from assessments.evidence.services import evidence_upload

    size = source.stat().st_size

    def once():
        uploaded = as_uploaded(source)
        start = time.perf_counter()
        evidence_upload(assessment=assessment, kind="piagam", uploaded_file=uploaded, by=user)
        elapsed = time.perf_counter() - start
        uploaded.close()
        return elapsed

    once()  # warm up imports and caches
    timings, growth = [], []
    for _ in range(runs):
        with RssPeak() as rss:
            timings.append(once())
        growth.append(rss.growth)
    tracemalloc.start()
    once()
    _, traced_peak = tracemalloc.get_traced_memory()
    tracemalloc.stop()
    return _result(size, timings, growth, traced_peak)


class _QuietHandler(WSGIRequestHandler):
    def log_message(self, *args):
        pass


def _serve():
    server = make_server(
        "127.0.0.1", 0, get_wsgi_application(), server_class=WSGIServer, handler_class=_QuietHandler
    )
    thread = threading.Thread(target=server.serve_forever, kwargs={"poll_interval": 0.1})
    thread.daemon = True
    thread.start()
    return server, thread


def _multipart(source: Path, boundary: str, fields: dict) -> Path:
    body = WORK / "request-body"
    with open(body, "wb") as out:
        for name, value in fields.items():
            out.write(
                f'--{boundary}\r\nContent-Disposition: form-data; name="{name}"\r\n\r\n'
                f"{value}\r\n".encode()
            )
        out.write(
            f'--{boundary}\r\nContent-Disposition: form-data; name="files"; '
            f'filename="piagam.pdf"\r\nContent-Type: application/pdf\r\n\r\n'.encode()
        )
        with open(source, "rb") as src:
            shutil.copyfileobj(src, out, MB)
        out.write(f"\r\n--{boundary}--\r\n".encode())
    return body


def bench_http(user, assessment, source: Path, runs: int) -> dict:
    server, thread = _serve()
    host, port = server.server_address
    client = Client()
    client.force_login(user)
    session = client.cookies[settings.SESSION_COOKIE_NAME].value
    list_url = reverse("assessments:evidence_list", args=[assessment.pk]) + "?kind=piagam"
    upload_url = reverse("assessments:evidence_upload", args=[assessment.pk])

    conn = http.client.HTTPConnection(host, port, timeout=120, blocksize=MB)
    session_name, csrf_name = settings.SESSION_COOKIE_NAME, settings.CSRF_COOKIE_NAME
    conn.request("GET", list_url, headers={"Cookie": f"{session_name}={session}"})
    page = conn.getresponse()
    page.read()
    cookie = page.headers.get("Set-Cookie", "")
    token = cookie.split(f"{csrf_name}=", 1)[1].split(";", 1)[0]
    conn.close()

    boundary = "zi-bench-boundary-7d1f"
    body = _multipart(source, boundary, {"kind": "piagam"})
    headers = {
        "Cookie": f"{session_name}={session}; {csrf_name}={token}",
        "X-CSRFToken": token,
        "Accept": "application/json",
        "Content-Type": f"multipart/form-data; boundary={boundary}",
        "Content-Length": str(body.stat().st_size),
    }

    def once():
        conn = http.client.HTTPConnection(host, port, timeout=120, blocksize=MB)
        start = time.perf_counter()
        with open(body, "rb") as stream:
            conn.request("POST", upload_url, body=stream, headers=headers)
            response = conn.getresponse()
            answer = response.read()
        elapsed = time.perf_counter() - start
        conn.close()
        if response.status != 200 or b'"rejected": []' not in answer:
            raise SystemExit(f"upload failed: {response.status} {answer[:300]!r}")
        return elapsed

    try:
        once()
        timings, growth = [], []
        for _ in range(runs):
            with RssPeak() as rss:
                timings.append(once())
            growth.append(rss.growth)
        tracemalloc.start()
        once()
        _, traced_peak = tracemalloc.get_traced_memory()
        tracemalloc.stop()
    finally:
        server.shutdown()
        server.server_close()
        thread.join(timeout=5)
    return _result(source.stat().st_size, timings, growth, traced_peak)


def _result(size, timings, growth, traced_peak) -> dict:
    return {
        "mb_s": round(size / MB / statistics.median(timings), 1),
        "seconds_p50": round(statistics.median(timings), 3),
        "rss_growth_mb_max": round(max(growth) / MB, 1),
        "tracemalloc_peak_mb": round(traced_peak / MB, 1),
    }


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n", 1)[0])
    parser.add_argument("--size-mb", type=int, default=20)
    parser.add_argument("--runs", type=int, default=5)
    args = parser.parse_args()
    if not 1 <= args.size_mb <= 100 or not 1 <= args.runs <= 20:
        raise SystemExit("--size-mb must be 1..100 and --runs 1..20")
    try:
        user, assessment = make_world()
        source = WORK / "source.pdf"
        make_pdf(source, args.size_mb * MB)
        results = {
            "service": bench_service(user, assessment, source, args.runs),
            "http": bench_http(user, assessment, source, args.runs),
        }
        print(f"evidence upload, {args.size_mb} MB file, median of {args.runs} runs")
        print(f"{'path':<10}{'MB/s':>8}{'s':>8}{'RSS +MB':>10}{'traced MB':>11}  targets")
        for path, r in results.items():
            ok = r["mb_s"] >= TARGET_MB_S and r["rss_growth_mb_max"] < TARGET_RSS_MB
            print(
                f"{path:<10}{r['mb_s']:>8}{r['seconds_p50']:>8}{r['rss_growth_mb_max']:>10}"
                f"{r['tracemalloc_peak_mb']:>11}  >= {TARGET_MB_S} MB/s, < {TARGET_RSS_MB} MB: "
                f"{'ok' if ok else 'MISSED'}"
            )
    finally:
        connection.close()
        shutil.rmtree(WORK, ignore_errors=True)


if __name__ == "__main__":
    main()

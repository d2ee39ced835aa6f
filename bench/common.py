"""Shared set-up for bench scripts: Django on a throw-away database.

With BENCH_DATABASE_URL (e.g. postgres://postgres@127.0.0.1:5432/zi_bench) the bench runs on
PostgreSQL, dropping and recreating that database; otherwise on a temporary SQLite file.
"""

import os
import statistics
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def setup_django(existing_url: str | None = None) -> str:
    """Django on BENCH_DATABASE_URL (dropped and recreated), on `existing_url` as it is, or on
    a SQLite file of its own."""
    sys.path.insert(0, str(ROOT))
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "zi_portal.settings")
    os.environ.setdefault("DJANGO_DEBUG", "0")
    os.environ.setdefault("DJANGO_SECRET_KEY", "bench-only-secret")
    os.environ.setdefault("DJANGO_SECURE_SSL_REDIRECT", "0")
    os.environ.setdefault("DJANGO_ALLOWED_HOSTS", "testserver,127.0.0.1,localhost")
    os.environ.setdefault("ZI_VAR_DIR", tempfile.mkdtemp(prefix="zi-bench-"))
    url = os.environ.get("BENCH_DATABASE_URL")
    if existing_url:
        os.environ["DATABASE_URL"] = existing_url
    elif url:
        _recreate_postgres(url)
        os.environ["DATABASE_URL"] = url
    else:
        os.environ.pop("DATABASE_URL", None)
    import django

    django.setup()
    from django.conf import settings

    settings.STORAGES["staticfiles"]["BACKEND"] = (
        "django.contrib.staticfiles.storage.StaticFilesStorage"
    )
    return settings.DATABASES["default"]["ENGINE"].rsplit(".", 1)[-1]


def _recreate_postgres(url: str) -> None:
    from urllib.parse import urlparse

    import psycopg2

    parsed = urlparse(url)
    name = parsed.path.lstrip("/")
    conn = psycopg2.connect(
        host=parsed.hostname, port=parsed.port or 5432, user=parsed.username or "postgres",
        password=parsed.password, dbname="postgres",
    )  # fmt: skip
    conn.autocommit = True
    with conn.cursor() as cursor:
        cursor.execute(f'DROP DATABASE IF EXISTS "{name}"')
        cursor.execute(f'CREATE DATABASE "{name}"')
    conn.close()


def timed(fn, repeat: int) -> dict:
    samples = []
    for _ in range(repeat):
        start = time.perf_counter()
        fn()
        samples.append((time.perf_counter() - start) * 1000)
    samples.sort()
    return {
        "p50_ms": round(statistics.median(samples), 1),
        "p95_ms": round(samples[min(len(samples) - 1, int(len(samples) * 0.95))], 1),
        "n": repeat,
    }


def answer_patterns(instrument, questions: dict[str, int], rng, count: int) -> list[list]:
    """`count` answer sets of rising quality, [(question id, value, score), ...] each, for
    benches that fill thousands of assessments by reusing a few sets (set-up speed)."""
    from areas import scoring

    out = []
    for k in range(count):
        quality = 0.3 + 0.7 * k / (count - 1)
        rows = []
        for q in (*instrument.questions, *instrument.hasil):
            if q.options:
                best = rng.random() < quality
                value = q.options[0].label if best else rng.choice(q.options).label
            elif q.code in instrument.index.hasil:
                value = round(min(4, rng.uniform(1 + 2.5 * quality, 4)), 2)
            else:
                value = round(min(100, max(0, rng.uniform(quality * 100 - 30, 100))))
            score = (
                scoring.hasil_points(instrument, q.code, value)
                if q.code in instrument.index.hasil
                else scoring.question_score(instrument, q.code, value)
            )
            rows.append((questions[q.code], value, score))
        out.append(rows)
    return out


def pdf_bytes(payload: bytes = b"") -> bytes:
    """A real one-page PDF (page tree, xref) whose content stream holds `payload`: the upload
    checks parse PDFs (pikepdf), so a file that only starts with %PDF- is refused. With random
    bytes as payload it stands for a scanned document (incompressible)."""
    objects = [
        b"<< /Type /Catalog /Pages 2 0 R >>",
        b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
        b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Contents 4 0 R >>",
        b"<< /Length %d >>\nstream\n" % len(payload) + payload + b"\nendstream",
    ]
    out, offsets = bytearray(b"%PDF-1.4\n"), []
    for number, body in enumerate(objects, 1):
        offsets.append(len(out))
        out += b"%d 0 obj\n" % number + body + b"\nendobj\n"
    xref, size = len(out), len(objects) + 1
    out += b"xref\n0 %d\n0000000000 65535 f \n" % size
    out += b"".join(b"%010d 00000 n \n" % offset for offset in offsets)
    out += b"trailer\n<< /Size %d /Root 1 0 R >>\nstartxref\n%d\n%%%%EOF\n" % (size, xref)
    return bytes(out)

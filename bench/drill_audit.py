"""The drill's end checks, in a child process with the drill's settings (bench/drill.py passes
what the clients saw as JSON on stdin, prints one JSON line):

- report jobs: waits up to `grace` seconds for every job the admin asked for to end, then counts
  done, failed with a message, and lost (still queued or running);
- autosaves: each autosaved answer's history (django-simple-history, one row per write) against
  the saves the clients saw confirmed; two consecutive rows with the same value, note and author
  are one save recorded twice (a duplicate);
- objects: every stored evidence file and report file read back from the S3 server with boto3
  and hashed; a row whose SHA-256 differs from its object's, a missing object, and any object
  holding the EICAR string are counted; uploads the clients made are checked against the hash
  the client computed before sending.
"""

from __future__ import annotations

import hashlib
import json
import os
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def _s3():
    import boto3
    from django.conf import settings

    options = settings.STORAGES["default"]["OPTIONS"]
    client = boto3.client(
        "s3", endpoint_url=options["endpoint_url"], region_name=options["region_name"],
        aws_access_key_id=options["access_key"], aws_secret_access_key=options["secret_key"],
    )  # fmt: skip
    return client, options["bucket_name"]


def reports(ids: list[int], grace: float, killed: int | None) -> dict:
    from reports.models import JobStatus, ReportJob

    # Every job in the drill's fresh database, not only those whose id a client saw: a request
    # that reached the killed node may have written its row without the answer coming back.
    jobs = ReportJob.objects.all()
    deadline = time.monotonic() + grace
    while jobs.filter(status__in=[JobStatus.QUEUED, JobStatus.RUNNING]).exists():
        if time.monotonic() > deadline:
            break
        time.sleep(1)
    rows = list(jobs.values("pk", "status", "error", "attempts"))
    failed = [r for r in rows if r["status"] == JobStatus.FAILED]
    return {
        "requested": len(ids),
        "rows": len(rows),
        "done": sum(r["status"] == JobStatus.DONE for r in rows),
        "failed_with_message": sum(bool(r["error"].strip()) for r in failed),
        "failed_without_message": sum(not r["error"].strip() for r in failed),
        "lost": sum(r["status"] in (JobStatus.QUEUED, JobStatus.RUNNING) for r in rows)
        + len(set(ids) - {r["pk"] for r in rows}),
        "rendered_twice_or_more": sum(r["attempts"] > 1 for r in rows),
        "errors": sorted({r["error"] for r in failed})[:3],
        # The job whose worker was SIGKILLed: re-delivered by Redis, claimed again, finished.
        "killed_job": next(
            (
                {"id": r["pk"], "status": r["status"], "attempts": r["attempts"]}
                for r in ReportJob.objects.filter(pk=killed).values("pk", "status", "attempts")
            ),
            None,
        ),  # fmt: skip
    }


def autosaves(saves: dict[str, list[str]], abandoned: int) -> dict:
    from assessments.models import Answer

    confirmed = rows = duplicates = last_differs = 0
    for key, labels in saves.items():
        assessment, question = (int(part) for part in key.split(":"))
        history = list(
            Answer.history.filter(assessment_id=assessment, question_id=question, layer="self")
            .order_by("history_date", "history_id")
            .values_list("value", "note", "updated_by_id")
        )
        confirmed += len(labels)
        rows += len(history)
        duplicates += sum(a == b for a, b in zip(history, history[1:], strict=False))
        last_differs += bool(history) and history[-1][0] != labels[-1]
    return {
        "confirmed": confirmed,
        "history_rows": rows,
        "duplicates": duplicates,
        # A save whose every try failed at the client may still have been written once.
        "written_unconfirmed": rows - confirmed - duplicates,
        "abandoned": abandoned,
        "last_value_differs": last_differs,
    }


def objects(uploads: dict[str, str]) -> dict:
    from loopback import EICAR

    from assessments.models import Evidence
    from reports.models import JobStatus, ReportJob

    client, bucket = _s3()
    expected: dict[str, set[str]] = {}
    for name, digest in Evidence.objects.exclude(file="").values_list("file", "sha256"):
        expected.setdefault(name, set()).add(digest)
    for name, digest in (
        ReportJob.objects.filter(status=JobStatus.DONE)
        .exclude(file="")
        .values_list("file", "sha256")
    ):
        expected.setdefault(name, set()).add(digest)
    actual, missing, eicar = {}, 0, 0
    for name in expected:
        try:
            body = client.get_object(Bucket=bucket, Key=name)["Body"].read()
        except client.exceptions.NoSuchKey:
            missing += 1
            continue
        actual[name] = hashlib.sha256(body).hexdigest()
        eicar += EICAR in body
    mismatched = sum(
        1 for name, digests in expected.items() if name in actual and digests != {actual[name]}
    )
    stored = dict(
        Evidence.objects.filter(pk__in=[int(pk) for pk in uploads]).values_list("pk", "sha256")
    )
    return {
        "objects_checked": len(actual),
        "objects_in_bucket": sum(
            page.get("KeyCount", 0)
            for page in client.get_paginator("list_objects_v2").paginate(Bucket=bucket)
        ),
        "hash_mismatches": mismatched,
        "missing_objects": missing,
        "eicar_stored": eicar,
        "uploads_confirmed": len(uploads),
        "uploads_client_hash_differs": sum(
            stored.get(int(pk)) != digest for pk, digest in uploads.items()
        ),
    }


FOOTPRINT_TABLES = (
    "assessments_answer", "assessments_historicalanswer", "assessments_evidence",
    "assessments_historicalevidence", "django_session", "reports_reportjob",
)  # fmt: skip


def footprint() -> dict:
    """What the run left behind, for sizing: the database, bytes per row of the tables that
    grow with the deadline (indexes included), and the cache's Redis database (sessions)."""
    import redis
    from django.conf import settings
    from django.db import connection

    tables = {}
    with connection.cursor() as cursor:
        cursor.execute("SELECT pg_database_size(current_database())")
        database = cursor.fetchone()[0]
        for table in FOOTPRINT_TABLES:
            cursor.execute(
                f"SELECT count(*), pg_total_relation_size('{table}') FROM {table}"  # noqa: S608
            )
            rows, size = cursor.fetchone()
            tables[table] = {"rows": rows, "bytes_per_row": round(size / rows) if rows else None}
    cache = redis.Redis.from_url(settings.CACHES["default"]["LOCATION"])
    keys = list(cache.scan_iter(count=1000))
    sessions = [k for k in keys if b"django.contrib.sessions" in k]
    return {
        "database_bytes": database,
        "tables": tables,
        "cache_keys": len(keys),
        "cache_bytes": sum(cache.memory_usage(k) or 0 for k in keys),
        "session_keys": len(sessions),
        "bytes_per_cached_session": round(
            sum(cache.memory_usage(k) or 0 for k in sessions) / len(sessions)
        )
        if sessions
        else None,
    }


def main() -> None:
    seen = json.loads(sys.stdin.read())
    out = {"reports": reports(seen["reports"], seen["grace"], seen.get("killed_job"))}
    out["autosaves"] = autosaves(seen["saves"], seen["abandoned"])
    out["objects"] = objects(seen["uploads"])
    out["footprint"] = footprint()
    print(json.dumps(out))


if __name__ == "__main__":
    sys.path.insert(0, str(ROOT))
    sys.path.insert(0, str(ROOT / "bench"))
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "zi_portal.settings")
    import django

    django.setup()
    main()

"""The drill's backup and restore (bench/drill.py, after the load): `manage.py backup` of the
drill's database and bucket, `manage.py restore` into a fresh database (<name>_restore, dropped
and recreated) and a fresh bucket on the same S3 server, then the drill's own comparison,
independent of the restore command's: the rows of every table in both databases, and every
object the backup's manifest lists, read back with boto3 from both buckets and hashed.
"""

from __future__ import annotations

import hashlib
import json
import subprocess
import sys
import time
from pathlib import Path

from common import _recreate_postgres

ROOT = Path(__file__).resolve().parent.parent


def _manage(env: dict, *argv: str) -> tuple[int, float, str]:
    start = time.monotonic()
    child = subprocess.run(  # noqa: S603 (manage.py of this checkout)
        [sys.executable, "manage.py", *argv], env=env, cwd=ROOT, capture_output=True, text=True
    )
    return child.returncode, round(time.monotonic() - start, 2), child.stdout + child.stderr


def table_counts(url: str) -> dict[str, int]:
    import psycopg2

    counts = {}
    with psycopg2.connect(url) as conn, conn.cursor() as cursor:
        cursor.execute(
            "SELECT tablename FROM pg_tables WHERE schemaname = 'public' ORDER BY tablename"
        )
        for (table,) in cursor.fetchall():
            cursor.execute(f'SELECT count(*) FROM "{table}"')  # noqa: S608 (catalogue names)
            counts[table] = cursor.fetchone()[0]
    conn.close()
    return counts


def _hashes(client, bucket: str, keys: list[str]) -> dict[str, str | None]:
    found = {}
    for key in keys:
        try:
            body = client.get_object(Bucket=bucket, Key=key)["Body"].read()
        except client.exceptions.NoSuchKey:
            found[key] = None
            continue
        found[key] = hashlib.sha256(body).hexdigest()
    return found


def backup_and_restore(env: dict, url: str, s3, directory: Path) -> dict:
    out: dict = {}
    code, out["backup_s"], log = _manage(env, "backup", "--to", str(directory))
    if code != 0:
        return {**out, "error": f"backup exited {code}: {log[-1500:]}"}
    manifest = json.loads((directory / "manifest.json").read_text())
    restore_url = f"{url}_restore"
    _recreate_postgres(restore_url)
    bucket = s3.create_bucket(f"{s3.bucket}-restore")
    restored_env = {**env, "DATABASE_URL": restore_url, "ZI_S3_BUCKET": bucket}
    code, out["restore_s"], log = _manage(restored_env, "restore", "--from", str(directory))
    out["restore_exit"] = code
    if code != 0:
        out["restore_log"] = log[-1500:]
    source, restored = table_counts(url), table_counts(restore_url)
    # The backup is one snapshot; beat may have written since (the outbox sweeps), so the
    # restored database is compared with the manifest's counts and the live one is shown beside.
    expected = manifest["tables"]
    out["tables"] = len(expected)
    out["rows"] = sum(expected.values())
    out["tables_differing"] = sorted(
        t for t in set(expected) | set(restored) if expected.get(t) != restored.get(t)
    )
    out["tables_changed_since_backup"] = sorted(t for t in expected if source.get(t) != expected[t])
    keys = [o["key"] for o in manifest["objects"]]
    client = s3.client()
    before, after = _hashes(client, s3.bucket, keys), _hashes(client, bucket, keys)
    listed = {o["key"]: o["sha256"] for o in manifest["objects"]}
    out["objects"] = len(keys)
    out["objects_bytes"] = manifest.get("objects_bytes")
    out["objects_differing"] = sorted(
        k for k in keys if not (listed[k] == before[k] == after[k] and after[k] is not None)
    )
    out["objects_missing_at_backup"] = len(manifest.get("missing", []))
    out["dump_bytes"] = manifest["database"]["size"]
    return out

"""Backup and restore on the real components: PostgreSQL databases of the test's own (created
with psycopg2 on 127.0.0.1:5432) and buckets on a real S3 server (moto on loopback). A portal
database with evidence and a letterhead logo in a bucket is backed up with `manage.py backup`,
restored with `manage.py restore` into a fresh database and a fresh bucket, and compared: rows
per table and every object's SHA-256, exactly. A tampered object makes the restore fail; a
database or a store that is not empty is refused."""

import hashlib
import json
import os
import shutil
import subprocess
import sys
import time
import uuid
from pathlib import Path

import psycopg2
import pytest

ROOT = Path(__file__).resolve().parents[2]
PG = {"host": "127.0.0.1", "port": 5432, "user": "postgres", "dbname": "postgres"}


def _pg(sql: str, dbname: str = "postgres"):
    conn = psycopg2.connect(**{**PG, "dbname": dbname})
    conn.autocommit = True
    try:
        with conn.cursor() as cursor:
            cursor.execute(sql)
            return cursor.fetchall() if cursor.description else None
    finally:
        conn.close()


def _row_counts(dbname: str) -> dict[str, int]:
    tables = _pg("SELECT tablename FROM pg_tables WHERE schemaname = 'public'", dbname)
    return {t: _pg(f'SELECT count(*) FROM "{t}"', dbname)[0][0] for (t,) in tables}  # noqa: S608


class Portal:
    """`manage.py` in a process of its own on one database and one bucket (as an operator runs
    it), with production settings."""

    def __init__(self, s3, dbname: str, bucket: str, var: Path):
        self.dbname, self.bucket = dbname, bucket
        self.env = {
            **os.environ,
            **s3.env(),
            "ZI_S3_BUCKET": bucket,
            "DATABASE_URL": f"postgres://postgres@127.0.0.1:5432/{dbname}",
            "DJANGO_SETTINGS_MODULE": "zi_portal.settings",
            "DJANGO_SECRET_KEY": "backup-test-only",
            "DJANGO_DEBUG": "0",
            "DJANGO_SECURE_SSL_REDIRECT": "0",
            "ZI_VAR_DIR": str(var),
        }

    def manage(self, *args: str) -> subprocess.CompletedProcess:
        return subprocess.run(
            [sys.executable, "manage.py", *args],
            cwd=ROOT, env=self.env, capture_output=True, text=True, timeout=300,
        )  # fmt: skip

    def ok(self, *args: str) -> str:
        done = self.manage(*args)
        assert done.returncode == 0, done.stdout + done.stderr
        return done.stdout


def _objects(s3, bucket: str) -> dict[str, str]:
    client = s3.client()
    pages = client.get_paginator("list_objects_v2").paginate(Bucket=bucket)
    keys = [o["Key"] for page in pages for o in page.get("Contents", [])]
    return {
        k: hashlib.sha256(client.get_object(Bucket=bucket, Key=k)["Body"].read()).hexdigest()
        for k in keys
    }


@pytest.fixture(scope="module")
def databases():
    made: list[str] = []

    def create() -> str:
        name = f"zi_backup_{uuid.uuid4().hex[:10]}"
        _pg(f"CREATE DATABASE {name}")
        made.append(name)
        return name

    yield create
    for name in made:
        _pg(f"DROP DATABASE IF EXISTS {name} WITH (FORCE)")


@pytest.fixture(scope="module")
def source(moto_server, databases, tmp_path_factory):
    """A migrated portal database with demo units and assessments, 12 evidence files and a logo
    in a bucket; and its backup."""
    var = tmp_path_factory.mktemp("var")
    portal = Portal(moto_server, databases(), moto_server.create_bucket("zi-source"), var)
    portal.ok("migrate", "--noinput", "-v0")
    portal.ok("load_lke")
    portal.ok("seed_demo")
    portal.ok("shell", "--no-imports", "-c", "from tests.core.seed_objects import seed; seed(12)")
    backup_dir = tmp_path_factory.mktemp("backups") / "daily"
    started = time.monotonic()
    portal.ok("backup", "--to", str(backup_dir))
    portal.backup_seconds = time.monotonic() - started
    portal.backup_dir = backup_dir
    return portal


@pytest.fixture
def fresh(moto_server, databases, tmp_path):
    return Portal(moto_server, databases(), moto_server.create_bucket(_bucket()), tmp_path)


def _bucket() -> str:
    return f"zi-restore-{uuid.uuid4().hex[:10]}"


def test_the_manifest_lists_every_object_the_rows_name_with_its_hash(source, moto_server):
    manifest = json.loads((source.backup_dir / "manifest.json").read_text())
    stored = _objects(moto_server, source.bucket)
    assert {o["key"]: o["sha256"] for o in manifest["objects"]} == stored
    assert len(stored) == 13 and manifest["missing"] == []
    for entry in manifest["objects"]:
        copy = source.backup_dir / "objects" / entry["key"]
        assert copy.stat().st_size == entry["size"]
    dump = source.backup_dir / "database.dump"
    assert hashlib.sha256(dump.read_bytes()).hexdigest() == manifest["database"]["sha256"]
    assert manifest["tables"] == _row_counts(source.dbname)
    with_file = "SELECT count(*) FROM assessments_evidence WHERE file <> ''"
    assert _pg(with_file, source.dbname)[0][0] == 12


def test_a_backup_is_readable_by_its_owner_only(source):
    """The dump holds password hashes, personal data and the sessions' rows."""
    backup = source.backup_dir
    for path in [backup, *backup.rglob("*")]:
        mode = path.stat().st_mode & 0o777
        assert mode == (0o700 if path.is_dir() else 0o600), (path, oct(mode))


def test_the_next_backup_hard_links_what_the_previous_one_holds(source, tmp_path):
    previous = tmp_path / "previous"
    shutil.copytree(source.backup_dir, previous)
    gone = sorted((previous / "objects" / "evidence").rglob("*.pdf"))[0]
    gone.unlink()  # this one is fetched from the store again
    out = source.ok("backup", "--to", str(tmp_path / "next"), "--link-from", str(previous))
    assert "12 hard-linked from the previous backup" in out
    first = json.loads((source.backup_dir / "manifest.json").read_text())
    second = json.loads((tmp_path / "next" / "manifest.json").read_text())
    assert second["objects"] == first["objects"] and second["objects_linked"] == 12
    for entry in second["objects"]:
        copy = tmp_path / "next" / "objects" / entry["key"]
        assert hashlib.sha256(copy.read_bytes()).hexdigest() == entry["sha256"]
        linked = (previous / "objects" / entry["key"]).exists()
        assert (copy.stat().st_nlink == 2) == linked


def test_restore_into_a_fresh_database_and_bucket_is_exact(source, fresh, moto_server):
    started = time.monotonic()
    out = fresh.ok("restore", "--from", str(source.backup_dir))
    print(f"restore took {time.monotonic() - started:.2f} s; backup {source.backup_seconds:.2f} s")
    assert "restore matches the backup" in out and "✗" not in out
    assert _row_counts(fresh.dbname) == _row_counts(source.dbname)
    assert _objects(moto_server, fresh.bucket) == _objects(moto_server, source.bucket)
    # The restored rows name exactly the restored objects, with the hashes the rows recorded.
    rows = dict(_pg("SELECT file, sha256 FROM assessments_evidence WHERE file <> ''", fresh.dbname))
    restored = _objects(moto_server, fresh.bucket)
    assert all(restored[key] == sha for key, sha in rows.items())


def test_a_tampered_object_makes_the_restore_fail(source, fresh, moto_server, tmp_path):
    copy = tmp_path / "tampered"
    shutil.copytree(source.backup_dir, copy)
    victim = sorted((copy / "objects" / "evidence").rglob("*.pdf"))[0]
    data = bytearray(victim.read_bytes())
    data[-1] ^= 0xFF
    victim.write_bytes(bytes(data))
    done = fresh.manage("restore", "--from", str(copy))
    assert done.returncode == 1
    key = victim.relative_to(copy / "objects").as_posix()
    assert f"✗ object   {key}" in done.stdout
    assert "differs from the backup in 1 places" in done.stderr
    assert key not in _objects(moto_server, fresh.bucket)  # a damaged copy never enters


def test_a_tampered_dump_restores_nothing(source, fresh):
    copy = fresh.env["ZI_VAR_DIR"] + "/dump-tampered"
    shutil.copytree(source.backup_dir, copy)
    with open(Path(copy) / "database.dump", "ab") as dump:
        dump.write(b"\0")
    done = fresh.manage("restore", "--from", copy)
    assert done.returncode == 1 and "SHA-256 does not match" in done.stderr
    assert _row_counts(fresh.dbname) == {}


def test_restore_refuses_a_database_that_is_not_empty(source, moto_server):
    into_source = Portal(moto_server, source.dbname, moto_server.create_bucket(_bucket()), Path())
    done = into_source.manage("restore", "--from", str(source.backup_dir))
    assert done.returncode == 1 and "is not empty" in done.stderr
    assert _objects(moto_server, into_source.bucket) == {}


def test_restore_refuses_an_object_store_that_is_not_empty(source, fresh, moto_server):
    fresh.env["ZI_S3_BUCKET"] = source.bucket
    done = fresh.manage("restore", "--from", str(source.backup_dir))
    assert done.returncode == 1 and "object store" in done.stderr
    assert _row_counts(fresh.dbname) == {}


def test_backup_refuses_a_database_that_is_not_postgresql(moto_server, tmp_path):
    portal = Portal(moto_server, "unused", moto_server.create_bucket(_bucket()), tmp_path)
    portal.env["DATABASE_URL"] = f"sqlite:///{tmp_path / 'portal.sqlite3'}"
    done = portal.manage("backup", "--to", str(tmp_path / "b"))
    assert done.returncode == 1 and "need PostgreSQL" in done.stderr
    assert not (tmp_path / "b").exists()


def test_the_daily_script_links_to_yesterday_and_keeps_seven(source, tmp_path):
    root = tmp_path / "backups"
    for day in range(1, 10):  # nine older complete daily backups, and one incomplete
        old = root / "daily" / f"2026-11-{day:02d}"
        old.mkdir(parents=True)
        (old / "manifest.json").write_text(json.dumps({"format": 1, "objects": []}))
    (root / "daily" / "2026-11-10").mkdir()
    done = subprocess.run(
        [str(ROOT / "scripts" / "backup_daily.sh"), str(root)],
        cwd=ROOT, env=source.env, capture_output=True, text=True, timeout=300,
    )  # fmt: skip
    assert done.returncode == 0, done.stdout + done.stderr
    assert "0 hard-linked" in done.stdout  # the newest complete one held no objects
    kept = sorted(p.name for p in (root / "daily").iterdir())
    today = time.strftime("%Y-%m-%d")
    # 7 complete ones (the newest six old ones and today's); the incomplete one (a run that
    # died half-way) is removed.
    assert kept == [f"2026-11-{d:02d}" for d in range(4, 10)] + [today]
    manifest = json.loads((root / "daily" / today / "manifest.json").read_text())
    assert manifest["linked_from"].endswith("2026-11-09") and len(manifest["objects"]) == 13


def test_an_object_missing_from_the_store_is_listed_and_the_backup_exits_3(
    source, databases, moto_server, tmp_path
):
    clone = databases()
    _pg(f"DROP DATABASE {clone}")
    _pg(f"CREATE DATABASE {clone} TEMPLATE {source.dbname}")
    _pg(
        "UPDATE assessments_evidence SET file = 'evidence/2026/12/gone.pdf' WHERE id = "
        "(SELECT min(id) FROM assessments_evidence WHERE file <> '')",
        clone,
    )
    portal = Portal(moto_server, clone, source.bucket, tmp_path)
    done = portal.manage("backup", "--to", str(tmp_path / "b"))
    assert done.returncode == 3, done.stdout + done.stderr
    assert "missing from the store: evidence/2026/12/gone.pdf" in done.stderr
    manifest = json.loads((tmp_path / "b" / "manifest.json").read_text())
    assert manifest["missing"] == ["evidence/2026/12/gone.pdf"]
    assert len(manifest["objects"]) == 12

"""Backup of the portal: the PostgreSQL database (pg_dump, custom format) and every stored
object a row points at (evidence files, reports, the letterhead logo), with a manifest.

Consistency rule. Objects are written to the store *before* the row that names them commits
(evidence_upload, reports.worker: save, then the row in a transaction, the object deleted if the
transaction fails), and are never rewritten afterwards (random names, `file_overwrite` off, no
code path deletes an object a committed row names). So the backup takes one database snapshot
(a REPEATABLE READ transaction whose snapshot pg_dump shares with `--snapshot`), reads the file
names from the FileFields *in that same snapshot*, and copies those objects after the dump:
each one was complete before its row was visible and is unchanged since. Objects written after
the snapshot (newer uploads, or orphans of uploads that failed) are not in the backup, and no
row of the backup refers to them.

Layout of a backup directory:
    database.dump      pg_dump --format=custom
    objects/<key>      each object under its storage key (hard links into the previous
                       backup with --link-from: unchanged objects take no space twice)
    manifest.json      written last: its presence marks a complete backup
"""

from __future__ import annotations

import hashlib
import json
import os
import shutil
import subprocess
import time
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path, PurePosixPath

from django.apps import apps
from django.core.files.storage import default_storage
from django.db import connection, models, transaction

MANIFEST = "manifest.json"
DUMP = "database.dump"
OBJECTS = "objects"
CHUNK = 1024 * 1024
FORMAT = 1


class BackupError(Exception):
    """A backup or restore that cannot proceed; the message says why."""


@dataclass
class BackupResult:
    directory: Path
    manifest: dict
    missing: list[str] = field(default_factory=list)


def sha256_file(path: Path) -> str:
    digest = hashlib.sha256()
    with open(path, "rb") as handle:
        while chunk := handle.read(CHUNK):
            digest.update(chunk)
    return digest.hexdigest()


def require_postgresql() -> None:
    if connection.vendor != "postgresql":
        raise BackupError(
            f"backup and restore need PostgreSQL (DATABASE_URL=postgres://...); this database "
            f"is {connection.vendor}. For SQLite, stop the portal and copy the file instead."
        )


def pg_tool(name: str) -> str:
    """The full path of pg_dump / pg_restore (Debian: postgresql-client)."""
    found = shutil.which(name)
    if not found:
        raise BackupError(f"{name} not found: install the PostgreSQL client (postgresql-client)")
    return found


def libpq_args() -> tuple[list[str], dict[str, str]]:
    """pg_dump / pg_restore connection options for the default database, and the environment
    (the password goes through PGPASSWORD, never on the command line)."""
    db = connection.settings_dict
    args = ["--dbname", db["NAME"]]
    if db.get("HOST"):
        args += ["--host", db["HOST"]]
    if db.get("PORT"):
        args += ["--port", str(db["PORT"])]
    if db.get("USER"):
        args += ["--username", db["USER"]]
    env = {**os.environ}
    if db.get("PASSWORD"):
        env["PGPASSWORD"] = db["PASSWORD"]
    # DATABASE_URL's ?sslmode=verify-full&sslrootcert=… (and the connect timeout) hold for
    # pg_dump and pg_restore too, through libpq's own variables.
    for option, variable in LIBPQ_ENV.items():
        if db.get("OPTIONS", {}).get(option) not in (None, ""):
            env[variable] = str(db["OPTIONS"][option])
    return args, env


LIBPQ_ENV = {
    "sslmode": "PGSSLMODE",
    "sslrootcert": "PGSSLROOTCERT",
    "sslcert": "PGSSLCERT",
    "sslkey": "PGSSLKEY",
    "connect_timeout": "PGCONNECT_TIMEOUT",
}


def safe_key(key: str) -> str:
    """A storage key that stays inside the backup's objects/ directory."""
    path = PurePosixPath(key)
    if not key or path.is_absolute() or ".." in path.parts or "\\" in key:
        raise BackupError(f"unsafe object key {key!r}")
    return str(path)


def file_fields() -> list[tuple[type[models.Model], models.FileField]]:
    """Every FileField (and ImageField) of every installed model, history models included."""
    return [
        (model, f)
        for model in apps.get_models()
        for f in model._meta.concrete_fields
        if isinstance(f, models.FileField)
    ]


def referenced_objects() -> dict[str, str]:
    """Storage key → the field that names it ("app.Model.field"), read in the current
    transaction's snapshot."""
    keys: dict[str, str] = {}
    for model, f in file_fields():
        names = model._base_manager.exclude(**{f.attname: ""}).exclude(
            **{f"{f.attname}__isnull": True}
        )
        for name in names.values_list(f.attname, flat=True).iterator():
            keys.setdefault(name, f"{model._meta.label}.{f.name}")
    return keys


def sql(*statements: str) -> list[tuple]:
    """The one place backup and restore run SQL (catalogue queries, counts, the snapshot; no
    parameters from outside): the rows of the last statement."""
    with connection.cursor() as cursor:
        for statement in statements:
            cursor.execute(statement)
        return cursor.fetchall()


def table_row_counts() -> dict[str, int]:
    """Rows per table of the public schema (every table pg_dump writes, Django's or not)."""
    tables = sql("SELECT tablename FROM pg_tables WHERE schemaname = 'public' ORDER BY tablename")
    quote = connection.ops.quote_name
    return {t: sql(f"SELECT count(*) FROM {quote(t)}")[0][0] for (t,) in tables}  # noqa: S608


def _dump_in_snapshot(target: Path) -> tuple[dict[str, str], dict[str, int], str]:
    """pg_dump in a snapshot this connection holds open, and, in the same snapshot, the
    object keys and row counts."""
    args, env = libpq_args()
    with transaction.atomic():
        [(snapshot, version)] = sql(
            "SET TRANSACTION ISOLATION LEVEL REPEATABLE READ, READ ONLY",
            "SELECT pg_export_snapshot(), current_setting('server_version')",
        )
        subprocess.run(  # noqa: S603 (fixed argv)
            [
                pg_tool("pg_dump"),
                "--format=custom",
                f"--snapshot={snapshot}",
                "--file",
                str(target),
                *args,
            ],
            env=env,
            check=True,
            capture_output=True,
        )
        return referenced_objects(), table_row_counts(), version


def _copy_object(key: str, target: Path) -> tuple[int, str]:
    target.parent.mkdir(parents=True, exist_ok=True)
    digest, size = hashlib.sha256(), 0
    with default_storage.open(key, "rb") as source, open(target, "wb") as out:
        while chunk := source.read(CHUNK):
            digest.update(chunk)
            size += len(chunk)
            out.write(chunk)
    return size, digest.hexdigest()


def read_manifest(directory: Path) -> dict:
    try:
        manifest = json.loads((directory / MANIFEST).read_text())
    except FileNotFoundError:
        raise BackupError(f"{directory / MANIFEST} not found: not a complete backup") from None
    if manifest.get("format") != FORMAT:
        raise BackupError(f"unknown backup format {manifest.get('format')!r}")
    return manifest


def _link_previous(previous: Path | None, entry: dict | None, target: Path) -> bool:
    """Hard-link an object from the previous backup (objects never change once written, so
    the copy there is this object); False when it is not there, to copy it from the store."""
    if previous is None or entry is None:
        return False
    source = previous / OBJECTS / safe_key(entry["key"])
    try:
        if source.stat().st_size != entry["size"]:
            return False
        target.parent.mkdir(parents=True, exist_ok=True)
        os.link(source, target)
    except OSError:  # absent, or another file system: copy from the store instead
        return False
    return True


def _take_objects(directory: Path, keys: dict[str, str], link_from, known: dict, jobs: int):
    """Each object into directory/objects: hard-linked from `link_from` when it holds it, else
    downloaded, `jobs` at a time (django-storages keeps one S3 connection per thread)."""

    def take(item: tuple[str, str]) -> tuple[dict | None, bool]:
        key, owner = item
        target = directory / OBJECTS / safe_key(key)
        if _link_previous(link_from, known.get(key), target):
            return {**known[key], "owner": owner}, True
        try:
            size, sha = _copy_object(key, target)
        except FileNotFoundError:
            return None, False
        return {"key": key, "size": size, "sha256": sha, "owner": owner}, False

    objects, missing, linked = [], [], 0
    items = sorted(keys.items())
    with ThreadPoolExecutor(max_workers=max(1, jobs)) as pool:
        for (key, _owner), (entry, was_linked) in zip(items, pool.map(take, items), strict=True):
            if entry is None:
                missing.append(key)
            else:
                objects.append(entry)
                linked += was_linked
    return objects, missing, linked


def backup(
    directory: Path, *, link_from: Path | None = None, jobs: int = 8, log=print
) -> BackupResult:
    """Write a backup into `directory` (new or empty). With `link_from` (an earlier complete
    backup on the same file system), objects it holds are hard-linked instead of downloaded.

    Readable by the owner only (directories 0700, files 0600), whatever the caller's umask:
    the dump holds password hashes, personal data and the sessions' rows."""
    previous = os.umask(0o077)
    try:
        return _backup(directory, link_from=link_from, jobs=jobs, log=log)
    finally:
        os.umask(previous)


def _backup(directory: Path, *, link_from: Path | None, jobs: int, log) -> BackupResult:
    known = {o["key"]: o for o in read_manifest(link_from)["objects"]} if link_from else {}
    require_postgresql()
    if connection.in_atomic_block:
        raise BackupError("backup must start outside a transaction (it opens its own snapshot)")
    directory.mkdir(parents=True, exist_ok=True)
    if any(directory.iterdir()):
        raise BackupError(f"{directory} is not empty: each backup goes into a directory of its own")
    directory.chmod(0o700)
    started, clock = datetime.now(UTC), time.monotonic()
    dump = directory / DUMP
    try:
        keys, counts, version = _dump_in_snapshot(dump)
    except subprocess.CalledProcessError as failed:
        raise BackupError(f"pg_dump failed: {failed.stderr.decode(errors='replace')}") from None
    dump_seconds = time.monotonic() - clock
    log(f"database: {dump.stat().st_size} bytes in {dump_seconds:.2f} s, {len(counts)} tables")
    objects, missing, linked = _take_objects(directory, keys, link_from, known, jobs)
    manifest = {
        "format": FORMAT,
        "started_at": started.isoformat(),
        "finished_at": datetime.now(UTC).isoformat(),
        "seconds": round(time.monotonic() - clock, 3),
        "database": {
            "file": DUMP,
            "size": dump.stat().st_size,
            "sha256": sha256_file(dump),
            "server_version": version,
            "dump_seconds": round(dump_seconds, 3),
        },
        "tables": counts,
        "objects": objects,
        "objects_bytes": sum(o["size"] for o in objects),
        "objects_linked": linked,
        "linked_from": str(link_from) if link_from else None,
        # Named by a row of the snapshot but absent from the store when the backup ran.
        "missing": missing,
    }
    partial = directory / f"{MANIFEST}.partial"
    partial.write_text(json.dumps(manifest, indent=1, sort_keys=True))
    partial.rename(directory / MANIFEST)
    log(
        f"objects: {len(objects)} ({manifest['objects_bytes']} bytes; {linked} hard-linked from "
        f"the previous backup), missing: {len(missing)}"
    )
    return BackupResult(directory, manifest, missing)

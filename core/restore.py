"""Restore a backup written by core.backup into an empty PostgreSQL database and an empty
object store (the default storage), then check it: the dump's SHA-256 before pg_restore, every
object's SHA-256 before it is written, and the rows per table afterwards."""

from __future__ import annotations

import subprocess
import time
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path

from django.core.files import File
from django.core.files.storage import default_storage
from django.db import connection

from core.backup import (
    DUMP,
    OBJECTS,
    BackupError,
    libpq_args,
    pg_tool,
    read_manifest,
    require_postgresql,
    safe_key,
    sha256_file,
    sql,
    table_row_counts,
)


@dataclass
class Check:
    what: str  # "table" / "object" / "database"
    name: str
    expected: str
    found: str

    @property
    def ok(self) -> bool:
        return self.expected == self.found


@dataclass
class RestoreResult:
    checks: list[Check] = field(default_factory=list)
    seconds: dict[str, float] = field(default_factory=dict)

    @property
    def mismatches(self) -> list[Check]:
        return [c for c in self.checks if not c.ok]

    def table(self) -> str:
        """The comparison, mismatches first; tables and objects that match are summed up."""
        lines = [f"  {'what':8} {'name':58} {'expected':>16} {'found':>16}"]
        for check in self.mismatches:
            lines.append(
                f"✗ {check.what:8} {check.name[:58]:58} {check.expected[:16]:>16} "
                f"{check.found[:16]:>16}"
            )
        for what in ("database", "table", "object"):
            good = [c for c in self.checks if c.what == what and c.ok]
            total = sum(1 for c in self.checks if c.what == what)
            if what == "table":
                rows = sum(int(c.found) for c in good)
                lines.append(f"✓ {'tables':8} {len(good)}/{total} match ({rows} rows)")
            else:
                label = "dump" if what == "database" else "objects"
                lines.append(f"✓ {label:8} {len(good)}/{total} match (SHA-256)")
        return "\n".join(lines)


def database_is_empty() -> bool:
    [(relations,)] = sql(
        "SELECT count(*) FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace "
        "WHERE c.relkind IN ('r', 'p', 'v', 'm', 'S') "
        "AND n.nspname NOT IN ('pg_catalog', 'information_schema') "
        "AND n.nspname NOT LIKE 'pg_toast%'"
    )
    return relations == 0


def store_is_empty() -> bool:
    try:
        directories, files = default_storage.listdir("")
    except FileNotFoundError:  # a local storage whose directory does not exist yet
        return True
    return not directories and not files


def _restore_database(directory: Path, manifest: dict, force: bool, result: RestoreResult):
    dump = directory / manifest["database"]["file"]
    found = sha256_file(dump) if dump.exists() else "missing"
    result.checks.append(Check("database", DUMP, manifest["database"]["sha256"], found))
    if found != manifest["database"]["sha256"]:
        raise BackupError(f"{dump}: SHA-256 does not match the manifest; nothing restored")
    args, env = libpq_args()
    argv = [pg_tool("pg_restore"), "--no-owner", "--no-privileges", "--exit-on-error"]
    argv += ["--clean", "--if-exists"] if force else ["--single-transaction"]
    clock = time.monotonic()
    connection.close()  # pg_restore works on its own connection
    done = subprocess.run([*argv, *args, str(dump)], env=env, capture_output=True)  # noqa: S603
    if done.returncode:
        raise BackupError(f"pg_restore failed: {done.stderr.decode(errors='replace')}")
    result.seconds["database"] = time.monotonic() - clock


def _restore_object(directory: Path, entry: dict) -> list[Check]:
    key = safe_key(entry["key"])
    source = directory / OBJECTS / key
    found = sha256_file(source) if source.exists() else "missing"
    checks = [Check("object", key, entry["sha256"], found)]
    if found != entry["sha256"]:
        return checks  # a damaged or missing copy never enters the store
    with open(source, "rb") as handle:
        stored = default_storage.save(key, File(handle, name=key))
    if stored != key:  # the store renamed it: something was there already
        checks.append(Check("object", key, key, stored))
    return checks


def _restore_objects(directory: Path, manifest: dict, result: RestoreResult, jobs: int) -> None:
    """Every object, `jobs` at a time (django-storages keeps one S3 connection per thread)."""
    clock = time.monotonic()
    with ThreadPoolExecutor(max_workers=max(1, jobs)) as pool:
        for checks in pool.map(lambda e: _restore_object(directory, e), manifest["objects"]):
            result.checks.extend(checks)
    result.seconds["objects"] = time.monotonic() - clock


def restore(directory: Path, *, force: bool = False, jobs: int = 8, log=print) -> RestoreResult:
    """Restore `directory`; the result's checks say what matched. Refuses a database or a store
    that is not empty (the database is wiped and replaced with `force`)."""
    require_postgresql()
    manifest = read_manifest(directory)
    if not force and not database_is_empty():
        raise BackupError(
            f"database {connection.settings_dict['NAME']!r} is not empty; restore needs an empty "
            "database (or --force to replace its contents)"
        )
    if not store_is_empty():
        raise BackupError(
            "the object store (default storage) is not empty; restore needs an empty one"
        )
    result = RestoreResult()
    _restore_database(directory, manifest, force, result)
    log(f"database restored in {result.seconds['database']:.2f} s")
    _restore_objects(directory, manifest, result, jobs)
    log(f"{len(manifest['objects'])} objects written in {result.seconds['objects']:.2f} s")
    found = table_row_counts()
    for table in sorted(set(manifest["tables"]) | set(found)):
        expected = str(manifest["tables"].get(table, "absent"))
        result.checks.append(Check("table", table, expected, str(found.get(table, "absent"))))
    if manifest.get("missing"):
        log(f"note: {len(manifest['missing'])} objects were already missing when backed up")
    return result

"""Restore a backup written by `manage.py backup` into an empty PostgreSQL database
(DATABASE_URL) and an empty object store (the default storage), and check it.

    python manage.py restore --from /srv/backups/zi-2026-12-07 [--force]

Prints the comparison (dump and every object by SHA-256, rows per table) and exits 1 on any
mismatch. --force replaces the contents of a database that is not empty; the object store
must be empty in any case.
"""

from __future__ import annotations

from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from core.backup import BackupError
from core.restore import restore


class Command(BaseCommand):
    help = "Restore a backup into an empty database and object store, and compare."

    def add_arguments(self, parser):
        parser.add_argument(
            "--jobs", type=int, default=8, help="objects transferred at a time (default 8)"
        )
        parser.add_argument("--from", dest="source", type=Path, required=True)
        parser.add_argument(
            "--force", action="store_true", help="replace a database that is not empty"
        )

    def handle(self, *args, source: Path, force: bool, jobs: int, **options):
        try:
            result = restore(source, force=force, jobs=jobs, log=self.stdout.write)
        except BackupError as error:
            raise CommandError(str(error)) from None
        self.stdout.write(result.table())
        if result.mismatches:
            raise CommandError(
                f"restore differs from the backup in {len(result.mismatches)} places"
            )
        self.stdout.write("restore matches the backup")

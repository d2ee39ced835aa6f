"""Back up the portal: pg_dump of DATABASE_URL (PostgreSQL) and every stored object a row
names, with manifest.json (see core/backup.py for the consistency rule and the layout).

    python manage.py backup --to /srv/backups/daily/2026-12-07 \
        [--link-from /srv/backups/daily/2026-12-06]

Exit status: 0 done; 1 failed (nothing usable written); 3 written, but some objects named by a
row were already missing from the store (listed in the manifest's "missing").
"""

from __future__ import annotations

from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from core.backup import BackupError, backup


class Command(BaseCommand):
    help = "Back up the database (pg_dump) and every stored object into a new directory."

    def add_arguments(self, parser):
        parser.add_argument(
            "--jobs", type=int, default=8, help="objects transferred at a time (default 8)"
        )
        parser.add_argument("--to", type=Path, required=True, help="new or empty directory")
        parser.add_argument(
            "--link-from",
            type=Path,
            help="an earlier backup on the same file system: its objects are hard-linked",
        )

    def handle(self, *args, to: Path, link_from: Path | None, jobs: int, **options):
        try:
            result = backup(to, link_from=link_from, jobs=jobs, log=self.stdout.write)
        except BackupError as error:
            raise CommandError(str(error)) from None
        self.stdout.write(f"backup written to {to} in {result.manifest['seconds']:.2f} s")
        if result.missing:
            for key in result.missing:
                self.stderr.write(f"missing from the store: {key}")
            raise CommandError(
                f"{len(result.missing)} objects missing from the store", returncode=3
            )

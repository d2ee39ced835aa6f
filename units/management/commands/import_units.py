from pathlib import Path

from django.core.management.base import BaseCommand, CommandError
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from units.unit_import import UnitImportError, read_rows, units_import


class Command(BaseCommand):
    help = "Import work units from CSV or XLSX (code, name, kind, parent_code, province)."

    def add_arguments(self, parser):
        parser.add_argument("file", type=Path)
        parser.add_argument("--dry-run", action="store_true", help="Check every row; save nothing.")

    def handle(self, *args, file: Path, dry_run: bool, **options):
        if not file.is_file():
            raise CommandError(_("Berkas tidak ditemukan: %(path)s") % {"path": file})
        try:
            rows = read_rows(file.name, file.read_bytes())
        except UnitImportError as error:
            raise CommandError(str(error)) from None
        report = units_import(rows=rows, dry_run=dry_run)
        for error in report.errors:
            self.stderr.write(str(error))
        if not report.ok:
            count = len(report.errors)
            raise CommandError(
                ngettext(
                    "%(n)s baris bermasalah; tidak ada unit yang disimpan.",
                    "%(n)s baris bermasalah; tidak ada unit yang disimpan.",
                    count,
                )
                % {"n": count}
            )
        if dry_run:
            self.stdout.write(
                _("%(n)s baris valid (uji saja, tidak disimpan).") % {"n": report.rows}
            )
        else:
            self.stdout.write(self.style.SUCCESS(_("%(n)s unit diimpor.") % {"n": report.created}))

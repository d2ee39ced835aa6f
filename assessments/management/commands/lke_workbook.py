"""The offline LKE workbook from the command line, with the functions the worksheet uses.

    python manage.py lke_workbook export --assessment ID --layer LAYER --file F.xlsx [--as EMAIL]
    python manage.py lke_workbook import --assessment ID --layer LAYER --file F.xlsx --as EMAIL \
        [--dry-run] [--take-workbook CODE,...]

`import` saves the workbook's changes as the account named by --as (who must be able to write
the layer now), through the worksheet's one save path; an item changed in the portal since
the download is kept unless its code is given in --take-workbook. An invalid file or any bad
cell prints each problem (sheet, row, reason), saves nothing and exits with status 2.
"""

from __future__ import annotations

from pathlib import Path

from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.utils.translation import gettext as _

from assessments.assessment import LAYER_ORDER, Assessment
from assessments.permissions import can_view
from assessments.worksheet.offline import apply, export, read
from core.commands import fail, find_reader
from core.errors import WorkflowError


class Command(BaseCommand):
    help = "Export one layer of an assessment as the offline LKE workbook, or import one back."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("action", choices=["export", "import"])
        parser.add_argument("--assessment", required=True, type=int, help="Assessment id.")
        parser.add_argument("--layer", required=True, choices=[str(layer) for layer in LAYER_ORDER])
        parser.add_argument("--file", required=True, type=Path, help="The XLSX file.")
        parser.add_argument("--as", dest="actor", default="", help="E-mail of the acting account.")
        parser.add_argument("--dry-run", action="store_true", help="Check and list; save nothing.")
        parser.add_argument(
            "--take-workbook", default="",
            help="Comma-separated item codes whose conflicts take the workbook's value.",
        )  # fmt: skip

    def handle(self, *args, **options) -> None:
        assessment = (
            Assessment.objects.select_related("unit", "period__lke_version")
            .filter(pk=options["assessment"])
            .first()
        )
        if assessment is None:
            fail(_("Penilaian %(id)s tidak ada.") % {"id": options["assessment"]})
        actor = find_reader(options["actor"])
        if actor is not None and not can_view(actor, assessment):
            fail(_("Akun %(email)s tidak dapat melihat penilaian ini.") % {"email": actor.email})
        if options["action"] == "export":
            self._export(assessment, options["layer"], actor, options["file"])
        else:
            self._import(assessment, actor, options)

    def _export(self, assessment, layer, actor, path: Path) -> None:
        source = export.workbook_source(assessment=assessment, layer=layer, reader=actor)
        path.write_bytes(export.render_offline_workbook(source))
        self.stdout.write(f"{path}: {len(source.items)} items")

    def _import(self, assessment, actor, options) -> None:
        if actor is None:
            fail(_("Impor memerlukan --as: akun yang mengisi lapisan ini."))
        layer = options["layer"]
        try:
            content = options["file"].read_bytes()
        except OSError as error:
            fail(str(error))
        try:
            reading = read.read_workbook(
                assessment=assessment, layer=layer, by=actor, content=content
            )
        except WorkflowError as error:
            fail(str(error))
        if reading.problems:
            for problem in reading.problems:
                self.stderr.write(f"{problem.sheet}\t{problem.row}\t{problem.reason}")
            fail(
                _("%(n)s isian bermasalah; tidak ada yang disimpan.") % {"n": len(reading.problems)}
            )
        for change in reading.changes:
            mark = "CONFLICT" if change["conflict"] else "change"
            self.stdout.write(
                f"{mark}\t{change['code']}\t{change['old_value']!r} -> {change['value']!r}"
            )
        if options["dry_run"]:
            self.stdout.write(_("Uji saja: tidak ada yang disimpan."))
            return
        take = {code.strip() for code in options["take_workbook"].split(",") if code.strip()}
        try:
            done = apply.workbook_apply(
                assessment=assessment, layer=layer, by=actor, changes=reading.changes,
                take_theirs=take,
            )  # fmt: skip
        except WorkflowError as error:
            raise CommandError(str(error), returncode=2) from None
        self.stdout.write(f"saved: {len(done.saved)}; kept (conflicts): {', '.join(done.kept)}")

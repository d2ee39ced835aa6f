"""Render a report synchronously from the command line, with the same functions the jobs use.

    python manage.py render_report lhe --unit CODE_OR_EXACT_NAME --period YEAR \
        [--layer self|preliminary|tpi|tpn] [--as EMAIL] --out FILE.pdf
    python manage.py render_report readiness --period YEAR --out FILE.(xlsx|csv|pdf) \
        [--format xlsx|csv|pdf] [--province NAME] [--kind UNIT_KIND] [--stage STAGE]
    python manage.py render_report lke_workbook --unit CODE_OR_EXACT_NAME --period YEAR \
        [--as EMAIL] --out FILE.xlsx
    python manage.py render_report lke_workbook_zip --period YEAR [--as EMAIL] --out FILE.zip
    python manage.py render_report pmpzi_export --period YEAR [--as EMAIL] --out FILE.zip

Every error exits with status 2 and a one-line message.
"""

from __future__ import annotations

import importlib
import importlib.util
from pathlib import Path

from django.core.management.base import BaseCommand, CommandParser
from django.db.models import Q
from django.utils.translation import gettext as _

from assessments.assessment import LAYER_ORDER
from assessments.models import Assessment, Layer, Period
from assessments.permissions import can_view
from core.commands import fail, find_reader
from reports.kinds import KINDS, ReportParamsError
from reports.models import ReportKind
from units.models import Unit


class Command(BaseCommand):
    help = (
        "Render a report (lhe: one unit's LHE PDF; readiness: national readiness; lke_workbook: "
        "one unit's LKE workbook; lke_workbook_zip: every proposed unit's workbook; "
        "pmpzi_export: the package for KemenPAN-RB of every proposed unit) to a file."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        kinds = parser.add_subparsers(
            dest="kind",
            required=True,
            metavar="{lhe,readiness,lke_workbook,lke_workbook_zip,pmpzi_export}",
        )
        lhe = kinds.add_parser("lhe", help="Laporan Hasil Evaluasi of one unit (PDF).")
        lhe.add_argument("--unit", required=True, help="Unit code or exact unit name.")
        lhe.add_argument("--period", required=True, type=int, help="Period year, e.g. 2026.")
        lhe.add_argument(
            "--layer",
            default=Layer.SELF.value,
            choices=[str(layer) for layer in LAYER_ORDER],
            help="Last layer reported (earlier layers are shown beside it).",
        )
        lhe.add_argument("--out", required=True, type=Path, help="Output PDF file.")
        lhe.add_argument(
            "--as",
            dest="reader",
            default="",
            help="E-mail of the account the file is for: it lists only the evidence that account "
            "may read (default: only what is released to the unit).",
        )
        readiness = kinds.add_parser("readiness", help="National readiness report.")
        readiness.add_argument("--period", required=True, type=int, help="Period year.")
        readiness.add_argument("--out", required=True, type=Path, help="Output file.")
        readiness.add_argument(
            "--format", dest="fmt", help="xlsx, csv or pdf (default: from the --out suffix)."
        )
        readiness.add_argument("--province", default="", help="Only units of this province.")
        readiness.add_argument("--kind", dest="unit_kind", default="", help="Only this unit kind.")
        readiness.add_argument("--stage", default="", help="Only assessments in this stage.")
        as_help = (
            "E-mail of the account the file is for: only the layers, units and evidence that "
            "account sees (default: every layer)."
        )
        workbook = kinds.add_parser("lke_workbook", help="One unit's LKE workbook (XLSX).")
        workbook.add_argument("--unit", required=True, help="Unit code or exact unit name.")
        workbook.add_argument("--period", required=True, type=int, help="Period year.")
        workbook.add_argument("--as", dest="reader", default="", help=as_help)
        workbook.add_argument("--out", required=True, type=Path, help="Output XLSX file.")
        archive = kinds.add_parser(
            "lke_workbook_zip", help="The LKE workbooks of every unit proposed to TPN (ZIP)."
        )
        archive.add_argument("--period", required=True, type=int, help="Period year.")
        archive.add_argument("--as", dest="reader", default="", help=as_help)
        archive.add_argument("--out", required=True, type=Path, help="Output ZIP file.")
        pmpzi = kinds.add_parser(
            "pmpzi_export",
            aliases=["pmpzi"],
            help="The package for KemenPAN-RB (JSON and XLSX) of every proposed unit (ZIP).",
        )
        pmpzi.add_argument("--period", required=True, type=int, help="Period year.")
        pmpzi.add_argument("--as", dest="reader", default="", help=as_help)
        pmpzi.add_argument("--out", required=True, type=Path, help="Output ZIP file.")

    def handle(self, *args, kind: str, **options) -> None:
        handlers = {
            "lhe": self._lhe,
            "lke_workbook": self._lke_workbook,
            "lke_workbook_zip": self._lke_workbook_zip,
            "pmpzi_export": self._pmpzi_export,
            "pmpzi": self._pmpzi_export,
        }
        handlers.get(kind, self._readiness)(options)

    def _assessment_and_reader(self, options):
        """The unit's assessment of the period, and the account the file is made for (who must
        be able to see it); the command fails with a message otherwise."""
        unit = find_unit(options["unit"])
        assessment = (
            Assessment.objects.filter(unit=unit, period__year=options["period"])
            .select_related("unit", "unit__parent", "period", "period__lke_version")
            .first()
        )
        if assessment is None:
            fail(
                _("Unit %(unit)s tidak mempunyai penilaian pada periode %(year)s.")
                % {"unit": unit.code, "year": options["period"]}
            )
        reader = find_reader(options["reader"])
        if reader is not None and not can_view(reader, assessment):
            fail(_("Akun %(email)s tidak dapat melihat penilaian ini.") % {"email": reader.email})
        return assessment, reader

    def _lhe(self, options) -> None:
        from reports.lhe import render_lhe

        assessment, reader = self._assessment_and_reader(options)
        pdf = render_lhe(assessment=assessment, reader=reader, layer=options["layer"])
        self._write(options["out"], pdf)

    def _lke_workbook(self, options) -> None:
        from reports.lke_workbook import render_workbook, workbook_data
        from reports.lke_workbook.data import workbook_layers

        assessment, reader = self._assessment_and_reader(options)
        layers = workbook_layers(reader, assessment)
        data = workbook_data(assessment=assessment, reader=reader, layers=layers)
        self._write(options["out"], render_workbook(data))

    def _lke_workbook_zip(self, options) -> None:
        from reports.lke_workbook.archive import write_workbook_zip

        self._period_zip(options, ReportKind.LKE_WORKBOOK_ZIP, write_workbook_zip)

    def _pmpzi_export(self, options) -> None:
        from reports.pmpzi.archive import write_pmpzi_zip

        self._period_zip(options, ReportKind.PMPZI_EXPORT, write_pmpzi_zip)

    def _period_zip(self, options, kind: str, write) -> None:
        """A ZIP of every proposed unit of a period, for the account of --as (asked the same as
        its own request would be) or, without it, for nobody in particular."""
        period = Period.objects.filter(year=options["period"]).first()
        if period is None:
            fail(_("Periode tidak dikenal."))
        reader = find_reader(options["reader"])
        if reader is not None:
            try:
                KINDS[kind].clean({"period": period.year}, reader)
            except ReportParamsError as error:
                fail(str(error))
        out: Path = options["out"]
        try:
            with out.open("wb") as handle:
                count = write(period=period, reader=reader, out=handle)
        except OSError as error:
            fail(_("Tidak dapat menulis %(path)s: %(error)s") % {"path": out, "error": error})
        self.stdout.write(_("%(path)s (%(n)s unit)") % {"path": out, "n": count})

    def _readiness(self, options) -> None:
        # reports.readiness is another module's; until it is there, say so, not a traceback.
        if importlib.util.find_spec("reports.readiness") is None:
            fail(_("Laporan kesiapan belum tersedia (modul reports.readiness tidak ada)."))
        readiness_cli = getattr(importlib.import_module("reports.readiness"), "readiness_cli", None)
        if readiness_cli is None:
            fail(_("Laporan kesiapan belum tersedia (readiness_cli tidak ada)."))
        out: Path = options["out"]
        try:
            size = readiness_cli(
                period_year=options["period"],
                fmt=options["fmt"] or out.suffix.lstrip(".").lower() or "xlsx",
                out=str(out),
                province=options["province"],
                kind=options["unit_kind"],
                stage=options["stage"],
            )
        except ValueError as error:
            fail(str(error))
        except OSError as error:
            fail(_("Tidak dapat menulis %(path)s: %(error)s") % {"path": out, "error": error})
        self.stdout.write(_("%(path)s (%(size)s bita)") % {"path": out, "size": size})

    def _write(self, path: Path, content: bytes) -> None:
        try:
            path.write_bytes(content)
        except OSError as error:
            fail(_("Tidak dapat menulis %(path)s: %(error)s") % {"path": path, "error": error})
        self.stdout.write(_("%(path)s (%(size)s bita)") % {"path": path, "size": len(content)})


def find_unit(term: str) -> Unit:
    """The unit whose code or exact name is `term`; an error when none or several match."""
    units = list(Unit.objects.filter(Q(code=term) | Q(name=term)).order_by("code")[:6])
    if not units:
        fail(_("Unit tidak ditemukan: %(term)s") % {"term": term})
    if len(units) > 1:
        codes = ", ".join(unit.code for unit in units[:5])
        fail(_("Unit tidak unik: %(term)s (kode: %(codes)s)") % {"term": term, "codes": codes})
    return units[0]

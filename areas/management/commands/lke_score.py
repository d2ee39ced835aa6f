"""Score an answers file with the stored LKE: `lke_score FILE [--lke YEAR] [--json]`."""

from pathlib import Path

from areas import scoring
from areas.instrument import Instrument
from areas.instrument_db import instrument_for
from areas.labels import metric_label
from areas.results import ScoreResult, display
from areas.selectors import published_version_for_year
from core.commands import JsonFileCommand


class Command(JsonFileCommand):
    expected = "a JSON object with answers and hasil"
    help = "Score an LKE answers file (JSON) and print the breakdown and predicate checks."

    def add_arguments(self, parser):
        parser.add_argument("file", type=Path)
        parser.add_argument("--lke", help="Year of the published LKE version (default: the file's)")
        parser.add_argument("--json", action="store_true", help="Print JSON instead of a table.")

    def handle(self, *args, file, lke, json: bool, **options):
        data = self.read_json_object(file)
        year = lke or data.get("lke") or "2021"
        version = published_version_for_year(year) if str(year).isdigit() else None
        if version is None:
            self.fail([f"lke: no published LKE version for year {year!r} (run load_lke)"])
        instrument = instrument_for(version)
        try:
            result = scoring.score(
                instrument, data.get("answers"), data.get("hasil"), data.get("prior_predicate")
            )
        except scoring.InvalidAnswersError as error:
            self.fail(error.errors)
        if json:
            self.stdout.write(self.dumps(result.as_dict()))
        else:
            self.stdout.write(render_table(version.name, instrument, result))


def _n(value) -> str:
    return f"{display(value):.2f}"


def render_table(title: str, instrument: Instrument, result: ScoreResult) -> str:
    """The breakdown as a readable Indonesian table."""
    lines = [title, "", f"{'Area':<44}{'Pemenuhan':>10}{'Reform':>8}{'Total':>8}{'%':>8}"]
    for area in result.areas:
        lines.append(
            f"{area.number}. {area.name[:40]:<41}{_n(area.pemenuhan):>10}{_n(area.reform):>8}"
            f"{_n(area.total):>8}{_n(area.percent):>8}"
        )
    detail = result.hasil_detail
    lines += [
        "",
        f"Pemenuhan {_n(result.pemenuhan)}   Reform {_n(result.reform)}   "
        f"Pengungkit {_n(result.pengungkit)}",
        f"Hasil {_n(result.hasil)}: IPAK {_n(detail['ipak'])}, capaian kinerja "
        f"{_n(detail['capaian'])} (birokrasi bersih {_n(detail['birokrasi_bersih'])}); "
        f"pelayanan prima {_n(detail['pelayanan_prima'])}",
        f"NILAI TOTAL {_n(result.total)}",
        f"Progres: {result.answered} dari {result.item_count} butir terjawab",
        "",
    ]
    for name, predicate in result.predicates.items():
        if predicate.eligible:
            lines.append(f"{name}: memenuhi syarat")
            continue
        lines.append(f"{name}: tidak memenuhi syarat")
        for rule in predicate.failed:
            if rule.margin is None:
                lines.append(
                    f"  - {metric_label(rule.name)}: harus sudah berpredikat {rule.minimum}"
                )
            else:
                lines.append(
                    f"  - {metric_label(rule.name)}: {_n(rule.value)} < {_n(rule.minimum)} "
                    f"(kurang {_n(-rule.margin)})"
                )
    return "\n".join(lines)

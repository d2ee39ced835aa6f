"""The IKM of a file of responses: `ikm_score FILE [--json]` (PermenPAN-RB 14/2017).

FILE is `{"responses": [[4, 3, null, 4, 4, 3, 3, 2, 4], ...]}`: nine values 1-4 or null per
respondent, in the order U1..U9. Bad input: one line per problem on stderr, exit status 2."""

from pathlib import Path

from core.commands import JsonFileCommand
from surveys import ikm

UNSUR_NAMES = (
    "Persyaratan", "Sistem, mekanisme dan prosedur", "Waktu penyelesaian", "Biaya/tarif",
    "Produk spesifikasi jenis pelayanan", "Kompetensi pelaksana", "Perilaku pelaksana",
    "Penanganan pengaduan, saran dan masukan", "Sarana dan prasarana",
)  # fmt: skip


class Command(JsonFileCommand):
    expected = 'a JSON object with a list under "responses"'
    help = "Compute the IKM (PermenPAN-RB 14/2017) of a JSON file of survey responses."

    def add_arguments(self, parser):
        parser.add_argument("file", type=Path)
        parser.add_argument("--json", action="store_true", help="Print JSON instead of a table.")

    def handle(self, *args, file: Path, json: bool, **options):
        try:
            result = ikm.compute(
                ikm.validate(self.read_json_object(file, required="responses")["responses"])
            )
        except ikm.InvalidResponses as error:
            self.fail(error.errors)
        self.stdout.write(self.dumps(result.as_dict()) if json else render_table(result))


def render_table(result: ikm.IkmResult) -> str:
    """The result as the IKM report's table: NRR and interval per unsur, then IKM and mutu."""
    lines = [f"Responden: {result.respondents}", "", f"{'Unsur':<46}{'n':>6}{'NRR':>9}  Mutu"]
    for code, name in zip(ikm.UNSUR, UNSUR_NAMES, strict=True):
        value = result.nrr[code]
        shown = "-" if value is None else f"{float(value):.4f}"
        interval = result.interval(code) or "-"
        lines.append(f"{code} {name:<43}{result.answered[code]:>6}{shown:>9}  {interval}")
    lines.append("")
    if result.ikm is None:
        lines.append("IKM: - (tidak ada jawaban)")
    else:
        lines.append(f"IKM unit: {float(result.ikm_unit):.4f}")
        lines.append(f"IKM: {result.ikm} · mutu {result.mutu} ({result.kinerja})")
    return "\n".join(lines) + "\n"

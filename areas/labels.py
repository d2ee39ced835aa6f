"""Human names of the engine's metrics, predicate rules and numeric inputs, the one way an answer
is written out (option, percent, index or labelled counts), and the one way a score is shown:
two decimals in the active language (Indonesian 5,22), rounded as the engine's display() does.
Pages (the `score` filter), messages, reports and exports all go through format_score."""

from decimal import Decimal

from django.utils import formats
from django.utils.translation import gettext as _

from areas.results import RuleResult, display
from areas.scoring import AnswerError, to_decimal

DASH = "–"

_LABELS = {
    "total": lambda: _("Nilai total"),
    "pengungkit": lambda: _("Pengungkit"),
    "pemenuhan": lambda: _("Pemenuhan"),
    "reform": lambda: _("Reform"),
    "hasil": lambda: _("Hasil"),
    "birokrasi_bersih": lambda: _("Hasil I: birokrasi bersih dan akuntabel"),
    "ipak": lambda: _("IPAK (survei persepsi korupsi)"),
    "capaian": lambda: _("Capaian kinerja"),
    "pelayanan_prima": lambda: _("Hasil II: pelayanan prima (IPKP)"),
    "prior_predicate": lambda: _("Predikat sebelumnya"),
    "area_percent": lambda: _("Setiap area (persen dari bobot)"),
}


def metric_label(name: str) -> str:
    if name.startswith("area_") and name.removeprefix("area_").isdigit():
        return _("Area %(n)s") % {"n": name.removeprefix("area_")}
    label = _LABELS.get(name)
    return label() if label else name


def format_score(value: Decimal | float | int | None) -> str:
    """A score as every page, message and report shows it: 2 decimals, the active locale."""
    if value is None or value == "":
        return DASH
    return formats.number_format(display(Decimal(str(value))), 2)


def rule_text(rule: RuleResult, *, shortfall: bool = False) -> str:
    """One failed (or met) rule in words: "Area 3: 5,22 < 6,00" (shortfall adds "(kurang 0,78)")."""
    label = metric_label(rule.name)
    if rule.margin is None:  # prior predicate
        return _("%(label)s: harus sudah berpredikat %(p)s") % {"label": label, "p": rule.minimum}
    sign = "≥" if rule.passed else "<"
    text = f"{label}: {format_score(rule.value)} {sign} {format_score(rule.minimum)}"
    if shortfall and not rule.passed:
        text += " " + _("(kurang %(n)s)") % {"n": format_score(-rule.margin)}
    return text


# The raw counts a numeric question asks for (QuestionSpec.inputs), as people read them.
INPUT_LABELS = {
    "agents": lambda: _("Jumlah agen perubahan"),
    "changes": lambda: _("Jumlah perubahan yang dibuat"),
    "integrated": lambda: _("Perubahan yang terintegrasi ke sistem manajemen"),
    "violations_last_year": lambda: _("Pelanggaran tahun lalu"),
    "violations_this_year": lambda: _("Pelanggaran tahun ini"),
    "violations_sanctioned": lambda: _("Pelanggaran yang diberi sanksi"),
    "targets": lambda: _("Jumlah target kinerja"),
    "achieved": lambda: _("Target tercapai ≥ 100%"),
    "to_follow_up": lambda: _("Pengaduan yang harus ditindaklanjuti"),
    "in_process": lambda: _("Pengaduan dalam proses"),
    "completed": lambda: _("Pengaduan selesai"),
    "obliged": lambda: _("Jumlah wajib lapor"),
    "filed": lambda: _("Jumlah yang sudah melapor"),
    "registered": lambda: _("Layanan terdaftar"),
    "simplified": lambda: _("Layanan yang disederhanakan"),
}


def input_label(name: str) -> str:
    label = INPUT_LABELS.get(name)
    return label() if label else name


def format_number(raw) -> str:
    """A number as typed or stored (count, percent, index), in the active language: 3,5."""
    try:
        number = to_decimal(raw)
    except AnswerError:
        return str(raw)
    # 3.0 is written 3 and 3.50 is 3,5: the digits that were typed, not the float's.
    number = number.quantize(Decimal(1)) if number == number.to_integral_value() else number
    return formats.number_format(number.normalize() if number.as_tuple().exponent < 0 else number)


def answer_text(value, question=None) -> str:
    """An answer as entered: an option label, a percent, a survey index, or each count with
    its label ("Jumlah agen perubahan: 12, Jumlah perubahan yang dibuat: 8"), in the
    question's order when it is given."""
    if value is None:
        return DASH
    if isinstance(value, dict):
        inputs = value.get("inputs") or {}
        order = list(getattr(question, "inputs", None) or [])
        names = [n for n in order if n in inputs] + [n for n in inputs if n not in order]
        return ", ".join(f"{input_label(n)}: {format_number(inputs[n])}" for n in names)
    if isinstance(value, str):
        return value
    if question is not None and question.answer_type == "percent":
        return f"{format_number(value)} %"
    return format_number(value)

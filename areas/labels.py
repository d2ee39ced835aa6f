"""Human names of the engine's metrics and predicate rules, and the one way a score is shown:
two decimals in the active language (Indonesian 5,22), rounded as the engine's display() does.
Pages (the `score` filter), messages, reports and exports all go through format_score."""

from decimal import Decimal

from django.utils import formats
from django.utils.translation import gettext as _

from areas.results import RuleResult, display

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

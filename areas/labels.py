"""Human names of the engine's metrics and predicate rules, for tables, pages and reports."""

from django.utils.translation import gettext as _

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

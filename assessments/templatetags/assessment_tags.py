from decimal import Decimal

from django import template
from django.utils.translation import gettext as _

register = template.Library()

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


@register.filter
def answer_in(row, layer):
    return row.answer_in(layer) if row is not None and layer else None


@register.filter
def get_item(mapping, key):
    try:
        return mapping.get(key)
    except AttributeError:
        return None


@register.filter
def input_label(name):
    label = INPUT_LABELS.get(name)
    return label() if label else name


@register.filter
def input_value(value, name):
    if isinstance(value, dict):
        return value.get("inputs", {}).get(name, "")
    return ""


@register.filter
def answer_display(value):
    if value is None:
        return ""
    if isinstance(value, dict):
        return ", ".join(f"{k}={v}" for k, v in value.get("inputs", {}).items())
    return value


@register.filter
def percent(score):
    if score is None:
        return ""
    return f"{(Decimal(score) * 100).quantize(Decimal('0.01'))} %"


@register.filter
def posted_input(posted, name):
    return posted.get(f"input_{name}", "") if posted else ""

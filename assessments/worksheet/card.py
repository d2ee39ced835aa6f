"""An LKE item's card on the worksheet: the one template rendered once per item (issue 16).

`templates/jinja2/assessments/card.jinja` (Jinja2, see core/jinja.py) renders it, for the whole
tab in one call (`cards_html`, from the tab's Django template) and alone after an autosave, a
return or a comment (`render_card`). Its words are here, in Python, so that `makemessages`
extracts them; `text()` translates them once per language for the life of the process.
"""

from __future__ import annotations

from decimal import Decimal
from functools import cache

from django.http import HttpResponse
from django.template import engines
from django.template.backends.utils import csrf_input
from django.utils import translation
from django.utils.html import format_html
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from areas import labels

TEMPLATE = "assessments/card.jinja"

# Everything a card reads besides the row; the views (and the tab) give what they have.
CONTEXT_DEFAULTS = {
    "assessment": None,
    "urls": {},
    "layers": [],
    "writable": None,
    "threads": None,
    "layer_labels": {},
    "can_accept": False,
    "can_return": False,
    "filter": "all",
    "posted": None,
    "error": None,
    "saved": False,
    "conflict": False,
    "tabs": None,
    "comments_open": False,
    "comment_posted": "",
    "comment_error": None,
}

_TEXT = {
    "disagreement": _("beda nilai"),
    "returned": _("Dikembalikan"),
    "layer": _("Lapisan"),
    "answer": _("Jawaban"),
    "score": _("Nilai"),
    "note": _("Catatan"),
    "accept": _("Setujui nilai unit"),
    "saved_by_at": _("Tersimpan oleh %(who)s, %(when)s:"),
    "yours_below": _(
        "Isian Anda ada di bawah; simpan untuk menggantinya, atau muat ulang untuk memakai "
        "yang tersimpan."
    ),
    "computed_percent": _("Persentase terhitung"),
    "index_1_4": _("Indeks (1–4)"),
    "percent_0_100": _("Persentase (0–100)"),
    "save": _("Simpan"),
    "not_saved": _("Tidak disimpan:"),
    "stored_unchanged": _("Jawaban tersimpan tidak berubah."),
    "saved": _("Tersimpan"),
    "stored_by_at": _("Disimpan %(who)s, %(when)s"),
    "return_cancel": _("Batalkan tanda dikembalikan"),
    "return_note": _("Catatan perbaikan"),
    "return_placeholder": _("Catatan perbaikan untuk unit"),
    "return_mark": _("Tandai dikembalikan"),
    "history": _("Riwayat jawaban dan pengembalian"),
    "history_page": _("Buka halaman riwayat"),
    "no_comments": _("Belum ada komentar."),
    "to": _("Kepada"),
    "comment": _("Komentar"),
    "comment_to_reviewer": _("Tulis pertanyaan atau penjelasan untuk penilai"),
    "comment_to_unit": _("Tulis komentar untuk unit"),
    "comment_send": _("Kirim komentar"),
    "evidence": _("Data dukung"),
    "incomplete": _("belum lengkap"),
    "view_upload": _("Lihat/unggah"),
    "evidence_page": _("Buka halaman data dukung"),
    "dictionary": _("Kamus eviden butir ini"),
    "covered": _("terpenuhi"),
    "awaiting": _("menunggu pemeriksaan"),
    "missing": _("belum terpenuhi"),
    "in_period": _("harus dalam periode"),
    "signed": _("harus ditandatangani"),
    "fill_button": _("Isi dari survei %(kind)s (%(n)s responden)"),
    "cannot_fill": _("Belum dapat diisi dari survei:"),
    "manual_index": _(
        "Diisi manual (survei pihak lain)? Tulis sumbernya di catatan dan unggah laporannya "
        "sebagai data dukung."
    ),
    "from_survey": _("Dari survei"),
    "respondents": _("%(n)s responden"),
    "index_mapped": _("indeks %(index)s (skala 1–%(k)s) → %(lke)s (1–4)"),
    "filled_by_at": _("diisi oleh %(who)s, %(when)s"),
    "distribution": _("Sebaran jawaban"),
}


def _returned_times(n: int) -> str:
    return ngettext("%(n)s kali dikembalikan", "%(n)s kali dikembalikan", n) % {"n": n}


def _discussion(n: int) -> str:
    return ngettext("Diskusi (%(n)s)", "Diskusi (%(n)s)", n) % {"n": n}


@cache
def _text_in(language: str) -> dict:
    with translation.override(language):
        words = {key: str(value) for key, value in _TEXT.items()}
    return words


def text() -> dict:
    """The card's words in the active language (a published catalogue does not change)."""
    return {
        **_text_in(translation.get_language() or "id"),
        "returned_times": _returned_times,
        "discussion": _discussion,
    }


class _Formats:
    """How a card writes answers and numbers."""

    answer = staticmethod(labels.answer_text)  # "–" when there is none
    input_label = staticmethod(labels.input_label)

    @staticmethod
    def input_value(value, name: str) -> str:
        """One count of a stored answer of several counts, or empty."""
        return value.get("inputs", {}).get(name, "") if isinstance(value, dict) else ""

    @staticmethod
    def number_input(value) -> str:
        """A stored number as the person types it back (Indonesian 3,5), or empty."""
        if value is None or isinstance(value, (dict, str)):
            return ""
        return labels.format_number(value)

    @staticmethod
    def state_class(state: str) -> str:
        """The badge of an evidence dictionary entry's state (evidence.coverage)."""
        return {"covered": "text-bg-success", "awaiting": "text-bg-light"}.get(
            state, "text-bg-warning"
        )

    @staticmethod
    def number(value) -> str:
        return labels.format_number(value)

    @staticmethod
    def fill_surveys(fill) -> str:
        """The names of the surveys an LkeFill combined (their windows of the period)."""
        surveys = (fill.distribution or {}).get("surveys") or [{"name": fill.survey.name}]
        return ", ".join(str(s.get("name", "")) for s in surveys)

    @staticmethod
    def fill_scale(fill) -> int:
        return (fill.distribution or {}).get("scale_max") or fill.survey.instrument.scale_max

    @staticmethod
    def fill_collection(fill) -> str:
        """How the responses were collected: with one-time codes, or one per device per day
        over how many days (a burst on one day is for the reviewer to weigh)."""
        seen = (fill.distribution or {}).get("collection")
        if not seen:
            return ""
        if seen.get("with_codes"):
            return str(_("dengan kode sekali pakai (satu jawaban per transaksi)"))
        return str(
            _(
                "tanpa kode (satu jawaban per perangkat per hari): %(days)s hari, "
                "paling banyak %(max)s jawaban sehari"
            )
            % {"days": seen.get("days", 0), "max": seen.get("busiest_day", 0)}
        )

    @staticmethod
    def fill_distribution(fill) -> list[tuple[str, str]]:
        """Per question, how many gave each value: ("P1", "1:0 2:3 3:20 4:19")."""
        questions = (fill.distribution or {}).get("questions") or {}
        return [
            (code, " ".join(f"{value}:{n}" for value, n in counts.items()))
            for code, counts in questions.items()
        ]

    @staticmethod
    def percent(score) -> str:
        return "" if score is None else f"{(Decimal(score) * 100).quantize(Decimal('0.01'))} %"


def card_context(context, **row) -> dict:
    values = {key: context.get(key, default) for key, default in CONTEXT_DEFAULTS.items()}
    return {**values, **row, "t": text(), "fmt": _Formats}


def cards_html(context, rows, sheet) -> str:
    """Every card of one indicator of a tab, from the tab's Django template context."""
    values = card_context(
        context,
        rows=rows,
        layers=sheet.layers,
        writable=sheet.writable,
        threads=sheet.threads,
    )
    # The Jinja2 template itself (not the backend's wrapper, which would give it a lazy CSRF
    # input that masks the token anew at each of the card's three or four forms).
    template = engines["jinja2"].get_template("assessments/cards.jinja").template
    # The page's one CSRF token (Django's context processor works it out once per request).
    token = context.get("csrf_token")
    return template.render(values, csrf_input=format_html(CSRF_INPUT, token) if token else "")


def render_card(request, context: dict, status: int = 200) -> HttpResponse:
    """One card as the answer to an autosave, a return or a comment (htmx swaps it in)."""
    template = engines["jinja2"].get_template(TEMPLATE).template
    values = card_context(context, row=context["row"])
    html = template.render(values, csrf_input=_csrf_input(request))
    return HttpResponse(html, status=status)


CSRF_INPUT = '<input type="hidden" name="csrfmiddlewaretoken" value="{}">'  # as Django's tag


def _csrf_input(request) -> str:
    return csrf_input(request) if request is not None else ""

"""Reading a worksheet answer from a form post, and the return form."""

from __future__ import annotations

from decimal import Decimal, InvalidOperation

from django import forms
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy as _lazy

from areas import labels, scoring
from areas.models import AnswerType, Question
from areas.numbers import NumberError, parse_count, parse_decimal, parse_id


class AnswerInputError(ValueError):
    pass


def parse_answer(question: Question, data) -> object:
    """The answer value a question's widget posted, as the engine takes it; None clears it.
    Every number is bounded on its text first (areas.numbers)."""
    try:
        return _parse_answer(question, data)
    except NumberError as error:
        raise AnswerInputError(str(error)) from None


def _parse_answer(question: Question, data) -> object:
    if question.answer_type == AnswerType.PERCENT and question.inputs:
        raw = {name: data.get(f"input_{name}", "").strip() for name in question.inputs}
        if not any(raw.values()):
            return None
        if not all(raw.values()):
            raise AnswerInputError(_("Isi semua angka atau kosongkan semuanya."))
        counts = {
            name: parse_count(value, label=labels.input_label(name)) for name, value in raw.items()
        }
        formula = scoring.FORMULAS.get(question.formula or "")
        for part, whole in formula.parts if formula else ():
            if part in counts and whole in counts and counts[part] > counts[whole]:
                raise AnswerInputError(
                    _("%(part)s (%(p)s) tidak boleh lebih besar dari %(whole)s (%(w)s).")
                    % {
                        "part": labels.input_label(part),
                        "p": counts[part],
                        "whole": labels.input_label(whole),
                        "w": counts[whole],
                    }
                )
        return {"inputs": counts}
    raw = data.get("value", "").strip()
    if raw == "":
        return None
    if question.answer_type in (AnswerType.PERCENT, AnswerType.SURVEY_INDEX):
        value = parse_decimal(raw, label=_("Nilai"))
        if question.answer_type == AnswerType.PERCENT and value < 0:
            raise AnswerInputError(_("Persentase tidak boleh negatif."))
        if question.answer_type == AnswerType.SURVEY_INDEX and not 1 <= value <= 4:
            raise AnswerInputError(
                _("Indeks survei harus antara 1 dan 4 (misalnya 3,25); %(value)s di luar rentang.")
                % {"value": raw}
            )
        return float(value)
    offered = [option.label for option in question.options.all()]
    if raw not in offered:
        raise AnswerInputError(_("Pilih salah satu jawaban yang tersedia."))
    return raw


def number_text(raw) -> str:
    """A number (a spreadsheet cell, a JSON number) as the text the form parses: 0.00001 as
    "0.00001", not "1e-05"; 87.0 as "87"; text as typed (87,5), trimmed."""
    if raw is None or isinstance(raw, bool):
        return "" if raw is None else str(raw)
    if isinstance(raw, float | int | Decimal):
        try:
            number = Decimal(repr(raw)) if isinstance(raw, float) else Decimal(raw)
        except InvalidOperation:
            return str(raw)
        if not number.is_finite():
            return str(raw)
        if number == number.to_integral_value() and abs(number) < 10**12:
            return str(int(number))
        return format(number.normalize(), "f")
    return str(raw).strip()


def parse_revision(data) -> int | None:
    return parse_id(data.get("revision", ""))


class ReturnForm(forms.Form):
    note = forms.CharField(
        label=_lazy("Catatan perbaikan"), required=False, widget=forms.Textarea(attrs={"rows": 2})
    )

from decimal import Decimal

from django import template

from areas import labels
from assessments.workflow import TRANSITIONS

register = template.Library()


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
    return labels.input_label(name)


@register.filter
def input_value(value, name):
    if isinstance(value, dict):
        return value.get("inputs", {}).get(name, "")
    return ""


@register.filter
def answer_display(value):
    return "" if value is None else labels.answer_text(value)


@register.filter
def number_input(value):
    """A stored number as the person types it back (Indonesian 3,5), or empty."""
    return "" if value is None or isinstance(value, (dict, str)) else labels.format_number(value)


@register.filter
def percent(score):
    if score is None:
        return ""
    return f"{(Decimal(score) * 100).quantize(Decimal('0.01'))} %"


@register.filter
def posted_input(posted, name):
    return posted.get(f"input_{name}", "") if posted else ""


@register.filter
def transition_confirm(name):
    """The question asked before a stage step that cannot be taken back (assessments.workflow)."""
    transition = TRANSITIONS.get(name)
    return transition.confirm if transition else ""

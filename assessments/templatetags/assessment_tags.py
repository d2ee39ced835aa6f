from django import template
from django.utils.safestring import mark_safe

from areas import labels
from assessments import queues
from assessments.workflow import TRANSITIONS
from assessments.worksheet.card import cards_html

register = template.Library()


@register.filter
def get_item(mapping, key):
    try:
        return mapping.get(key)
    except AttributeError:
        return None


@register.filter
def answer_display(value):
    return "" if value is None else labels.answer_text(value)


@register.filter
def transition_confirm(name):
    """The question asked before a stage step that cannot be taken back (assessments.workflow)."""
    transition = TRANSITIONS.get(name)
    return transition.confirm if transition else ""


@register.simple_tag(takes_context=True)
def question_cards(context, rows, sheet):
    """The cards of one indicator's items (Jinja2: assessments/worksheet/card.py)."""
    return mark_safe(cards_html(context, rows, sheet))  # noqa: S308 (an autoescaped template)


@register.simple_tag
def queue_rows(rows):
    """The rows of a page of the queue (Jinja2: assessments/queues.py)."""
    return queues.rows_html(rows)

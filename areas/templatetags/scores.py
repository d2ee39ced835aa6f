"""`{% load scores %}`: `{{ value|score }}` shows a score as every message and report does."""

from django import template

from areas.labels import format_score, rule_text

register = template.Library()

register.filter("score", format_score)


@register.filter
def rule_words(rule, shortfall: bool = False) -> str:
    return rule_text(rule, shortfall=bool(shortfall))

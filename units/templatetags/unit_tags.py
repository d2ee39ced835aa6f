from django import template

from units import tree_rows

register = template.Library()


@register.simple_tag
def unit_rows(units, query=""):
    """The rows of a page of units (Jinja2: units/tree_rows.py)."""
    return tree_rows.rows_html(units, query)

"""The unit tree's table rows (the tree browser, a unit's sub-units and the search), rendered
by a Jinja2 template as the queue's rows are (core/jinja.py): up to fifty rows per page."""

from __future__ import annotations

from collections.abc import Iterable

from django.template import engines
from django.utils.translation import gettext_lazy as _

from units.models import Unit

TEXT = {
    "inactive": _("nonaktif"),
    "under": _("di bawah"),
}


def rows_html(units: Iterable[Unit], query: str = "") -> str:
    """The rows; with a search `query`, each unit also names its parent."""
    template = engines["jinja2"].get_template("units/unit_rows.jinja").template
    text = {key: str(value) for key, value in TEXT.items()}
    return template.render(rows=units, query=query, text=text)

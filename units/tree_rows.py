"""The unit tree's table rows (the tree browser, a unit's sub-units and the search), rendered
by a Jinja2 template as the queue's rows are (core/jinja.py): up to fifty rows per page."""

from __future__ import annotations

from collections.abc import Iterable

from django.utils.safestring import SafeString
from django.utils.translation import gettext_lazy as _

from core.jinja import render_rows
from units.models import Unit

TEXT = {
    "inactive": _("nonaktif"),
    "under": _("di bawah"),
}


def rows_html(units: Iterable[Unit], query: str = "") -> SafeString:
    """The rows; with a search `query`, each unit also names its parent."""
    return render_rows("units/unit_rows.jinja", TEXT, rows=units, query=query)

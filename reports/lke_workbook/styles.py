"""The LKE workbook's cell formats: one per (kind, number format), each layer's header in its
colour on the LHE's charts."""

from __future__ import annotations

from assessments.assessment import LAYER_COLORS
from core.cells import SHEET_FILLS as FILLS


class Styles:
    """The workbook's formats, made once per (kind, number format)."""

    BASE = {
        "title": {"bold": True, "font_size": 14},
        "subtitle": {"italic": True, "font_color": "#555555"},
        "label": {"bold": True},
        "head": {"bold": True, "text_wrap": True, "align": "center", "valign": "vcenter",
                 "border": 1, "bg_color": FILLS["head"]},
        "text": {"text_wrap": True, "valign": "top", "border": 1},
        "code": {"valign": "top", "border": 1},
        "cell": {"valign": "top", "align": "center", "border": 1},
        "note": {"text_wrap": True, "valign": "top", "border": 1, "font_size": 9},
        "link": {"text_wrap": True, "valign": "top", "border": 1, "font_size": 9,
                 "font_color": "#1F4E9E", "underline": 1},
        "section": {"bold": True, "valign": "top", "border": 1, "text_wrap": True,
                    "bg_color": FILLS["section"]},
        "indicator": {"bold": True, "valign": "top", "border": 1, "text_wrap": True,
                      "bg_color": FILLS["indicator"]},
        "total": {"bold": True, "valign": "top", "border": 1, "text_wrap": True,
                  "bg_color": FILLS["total"]},
        "verdict": {"bold": True, "align": "center", "border": 1, "bg_color": FILLS["total"]},
    }  # fmt: skip

    def __init__(self, workbook) -> None:
        self.workbook, self._made = workbook, {}

    def __call__(self, kind: str, number: str | None = None):
        key = (kind, number)
        if key not in self._made:
            spec = dict(self.BASE[kind])
            if number:
                spec["num_format"] = number
            self._made[key] = self.workbook.add_format(spec)
        return self._made[key]

    def layer(self, layer: str):
        key = ("layer", layer)
        if key not in self._made:
            self._made[key] = self.workbook.add_format(
                {"bold": True, "align": "center", "valign": "vcenter", "border": 1,
                 "text_wrap": True, "font_color": "#FFFFFF", "bg_color": LAYER_COLORS[layer]}
            )  # fmt: skip
        return self._made[key]

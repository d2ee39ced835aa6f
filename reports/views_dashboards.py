"""The dashboard page, and the geometry of its inline SVG charts (no JavaScript, no CDN).

Chart coordinates are strings formatted here: a template would localise floats ("12,5"),
which SVG cannot read. Labels and values shown as text are localised with number_format.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from decimal import Decimal

from django.core.exceptions import PermissionDenied
from django.shortcuts import render
from django.utils.formats import number_format
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET

from assessments.models import Layer
from reports.dashboard_queries import RISK_PROGRESS, RISK_WINDOW_DAYS
from reports.dashboards import Dashboard, dashboard_data
from units import permissions
from units.models import Role

DASHBOARD_ROLES = (Role.ADMIN, Role.REVIEWER, Role.TPI)


@require_GET
def dashboard(request):
    """Admin nasional sees the country; Kanwil/Eselon I reviewers and TPI their subtree."""
    if not permissions.has_role(request.user, *DASHBOARD_ROLES):
        raise PermissionDenied
    dash = dashboard_data(request.user, request.GET)
    context = {
        "dash": dash,
        "charts": dashboard_charts(dash) if dash.filters.period else {},
        "risk_days": RISK_WINDOW_DAYS,
        "risk_percent": int(RISK_PROGRESS * 100),
    }
    return render(request, "reports/dashboard.html", context)


# --------------------------------------------------------------------------- charts

LAYER_COLORS = {
    Layer.SELF: "#198754", Layer.PRELIMINARY: "#0d6efd", Layer.TPI: "#fd7e14",
    Layer.TPN: "#6f42c1",
}  # fmt: skip
STAGE_COLOR, PROGRESS_COLOR = "#20c997", "#198754"
WIDTH, ROW, BAR_HEIGHT, LABEL_WIDTH, BAR_WIDTH = 640, 26, 16, 236, 330
PLOT_LEFT, PLOT_RIGHT, PLOT_TOP, PLOT_BOTTOM, PLOT_HEIGHT = 44, 630, 12, 212, 262
GRID_STEPS = (0, 25, 50, 75, 100)


def _f(value: float | Decimal) -> str:
    return f"{float(value):.1f}"


@dataclass(frozen=True)
class Mark:
    """One drawn thing: a bar, a grid line, an axis label, a legend entry or a dot."""

    label: str = ""  # what it stands for (also its tooltip)
    text: str = ""  # the value written beside it
    x: str = "0"
    y: str = "0"
    w: str = "0"
    h: str = "0"
    color: str = ""
    tx: str = "0"  # where its text goes
    ty: str = "0"


@dataclass(frozen=True)
class Line:
    label: str
    color: str
    points: str  # "x,y x,y …" for <polyline>
    dots: list[Mark]


@dataclass(frozen=True)
class Chart:
    id: str
    title: str
    desc: str
    height: int
    width: int = WIDTH
    bars: list[Mark] = field(default_factory=list)
    grid: list[Mark] = field(default_factory=list)
    xlabels: list[Mark] = field(default_factory=list)
    lines: list[Line] = field(default_factory=list)
    legend: list[Mark] = field(default_factory=list)
    # fixed layout, read by the templates
    label_x: int = LABEL_WIDTH - 8
    bar_width: int = BAR_WIDTH
    plot_left: int = PLOT_LEFT
    plot_right: int = PLOT_RIGHT
    plot_bottom: int = PLOT_BOTTOM


def hbar_chart(chart_id, title, desc, rows: list[tuple[str, float, str]], maximum, color) -> Chart:
    """Horizontal bars: (label, value, value as text) per row, scaled to `maximum`."""
    bars = []
    for i, (label, value, text) in enumerate(rows):
        width = BAR_WIDTH * min(float(value), maximum) / maximum if maximum else 0
        y = 4 + i * ROW
        bars.append(
            Mark(label, text, x=str(LABEL_WIDTH), y=_f(y), w=_f(width), h=str(BAR_HEIGHT),
                 color=color, tx=_f(LABEL_WIDTH + width + 6), ty=_f(y + 12.5))
        )  # fmt: skip
    return Chart(chart_id, title, desc, height=8 + len(rows) * ROW, bars=bars)


def _percent_grid() -> list[Mark]:
    span = PLOT_BOTTOM - PLOT_TOP
    return [Mark(label=str(p), y=_f(PLOT_BOTTOM - span * p / 100)) for p in GRID_STEPS]


def _legend(series) -> list[Mark]:
    y = PLOT_BOTTOM + 30
    return [
        Mark(label, x=str(PLOT_LEFT + i * 150), y=str(y), color=color,
             tx=str(PLOT_LEFT + i * 150 + 14), ty=str(y + 9))
        for i, (label, color, _values) in enumerate(series)
    ]  # fmt: skip


def grouped_chart(chart_id, title, desc, categories: list[str], series) -> Chart:
    """Vertical bars in groups: per category one bar per (label, color, values) series; the
    values are percents, None draws nothing."""
    span = (PLOT_RIGHT - PLOT_LEFT) / max(1, len(categories))
    bar = span * 0.8 / max(1, len(series))
    bars = []
    for c, category in enumerate(categories):
        for s, (label, color, values) in enumerate(series):
            if values[c] is None:
                continue
            height = (PLOT_BOTTOM - PLOT_TOP) * min(max(float(values[c]), 0), 100) / 100
            x = PLOT_LEFT + c * span + span * 0.1 + s * bar
            tip = f"{category} · {label}: {number_format(values[c], 1)} %"
            y, w = _f(PLOT_BOTTOM - height), _f(max(bar - 2, 1))
            bars.append(Mark(tip, "", _f(x), y, w, _f(height), color))
    xlabels = [Mark(label=c, x=_f(PLOT_LEFT + (i + 0.5) * span)) for i, c in enumerate(categories)]
    return Chart(
        chart_id, title, desc, PLOT_HEIGHT, bars=bars, grid=_percent_grid(), xlabels=xlabels,
        legend=_legend(series),
    )  # fmt: skip


def line_chart(chart_id, title, desc, labels: list[str], series) -> Chart:
    """Lines over `labels`, one per (label, color, values) series on a 0–100 scale; a missing
    value leaves a gap in the dots (the line joins the values present)."""
    step = (PLOT_RIGHT - PLOT_LEFT) / max(1, len(labels))
    span = PLOT_BOTTOM - PLOT_TOP
    lines = []
    for label, color, values in series:
        dots = [
            Mark(
                f"{labels[i]} · {label}: {number_format(v, 2)}", "",
                _f(PLOT_LEFT + (i + 0.5) * step),
                _f(PLOT_BOTTOM - span * min(max(float(v), 0), 100) / 100), color=color,
            )
            for i, v in enumerate(values)
            if v is not None
        ]  # fmt: skip
        lines.append(Line(label, color, " ".join(f"{d.x},{d.y}" for d in dots), dots))
    xlabels = [
        Mark(label=text, x=_f(PLOT_LEFT + (i + 0.5) * step)) for i, text in enumerate(labels)
    ]
    return Chart(
        chart_id, title, desc, PLOT_HEIGHT, grid=_percent_grid(), xlabels=xlabels, lines=lines,
        legend=_legend(series),
    )  # fmt: skip


def dashboard_charts(dash: Dashboard) -> dict[str, Chart]:
    period = str(dash.filters.period)
    stages = hbar_chart(
        "chart-stages", _("Penilaian per tahap"),
        _("Jumlah penilaian per tahap pada %(period)s.") % {"period": period},
        [(s.label, s.count, number_format(s.count, 0)) for s in dash.stages],
        max([s.count for s in dash.stages] + [1]), STAGE_COLOR,
    )  # fmt: skip
    progress = hbar_chart(
        "chart-progress", _("Progres pengisian LKE per area"),
        _("Persentase butir LKE mandiri yang sudah dijawab per area, rata-rata semua penilaian."),
        [(p.name, p.percent, f"{number_format(p.percent, 1)} %") for p in dash.progress],
        100, PROGRESS_COLOR,
    )  # fmt: skip
    names = [_("Area %(n)s") % {"n": a.number} if a.number else a.name for a in dash.area_scores]
    scores = grouped_chart(
        "chart-scores", _("Rata-rata nilai per area dan lapisan"),
        _("Rata-rata nilai tiap area sebagai persen bobot area, per lapisan penilaian."),
        names,
        [
            (info.label, LAYER_COLORS[info.layer], [r.cells[i].percent for r in dash.area_scores])
            for i, info in enumerate(dash.scored_layers)
        ],
    )  # fmt: skip
    trend = line_chart(
        "chart-trend", _("Tren antarperiode"),
        _("Rata-rata nilai total mandiri dan TPI per periode (skala 0–100)."),
        [str(t.year) for t in dash.trend],
        [
            (Layer.SELF.label, LAYER_COLORS[Layer.SELF], [t.self_total for t in dash.trend]),
            (Layer.TPI.label, LAYER_COLORS[Layer.TPI], [t.tpi_total for t in dash.trend]),
        ],
    )  # fmt: skip
    return {"stages": stages, "progress": progress, "scores": scores, "trend": trend}

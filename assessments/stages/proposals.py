"""The units proposed to TPN in a period: their rows (scores, predicate rules, prior
predicate) for the proposals page and its XLSX export."""

from __future__ import annotations

import io
from collections import defaultdict
from dataclasses import dataclass

from django.db.models import Case, When
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from areas.results import PredicateResult, RuleResult, ScoreResult, display
from assessments.assessment import PROPOSED_STATUSES, Assessment, Layer, Status
from assessments.stages.awards import prior_predicates, revocation_bars
from assessments.stages.decisions import SelectionResult
from assessments.stages.models import Period, PredicateAward
from assessments.worksheet.models import Answer
from assessments.worksheet.scores import layer_results
from core.cells import spreadsheet_row

PROPOSABLE = (Status.TPI_PASSED,)
__all__ = ["PROPOSABLE", "PROPOSED_STATUSES", "proposal_rows", "proposals_queryset"]


def proposals_queryset(period: Period, statuses=PROPOSABLE + PROPOSED_STATUSES):
    """The period's assessments that passed TPI or were proposed: units to be proposed first."""
    first = Case(When(status=Status.TPI_PASSED, then=0), default=1)
    return (
        period.assessments.filter(status__in=statuses)
        .select_related("unit", "unit__parent", "period__lke_version", "selection")
        .order_by(first, "unit__path")
    )


def proposed_count(period: Period) -> int:
    return period.assessments.filter(status__in=PROPOSED_STATUSES).count()


@dataclass(frozen=True, slots=True)
class ProposalRow:
    assessment: Assessment
    prior_predicate: str | None
    result: ScoreResult
    bar: PredicateAward | None = None  # a revocation that still bars the unit's proposal

    @property
    def selection(self) -> SelectionResult | None:
        """TPN's administrative selection (select_related by proposals_queryset)."""
        try:
            return self.assessment.selection
        except SelectionResult.DoesNotExist:
            return None

    @property
    def target(self) -> PredicateResult:
        return self.result.predicates[self.assessment.target_predicate]

    @property
    def eligible(self) -> bool:
        return self.target.eligible

    @property
    def failed(self) -> tuple[RuleResult, ...]:
        """The rules the target predicate fails (shown with areas.labels.rule_text)."""
        return self.target.failed

    @property
    def total(self) -> float:
        return display(self.result.total)

    @property
    def pengungkit(self) -> float:
        return display(self.result.pengungkit)

    @property
    def hasil(self) -> float:
        return display(self.result.hasil)


def proposal_rows(assessments: list[Assessment]) -> list[ProposalRow]:
    """Each assessment with its TPI-layer result from the one scoring engine, reading every
    TPI answer of the list in one query (not one per row)."""
    answers = (
        Answer.objects.filter(assessment__in=[a.pk for a in assessments], layer=Layer.TPI)
        .select_related("question")
        .only("assessment_id", "layer", "value", "question__code")
    )
    by_assessment: dict[int, list[Answer]] = defaultdict(list)
    for answer in answers:
        by_assessment[answer.assessment_id].append(answer)
    priors = prior_predicates(assessments)
    bars = revocation_bars([a.unit_id for a in assessments], timezone.localdate())
    return [
        ProposalRow(
            a,
            priors[a.pk],
            layer_results(
                a, [Layer.TPI], answers=by_assessment[a.pk], prior_predicate=priors[a.pk]
            )[Layer.TPI],
            bars.get(a.unit_id),
        )
        for a in assessments
    ]


XLSX_COLUMNS = (
    (gettext_lazy("Kode"), 14, None),
    (gettext_lazy("Nama unit"), 42, None),
    (gettext_lazy("Kanwil/induk"), 36, None),
    (gettext_lazy("Provinsi"), 20, None),
    (gettext_lazy("Jenis"), 16, None),
    (gettext_lazy("Target predikat"), 10, None),
    (gettext_lazy("Nilai TPI"), 11, "0.00"),
    (gettext_lazy("Pengungkit"), 11, "0.00"),
    (gettext_lazy("Hasil"), 11, "0.00"),
    (gettext_lazy("Memenuhi syarat"), 10, None),
    (gettext_lazy("Justifikasi pengusulan"), 48, None),
    (gettext_lazy("Status"), 26, None),
    (gettext_lazy("Seleksi administrasi"), 22, None),
    (gettext_lazy("Tidak dapat diusulkan sampai"), 16, None),
)


def proposals_xlsx(period: Period) -> bytes:
    """The units proposed to TPN in this period, one row each, scores rounded to 2 decimals
    as everywhere the engine's values are shown."""
    from openpyxl import Workbook
    from openpyxl.styles import Alignment, Font
    from openpyxl.utils import get_column_letter

    rows = proposal_rows(list(proposals_queryset(period, PROPOSED_STATUSES)))
    workbook = Workbook()
    sheet = workbook.active
    sheet.title = str(_("Usulan TPN"))[:31]
    sheet.append(spreadsheet_row(str(label) for label, _width, _fmt in XLSX_COLUMNS))
    for cell in sheet[1]:
        cell.font = Font(bold=True)
        cell.alignment = Alignment(wrap_text=True, vertical="top")
    for row in rows:
        a, unit = row.assessment, row.assessment.unit
        sheet.append(spreadsheet_row([  # names and the justification are typed by people
            unit.code, unit.name, unit.parent.name if unit.parent else "", unit.province,
            unit.get_kind_display(), a.target_predicate, row.total, row.pengungkit, row.hasil,
            _("Ya") if row.eligible else _("Tidak"), a.proposal_override_note,
            a.get_status_display(),
            row.selection.get_outcome_display() if row.selection else "",
            row.bar.barred_until.isoformat() if row.bar else "",
        ]))  # fmt: skip
    for index, (_label, width, number_format) in enumerate(XLSX_COLUMNS, start=1):
        letter = get_column_letter(index)
        sheet.column_dimensions[letter].width = width
        if number_format:
            for (cell,) in sheet.iter_rows(min_row=2, min_col=index, max_col=index):
                cell.number_format = number_format
    sheet.freeze_panes = "A2"
    sheet.auto_filter.ref = f"A1:{get_column_letter(len(XLSX_COLUMNS))}{max(len(rows) + 1, 1)}"
    out = io.BytesIO()
    workbook.save(out)
    return out.getvalue()

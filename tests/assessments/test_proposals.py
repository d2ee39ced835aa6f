"""Stage 4, proposals to TPN: the admin sees each unit that passed TPI with its TPI total and
its eligibility for its target predicate (the one scoring engine), proposes it, and exports
the proposed units to XLSX."""

import io

import pytest
from django.urls import reverse
from openpyxl import load_workbook

from areas.results import display
from assessments.models import Assessment, Layer, PredicateAward, Status
from assessments.stages.awards import prior_predicate
from assessments.worksheet.scores import layer_results
from tests.assessments.helpers import answer_all
from tests.factories import AssessmentFactory, UnitFactory
from units.models import UnitKind

WORST = {"yes_no": "Tidak", "abc": "C", "abcd": "D", "abcde": "E", "percent": 0, "survey_index": 1}


def _worst(question):
    return WORST[question.answer_type]


def _scored(period, unit, status, by, target="WBK", value_for=None, **fields):
    a = AssessmentFactory(
        period=period, unit=unit, status=status, target_predicate=target, **fields
    )
    kwargs = {"value_for": value_for} if value_for else {}
    answer_all(a, Layer.TPI, by, through_service=False, **kwargs)
    return a


def _rows(response):
    return {row.assessment.unit.code: row for row in response.context["rows"]}


def test_page_shows_tpi_total_eligibility_and_the_quota(client_for, period, tree, personas):
    period.tpn_quota = 10
    period.save()
    tpi = personas["tpi"]
    good = _scored(period, tree.kankemenag_a, Status.TPI_PASSED, tpi)
    weak = _scored(period, tree.kankemenag_b, Status.TPI_PASSED, tpi, value_for=_worst)
    wbbm = _scored(period, tree.madrasah_a, Status.PROPOSED, tpi, target="WBBM")
    response = client_for("admin").get(reverse("assessments:proposals", args=[period.pk]))
    assert response.status_code == 200
    rows = _rows(response)
    assert rows["KKA"].eligible and rows["KKA"].total == 100.0
    assert not rows["KKB"].eligible
    assert {rule.name for rule in rows["KKB"].failed} >= {"total", "pengungkit"}
    # WBBM needs a WBK already held: everything else is at its best.
    assert [rule.name for rule in rows["MINA"].failed] == ["prior_predicate"]
    assert response.context["proposed"] == 1
    html = response.content.decode()
    assert "dari kuota 10 unit" in html
    for a in (good, weak):
        assert reverse("assessments:transition", args=[a.pk, "propose"]) in html
    assert reverse("assessments:transition", args=[wbbm.pk, "propose"]) not in html
    assert html.count('name="override_note"') == 2
    # tpi_passed rows come first
    assert [r.assessment.status for r in response.context["rows"]][-1] == Status.PROPOSED


def test_a_unit_holding_wbk_is_eligible_for_wbbm(client_for, period, tree, personas):
    PredicateAward.objects.create(unit=tree.kankemenag_a, year=2024, predicate="WBK", sk_number="1")
    _scored(period, tree.kankemenag_a, Status.TPI_PASSED, personas["tpi"], target="WBBM")
    response = client_for("admin").get(reverse("assessments:proposals", args=[period.pk]))
    row = _rows(response)["KKA"]
    assert row.prior_predicate == "WBK"
    assert row.eligible


def test_a_granted_units_own_award_is_not_its_prior_predicate(client_for, period, tree, personas):
    a = _scored(period, tree.kankemenag_a, Status.GRANTED, personas["tpi"], target="WBBM")
    PredicateAward.objects.create(
        unit=tree.kankemenag_a, assessment=a, year=2026, predicate="WBBM", sk_number="SK"
    )
    response = client_for("admin").get(reverse("assessments:proposals", args=[period.pk]))
    assert _rows(response)["KKA"].prior_predicate is None


def test_rows_equal_the_engine(client_for, period, tree, personas):
    a = _scored(period, tree.kankemenag_b, Status.TPI_PASSED, personas["tpi"], value_for=_worst)
    response = client_for("admin").get(reverse("assessments:proposals", args=[period.pk]))
    expected = layer_results(a, [Layer.TPI], prior_predicate=prior_predicate(a))[Layer.TPI]
    row = _rows(response)["KKB"]
    assert row.result.total == expected.total
    assert row.eligible == expected.predicates["WBK"].eligible


@pytest.mark.parametrize("n", [1, 50])
def test_the_page_keeps_constant_queries(
    client_for, period, tree, personas, n, django_assert_max_num_queries
):
    units = [UnitFactory(kind=UnitKind.MADRASAH, parent=tree.kankemenag_a) for _ in range(n)]
    for k, unit in enumerate(units):
        status = Status.TPI_PASSED if k % 2 == 0 else Status.PROPOSED
        _scored(period, unit, status, personas["tpi"])
    PredicateAward.objects.create(unit=units[0], year=2024, predicate="WBK", sk_number="1")
    client = client_for("admin")
    client.get(reverse("assessments:proposals", args=[period.pk]))  # the instrument is cached
    with django_assert_max_num_queries(10):
        response = client.get(reverse("assessments:proposals", args=[period.pk]))
    assert len(response.context["rows"]) == n


def test_export_cells_equal_the_engine(client_for, period, tree, personas):
    tpi = personas["tpi"]
    good = _scored(period, tree.kankemenag_a, Status.PROPOSED, tpi)
    weak = _scored(
        period, tree.kankemenag_b, Status.NOT_GRANTED, tpi, value_for=_worst,
        proposal_override_note="Unit prioritas pimpinan",
    )  # fmt: skip
    _scored(period, tree.madrasah_a, Status.TPI_PASSED, tpi)  # not proposed: not exported
    response = client_for("admin").get(reverse("assessments:proposals_export", args=[period.pk]))
    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/vnd.openxmlformats")
    assert "usulan-tpn-2026.xlsx" in response["Content-Disposition"]
    sheet = load_workbook(io.BytesIO(response.content)).active
    assert sheet.freeze_panes == "A2"
    assert sheet.auto_filter.ref == "A1:N3"
    header = [c.value for c in sheet[1]]
    assert header[0] == "Kode" and header[6] == "Nilai TPI" and header[9] == "Memenuhi syarat"
    cells = {row[0].value: row for row in sheet.iter_rows(min_row=2)}
    assert set(cells) == {"KKA", "KKB"}
    for a in (good, weak):
        a = Assessment.objects.select_related("unit__parent").get(pk=a.pk)
        result = layer_results(a, [Layer.TPI], prior_predicate=prior_predicate(a))[Layer.TPI]
        row = [c.value for c in cells[a.unit.code]]
        assert row[1:6] == [
            a.unit.name, a.unit.parent.name, a.unit.province, a.unit.get_kind_display(),
            a.target_predicate,
        ]  # fmt: skip
        assert row[6:9] == [
            display(result.total),
            display(result.pengungkit),
            display(result.hasil),
        ]
        assert row[9] == ("Ya" if result.predicates[a.target_predicate].eligible else "Tidak")
        assert row[10] == (a.proposal_override_note or None)
        assert row[11] == a.get_status_display()
        assert cells[a.unit.code][6].number_format == "0.00"
    assert cells["KKA"][9].value == "Ya" and cells["KKB"][9].value == "Tidak"

"""Evidence completeness (kelengkapan data dukung) per area and per unit on the dashboard and in
the readiness report: the share of the evidence dictionary's entries that accepted files cover,
counted fresh and in a fixed number of queries."""

import csv
import io

import pytest

from areas.models import EvidenceRequirement
from assessments.evidence.models import Evidence, EvidenceVerdict
from assessments.models import EvidenceKind
from reports import readiness, readiness_export
from reports.dashboards import dashboard_data
from reports.readiness import ReadinessFilters
from tests.assessments.helpers import require_evidence
from tests.factories import AssessmentFactory, UnitFactory

URL = "/dashboard/"


def _file(assessment, entry, by, verdict=EvidenceVerdict.COMPLETE, n=0):
    return Evidence.objects.create(
        assessment=assessment, kind=EvidenceKind.ANSWER, question=entry.question,
        requirement=entry, file=f"evidence/2026/01/{assessment.pk}-{entry.pk}-{n}.pdf",
        original_name="x.pdf", size=10, content_type="application/pdf", verdict=verdict,
        uploaded_by=by,
    )  # fmt: skip


@pytest.fixture
def world(lke, assessment, assessment_b, personas):
    one = require_evidence(lke.questions.get(code="P1.1.a"), "SK Tim Kerja")[0]
    two = require_evidence(lke.questions.get(code="P1.1.b"), "Notulen", min_count=2)[0]
    by = personas["operator"]
    _file(assessment, one, by)  # covered
    _file(assessment, two, by)  # one of two: not covered
    _file(assessment, two, by, verdict=EvidenceVerdict.UNCHECKED, n=1)  # not accepted yet
    entries = EvidenceRequirement.objects.filter(question__version=lke)
    return {
        "total": entries.count(),
        "area1": entries.filter(question__indicator__area__number=1).count(),
        "two": two,
    }


def test_the_dashboard_shows_completeness_per_area_and_per_unit(
    client_for, personas, assessment, assessment_b, world
):
    dash = dashboard_data(personas["admin"], {})
    assert (dash.evidence_total.covered, dash.evidence_total.required) == (1, 2 * world["total"])
    area1 = next(row for row in dash.evidence if row.number == 1)
    assert (area1.covered, area1.required) == (1, 2 * world["area1"])
    assert [u.assessment for u in dash.evidence_lowest] == [assessment_b, assessment]
    assert dash.evidence_lowest[1].completeness.covered == 1
    page = client_for("admin").get(URL).content.decode()
    assert "Kelengkapan data dukung (kamus eviden)" in page
    assert f"1 / {2 * world['area1']}" in page


def test_accepting_the_second_file_shows_on_the_next_dashboard(personas, assessment, world):
    Evidence.objects.filter(assessment=assessment, verdict=EvidenceVerdict.UNCHECKED).update(
        verdict=EvidenceVerdict.COMPLETE
    )
    assert dashboard_data(personas["admin"], {}).evidence_total.covered == 2


def test_a_file_dated_outside_the_period_does_not_count(personas, assessment, world):
    EvidenceRequirement.objects.filter(question__code="P1.1.a").update(must_be_in_period=True)
    Evidence.objects.filter(requirement__question__code="P1.1.a").update(document_date="2024-05-01")
    assert dashboard_data(personas["admin"], {}).evidence_total.covered == 0


def test_the_readiness_report_has_a_completeness_column(period, assessment, assessment_b, world):
    rows = {r.assessment_id: r for r in readiness.readiness_rows(ReadinessFilters(period))}
    assert (rows[assessment.pk].evidence_covered, rows[assessment.pk].evidence_required) == (
        1,
        world["total"],
    )
    assert rows[assessment_b.pk].evidence_covered == 0
    text = readiness_export.render_csv(list(rows.values()), ReadinessFilters(period)).decode()
    table = list(csv.reader(io.StringIO(text.lstrip("\ufeff"))))
    header = next(r for r in table if "Kelengkapan eviden" in r)
    column = header.index("Kelengkapan eviden")
    code = header.index("Kode")
    shares = {r[code]: r[column] for r in table[table.index(header) + 1 :] if len(r) > column}
    assert shares[assessment.unit.code] == f"{1 / world['total']:.4f}"
    assert shares[assessment_b.unit.code] == "0.0000"


@pytest.mark.parametrize("n", [1, 50])
def test_dashboard_queries_do_not_grow_with_evidence(
    client_for, personas, period, tree, n, django_assert_max_num_queries
):
    entry = require_evidence(period.lke_version.questions.get(code="P1.1.a"), "SK")[0]
    for _i in range(n):
        a = AssessmentFactory(period=period, unit=UnitFactory(kind="kankemenag",
                                                              parent=tree.kanwil_a))  # fmt: skip
        _file(a, entry, personas["operator"])
    client = client_for("admin")
    with django_assert_max_num_queries(20):
        response = client.get(URL)
    assert response.context["dash"].evidence_total.covered == n

"""The PMPZI package reads a period's units in a fixed number of queries: answers, prior
predicates, evidence, ancestors and stage dates are read per chunk of units, not per unit."""

import io

import pytest

from areas.models import Question
from assessments.models import Evidence, Layer, Status
from reports.pmpzi.archive import write_pmpzi_zip
from tests.assessments.helpers import answer_all
from tests.factories import AssessmentFactory, UnitFactory
from units.models import UnitKind


@pytest.mark.parametrize("units", [1, 20])
def test_the_package_reads_its_units_in_a_fixed_number_of_queries(
    period, tree, personas, units, django_assert_max_num_queries
):
    question = Question.objects.get(version=period.lke_version, code="R1.1.a")
    for n in range(units):
        unit = UnitFactory(kind=UnitKind.MADRASAH, parent=tree.kankemenag_a, code=f"MZ{n:03d}")
        proposed = AssessmentFactory(period=period, unit=unit, status=Status.TPN_EVALUATION)
        answer_all(proposed, Layer.TPI, personas["tpi"], through_service=False)
        Evidence.objects.create(
            assessment=proposed, kind="answer", question=question,
            uploaded_by=personas["operator"], file=f"evidence/2026/01/{n}.pdf", size=10,
        )  # fmt: skip
    for reader in (personas["admin"], personas["tpn"]):
        write_pmpzi_zip(period=period, reader=reader, out=io.BytesIO())  # warm caches
        with django_assert_max_num_queries(6):
            assert write_pmpzi_zip(period=period, reader=reader, out=io.BytesIO()) == units

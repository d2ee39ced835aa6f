"""The API shows a layer exactly when the pages do: the unit reads TPI only after TPI decided
and TPN only once an admin released it; the scores are the engine's, as on the summary page."""

from decimal import Decimal

import pytest

from areas.results import display
from assessments.models import Layer, Status
from assessments.stages.awards import prior_predicate
from assessments.worksheet.scores import layer_results
from tests.assessments.helpers import answer_all

pytestmark = pytest.mark.django_db


@pytest.fixture
def scored(in_preliminary, personas):
    """Unit A's assessment with the unit's, TPI's and TPN's layers answered, in TPI review."""
    for layer, who in ((Layer.TPI, "tpi"), (Layer.TPN, "tpn")):
        answer_all(in_preliminary, layer, personas[who], through_service=False)
    in_preliminary.status = Status.TPI_REVIEW
    in_preliminary.save()
    return in_preliminary


def _layers(client, assessment) -> tuple[set, set, set]:
    detail = client.get(f"/api/v1/assessments/{assessment.pk}/").json()
    answers = client.get(f"/api/v1/assessments/{assessment.pk}/answers/?page_size=500").json()
    return (
        {row["layer"] for row in detail["scores"]},
        {row["layer"] for row in detail["layer_totals"]},
        {row["layer"] for row in answers["results"]},
    )


def test_the_unit_does_not_see_tpi_or_tpn_before_the_pages_show_them(api_as, scored):
    operator = api_as("operator")
    scores, totals, answers = _layers(operator, scored)
    assert scores == {"self", "preliminary"}
    assert totals == {"self"}  # the preliminary layer has no answers
    assert answers == {"self"}
    base = f"/api/v1/assessments/{scored.pk}/answers/"
    assert operator.get(base, {"layer": "tpi"}).status_code == 403
    assert operator.get(base, {"layer": "tpn"}).status_code == 403
    assert operator.get(base, {"layer": "nowhere"}).status_code == 400
    assert operator.get(base, {"layer": "self"}).status_code == 200


def test_the_unit_sees_tpi_after_its_decision_and_tpn_once_released(api_as, scored):
    scored.status = Status.TPI_PASSED
    scored.save()
    assert _layers(api_as("operator"), scored)[2] == {"self", "tpi"}
    scored.tpn_layer_released = True
    scored.save()
    assert _layers(api_as("operator"), scored)[2] == {"self", "tpi", "tpn"}


def test_tpi_sees_the_layers_it_may_and_not_tpns(api_as, scored):
    scores, _totals, answers = _layers(api_as("tpi"), scored)
    assert scores == {"self", "preliminary", "tpi"}
    assert answers == {"self", "tpi"}


def test_the_detail_scores_are_the_engines(api_as, scored):
    detail = api_as("admin").get(f"/api/v1/assessments/{scored.pk}/").json()
    results = layer_results(
        scored, [Layer.SELF, Layer.TPI], prior_predicate=prior_predicate(scored)
    )
    by_layer = {row["layer"]: row for row in detail["scores"]}
    for layer, result in results.items():
        row = by_layer[layer]
        assert row["total"] == f"{display(result.total):.2f}"
        assert row["pengungkit"] == f"{display(result.pengungkit):.2f}"
        assert [a["total"] for a in row["areas"]] == [
            f"{display(a.total):.2f}" for a in result.areas
        ]
        assert [p["predicate"] for p in row["predicates"]] == list(result.predicates)
        assert [p["eligible"] for p in row["predicates"]] == [
            p.eligible for p in result.predicates.values()
        ]
    assert Decimal(by_layer["self"]["total"]) > 0
    assert detail["stage"] == "penilaian"
    assert [d["stage"] for d in detail["stage_dates"]] == ["pencanangan"]

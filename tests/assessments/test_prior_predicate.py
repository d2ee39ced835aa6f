"""One rule for the prior predicate (assessments/stages/awards.py), read by every page, check and
report: an award counts for an assessment only if it was granted before the assessment's period,
is not revoked, and was not produced by the assessment itself.

One WBBM candidate goes through propose -> grant -> revoke; at each step the summary, the LHE,
the proposals page, the readiness rows and what period opening reads give the same answer."""

import datetime

import pytest
from django.urls import reverse

from areas.instrument_db import instrument_for
from assessments import services
from assessments.models import Layer, PredicateAward, Status
from assessments.stages import awards
from reports.lhe import lhe_context
from reports.readiness import ReadinessFilters, readiness_rows
from tests.assessments.helpers import answer_all
from tests.factories import AssessmentFactory, PeriodFactory

REVOKED_ON = datetime.date(2026, 11, 30)


@pytest.fixture
def candidate(assessment, personas):
    """Best answers in every layer, so that WBBM turns on the prior predicate alone."""
    assessment.target_predicate = "WBBM"
    assessment.status = Status.TPN_EVALUATION
    assessment.save()
    for layer in (Layer.SELF, Layer.PRELIMINARY, Layer.TPI, Layer.TPN):
        answer_all(assessment, layer, personas["operator"], through_service=False)
    earlier = PredicateAward.objects.create(
        unit=assessment.unit, year=2024, predicate="WBK", sk_number="B/1/2024"
    )
    # An award of a later year never counts for this period.
    PredicateAward.objects.create(
        unit=assessment.unit, year=2027, predicate="WBBM", sk_number="B/9/2027"
    )
    return assessment, earlier


def _seen(assessment, client) -> dict[str, object]:
    """WBBM eligibility at the TPI layer as each page says it, and the prior predicate read."""
    summary = client.get(reverse("assessments:summary", args=[assessment.pk])).context
    tpi_label = Layer(Layer.TPI).label
    lhe = lhe_context(assessment=assessment, reader=None, layer=Layer.TPI)["predicates"]
    proposals = client.get(reverse("assessments:proposals", args=[assessment.period.pk])).context
    row = next(r for r in proposals["rows"] if r.assessment.pk == assessment.pk)
    readiness = readiness_rows(ReadinessFilters(period=assessment.period))
    ladder = instrument_for(assessment.period.lke_version).predicates
    return {
        "summary": next(
            ok for name, label, ok, _f in summary["predicate_checks"]
            if name == "WBBM" and label == tpi_label
        ),
        "lhe": next(ok for name, ok, _rows in lhe if name == "WBBM"),
        "proposals": row.result.predicates["WBBM"].eligible,
        "readiness": next(r.wbbm_eligible for r in readiness if r.assessment_id == assessment.pk),
        "period opening": awards.predicates_before([assessment.unit_id], 2026, ladder).get(
            assessment.unit_id
        ) is not None,
        "prior": awards.prior_predicate(assessment),
        "proposals prior": row.prior_predicate,
    }  # fmt: skip


def _all(value, prior):
    return {
        "summary": value, "lhe": value, "proposals": value, "readiness": value,
        "period opening": value, "prior": prior, "proposals prior": prior,
    }  # fmt: skip


def test_every_page_gives_the_same_prior_predicate_through_grant_and_revocation(
    candidate, client_for, personas
):
    assessment, earlier = candidate
    client = client_for("admin")
    assert _seen(assessment, client) == _all(True, "WBK")

    services.assessment_transition(
        assessment=assessment, name="grant", by=personas["tpn"], sk_number="B/7/M.PAN-RB/2026",
        sk_date=datetime.date(2026, 11, 30), note="Memenuhi seluruh syarat",
    )  # fmt: skip
    assessment.refresh_from_db()
    assert assessment.status == Status.GRANTED
    # The WBBM just granted is this assessment's own: WBK of 2024 is still the prior one.
    assert _seen(assessment, client) == _all(True, "WBK")

    from assessments.stages.services import award_revoke

    award_revoke(
        award=earlier,
        by=personas["admin"],
        reason="Terbukti pelanggaran",
        source="media",
        decided_on=REVOKED_ON,
    )
    assert _seen(assessment, client) == _all(False, None)


def test_period_opening_aims_holders_at_the_next_rung(lke, tree, personas):
    from assessments.stages.periods import period_open_for_units

    PredicateAward.objects.create(unit=tree.kankemenag_a, year=2025, predicate="WBK", sk_number="1")
    PredicateAward.objects.create(unit=tree.kankemenag_b, year=2027, predicate="WBK", sk_number="2")
    period = PeriodFactory(year=2026, lke_version=lke, is_open=True)
    period_open_for_units(
        period=period, units_queryset_or_ids=[tree.kankemenag_a.pk, tree.kankemenag_b.pk],
        by=personas["admin"],
    )  # fmt: skip
    targets = dict(period.assessments.values_list("unit_id", "target_predicate"))
    assert targets == {tree.kankemenag_a.pk: "WBBM", tree.kankemenag_b.pk: "WBK"}


def test_prior_predicates_of_many_assessments_cost_one_query(lke, tree, django_assert_num_queries):
    period = PeriodFactory(year=2026, lke_version=lke)
    many = [
        AssessmentFactory(period=period, unit=u) for u in (tree.kankemenag_a, tree.kankemenag_b)
    ]
    instrument_for(lke)  # the published instrument is cached
    with django_assert_num_queries(1):
        awards.prior_predicates(many)

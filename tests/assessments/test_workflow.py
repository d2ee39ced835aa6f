"""The five stages end to end, and every way a transition can be refused."""

import datetime

import pytest

from assessments.models import Assessment, ItemReturn, Layer, PredicateAward, Status
from assessments.services import assessment_transition
from assessments.workflow import TRANSITIONS
from assessments.worksheet.services import item_return
from core.errors import WorkflowError
from tests.assessments.helpers import answer_all, attach_evidence_all, complete_declaration

SK_DATE = datetime.date(2026, 11, 30)


def _go(assessment, name, by, **kwargs):
    assessment_transition(assessment=assessment, name=name, by=by, **kwargs)
    assessment.refresh_from_db()
    return assessment


def test_the_whole_path_through_all_five_stages(assessment, personas):
    p = personas
    a = assessment
    complete_declaration(a, p["operator"])
    _go(a, "confirm_declaration", p["pimpinan"])
    assert a.status == Status.PEMBANGUNAN and a.stage == "pembangunan"

    answer_all(a, Layer.SELF, p["operator"])
    with pytest.raises(WorkflowError) as missing:
        _go(a, "submit", p["operator"])
    # 111: the two survey indices typed by hand came with their survey's report
    assert "111 butir belum memiliki data dukung" in missing.value.problems[0]
    attach_evidence_all(a, p["operator"])
    _go(a, "submit", p["operator"])
    _go(a, "approve_submission", p["pimpinan"])
    assert a.status == Status.PRELIMINARY_REVIEW and a.stage == "penilaian"

    answer_all(a, Layer.PRELIMINARY, p["reviewer"])
    question = a.period.lke_version.questions.get(code="P1.1.a")
    item_return(
        assessment=a, question=question, by=p["reviewer"], note="SK tim belum ditandatangani"
    )
    _go(a, "return_preliminary", p["reviewer"])
    assert a.status == Status.RETURNED_PRELIMINARY
    _go(a, "resubmit_preliminary", p["operator"])
    assert a.status == Status.PRELIMINARY_REVIEW  # back to the same reviewer
    assert not ItemReturn.objects.filter(assessment=a, resolved_at__isnull=True).exists()
    _go(a, "forward_to_tpi", p["reviewer"])

    answer_all(a, Layer.TPI, p["tpi"])
    _go(a, "tpi_pass", p["tpi"], note="Lolos: seluruh area memenuhi")
    assert a.status == Status.TPI_PASSED and a.stage == "pengusulan"

    _go(a, "propose", p["admin"])
    assert a.status == Status.PROPOSED and a.stage == "evaluasi"
    with pytest.raises(WorkflowError):  # only units that passed the selection are evaluated
        answer_all(a, Layer.TPN, p["tpn"])
    _go(a, "select_pass", p["tpn"])
    assert a.status == Status.TPN_EVALUATION

    answer_all(a, Layer.TPN, p["tpn"])
    _go(a, "grant", p["tpn"], note="Memenuhi", sk_number="SK-MENPANRB/123/2026", sk_date=SK_DATE)
    assert a.status == Status.GRANTED
    award = PredicateAward.objects.get(unit=a.unit)
    assert (award.predicate, award.year, award.sk_number) == ("WBK", 2026, "SK-MENPANRB/123/2026")
    assert [e.transition for e in a.events.order_by("at", "pk")] == [
        "confirm_declaration",
        "submit",
        "approve_submission",
        "return_preliminary",
        "resubmit_preliminary",
        "forward_to_tpi",
        "tpi_pass",
        "propose",
        "select_pass",
        "grant",
    ]


# Every transition × every persona that must NOT perform it (in the transition's own source
# status, so the role check is what refuses it).
ROLE_OF = {
    "operator": "operator",
    "pimpinan": "pimpinan",
    "reviewer": "reviewer",
    "tpi": "tpi",
    "tpn": "tpn",
    "admin": "admin",
}
FORBIDDEN = [
    (name, persona)
    for name, t in TRANSITIONS.items()
    for persona in [*ROLE_OF, "operator_b", "outsider"]
    if ROLE_OF.get(persona) not in t.roles
]


@pytest.mark.parametrize(("name", "persona"), FORBIDDEN, ids=[f"{n}-{p}" for n, p in FORBIDDEN])
def test_every_forbidden_transition_per_role_is_refused(assessment, personas, name, persona):
    transition = TRANSITIONS[name]
    assessment.status = transition.sources[0]
    assessment.save()
    with pytest.raises(WorkflowError) as error:
        assessment_transition(
            assessment=assessment,
            name=name,
            by=personas[persona],
            note="x",
            sk_number="x",
            override_note="x",
        )
    assert error.value.forbidden
    assert Assessment.objects.get(pk=assessment.pk).status == transition.sources[0]


def test_illegal_transition_from_the_wrong_status_gets_a_clear_message(assessment, personas):
    with pytest.raises(WorkflowError, match="tidak dapat dilakukan saat status"):
        assessment_transition(assessment=assessment, name="submit", by=personas["operator"])


def test_return_without_any_noted_item_is_refused(assessment, personas):
    assessment.status = Status.PRELIMINARY_REVIEW
    assessment.save()
    question = assessment.period.lke_version.questions.first()
    with pytest.raises(WorkflowError, match="Catatan perbaikan wajib"):
        item_return(assessment=assessment, question=question, by=personas["reviewer"], note="  ")
    with pytest.raises(WorkflowError) as error:
        assessment_transition(
            assessment=assessment, name="return_preliminary", by=personas["reviewer"]
        )
    assert "Tandai dulu butir" in error.value.problems[0]


def test_submit_lists_what_is_missing(assessment, personas):
    assessment.status = Status.PEMBANGUNAN
    assessment.save()
    with pytest.raises(WorkflowError) as error:
        assessment_transition(assessment=assessment, name="submit", by=personas["operator"])
    assert "113 butir belum dijawab" in error.value.problems[0]


def test_confirm_declaration_lists_each_missing_document(assessment, personas):
    with pytest.raises(WorkflowError) as error:
        assessment_transition(
            assessment=assessment, name="confirm_declaration", by=personas["pimpinan"]
        )
    problems = " ".join(error.value.problems)
    assert "piagam pencanangan" in problems and "pakta integritas" in problems
    assert "Agen perubahan" in problems


def test_tpi_decision_needs_a_note(assessment, personas):
    assessment.status = Status.TPI_REVIEW
    assessment.save()
    with pytest.raises(WorkflowError, match="Catatan wajib"):
        assessment_transition(assessment=assessment, name="tpi_fail", by=personas["tpi"])


def test_proposal_below_the_rules_needs_a_justification(assessment, personas):
    assessment.status = Status.TPI_PASSED
    assessment.save()
    # The TPI layer is empty: total 0, far below the WBK rules.
    with pytest.raises(WorkflowError) as error:
        assessment_transition(assessment=assessment, name="propose", by=personas["admin"])
    assert "justifikasi" in error.value.problems[0]
    assessment_transition(
        assessment=assessment,
        name="propose",
        by=personas["admin"],
        override_note="Unit prioritas nasional; IPAK disurvei ulang",
    )
    assessment.refresh_from_db()
    assert assessment.status == Status.PROPOSED
    assert assessment.proposal_override_note.startswith("Unit prioritas")


def test_quota_is_respected(assessment, assessment_b, personas):
    period = assessment.period
    period.tpn_quota = 1
    period.save()
    assessment_b.status = Status.PROPOSED
    assessment_b.save()
    assessment.status = Status.TPI_PASSED
    assessment.save()
    with pytest.raises(WorkflowError) as error:
        assessment_transition(
            assessment=assessment, name="propose", by=personas["admin"], override_note="x"
        )
    assert "Kuota" in " ".join(error.value.problems)


def test_wbbm_only_for_a_unit_holding_wbk(assessment, personas):
    assessment.target_predicate = "WBBM"
    assessment.status = Status.TPN_EVALUATION
    assessment.save()
    answer_all(assessment, Layer.TPN, personas["tpn"], through_service=False)
    with pytest.raises(WorkflowError) as error:
        assessment_transition(
            assessment=assessment,
            name="grant",
            by=personas["tpn"],
            note="ok",
            sk_number="SK-1",
            sk_date=SK_DATE,
        )
    assert "WBBM hanya dapat ditetapkan" in " ".join(error.value.problems)
    PredicateAward.objects.create(
        unit=assessment.unit, year=2024, predicate="WBK", sk_number="SK-0"
    )
    assessment_transition(
        assessment=assessment,
        name="grant",
        by=personas["tpn"],
        note="ok",
        sk_number="SK-1",
        sk_date=SK_DATE,
    )
    assert PredicateAward.objects.filter(unit=assessment.unit, predicate="WBBM").exists()


def test_transition_redirect_never_leaves_the_portal(client_for, assessment, personas):
    complete_declaration(assessment, personas["operator"])
    response = client_for("pimpinan").post(
        f"/assessments/{assessment.pk}/transition/confirm_declaration/",
        {"note": "x", "next": "https://evil.example/phish"},
    )
    assert response.status_code == 302
    assert response.url == f"/assessments/{assessment.pk}/"


def test_a_transitions_effects_run_in_its_transaction(assessment, personas, monkeypatch):
    """Effects are declared with the transition (workflow.TRANSITIONS, assessments/effects.py);
    one that fails leaves the status, the history and the award as they were."""
    import dataclasses

    def broken(ctx):
        raise RuntimeError("effect failed")

    grant = TRANSITIONS["grant"]
    monkeypatch.setitem(
        TRANSITIONS, "grant", dataclasses.replace(grant, effects=(*grant.effects, broken))
    )
    assessment.status = Status.TPN_EVALUATION
    assessment.save()
    answer_all(assessment, Layer.TPN, personas["tpn"], through_service=False)

    with pytest.raises(RuntimeError):
        _go(assessment, "grant", personas["tpn"], note="ok", sk_number="SK-9", sk_date=SK_DATE)

    assert Assessment.objects.get(pk=assessment.pk).status == Status.TPN_EVALUATION
    assert not assessment.events.filter(transition="grant").exists()
    assert not PredicateAward.objects.filter(assessment=assessment).exists()

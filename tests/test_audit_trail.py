"""One audit verb (core.audit.record) with namespaced action codes records every state change,
in the same transaction as the change; verdicts keep their history; a cancelled return is kept
as cancelled; the audit page shows it all, filterable by action."""

import datetime

import pytest
from auditlog.models import LogEntry
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from assessments import services
from assessments.evidence.services import evidence_remove, evidence_set_verdict, evidence_upload
from assessments.models import Evidence, ItemReturn, Layer, Status
from assessments.worksheet.services import item_return, item_return_cancel
from core import audit
from core.errors import WorkflowError
from tests.assessments.helpers import answer_all
from tests.assessments.test_evidence_files import make_pdf

REVOKED_ON = datetime.date(2026, 11, 30)


def _codes(obj=None) -> list[str]:
    """The portal's own entries (auditlog also logs the rows the fixtures create)."""
    entries = LogEntry.objects.get_for_object(obj) if obj is not None else LogEntry.objects
    entries = entries.filter(additional_data__action__isnull=False).order_by("pk")
    return [audit.action_of(e) for e in entries]


def _question(assessment, code="P1.1.a"):
    return assessment.period.lke_version.questions.get(code=code)


@pytest.fixture
def in_review(assessment, personas, storage):
    assessment.status = Status.PEMBANGUNAN
    assessment.save()
    evidence_upload(
        assessment=assessment, kind="answer", question=_question(assessment),
        uploaded_file=SimpleUploadedFile("sk.pdf", make_pdf()), by=personas["operator"],
    )  # fmt: skip
    assessment.status = Status.PRELIMINARY_REVIEW
    assessment.save()
    return assessment


def test_every_state_change_is_recorded_with_its_code_and_actor(in_review, personas):
    a, reviewer = in_review, personas["reviewer"]
    evidence = Evidence.objects.get(assessment=a)
    evidence_set_verdict(evidence=evidence, by=reviewer, verdict="needs_fix", note="Tanpa cap")
    item_return(assessment=a, question=_question(a), by=reviewer, note="Lengkapi")
    services.assessment_transition(assessment=a, name="return_preliminary", by=reviewer)
    services.assessment_release_tpn_layer(assessment=a, by=personas["admin"], released=True)

    assert _codes() == [
        "zi.evidence.uploaded",
        "zi.evidence.verdict_set",
        "zi.item_return.marked",
        "zi.assessment.return_preliminary",
        "zi.assessment.tpn_released",
    ]
    verdict = LogEntry.objects.get(additional_data__action="zi.evidence.verdict_set")
    assert verdict.actor == reviewer
    assert verdict.additional_data == {
        "action": "zi.evidence.verdict_set", "before": "unchecked", "after": "needs_fix",
        "note": "Tanpa cap",
    }  # fmt: skip


def test_a_refused_change_records_nothing(assessment, personas):
    assessment.status = Status.TPI_PASSED
    assessment.save()
    with pytest.raises(WorkflowError):  # the TPI layer is empty: below the rules, no note
        services.assessment_transition(assessment=assessment, name="propose", by=personas["admin"])

    assert _codes() == []


def test_a_verdict_keeps_its_history(in_review, personas):
    evidence = Evidence.objects.get(assessment=in_review)
    evidence_set_verdict(evidence=evidence, by=personas["reviewer"], verdict="needs_fix", note="x")
    evidence_set_verdict(evidence=evidence, by=personas["reviewer"], verdict="complete")

    history = list(evidence.history.order_by("history_date").values_list("verdict", flat=True))
    assert history[-2:] == ["needs_fix", "complete"]
    assert evidence.history.latest().history_user == personas["reviewer"]


def test_a_cancelled_return_is_kept_as_cancelled(in_review, personas):
    question = _question(in_review)
    item_return(assessment=in_review, question=question, by=personas["reviewer"], note="x")

    item_return_cancel(assessment=in_review, question=question, by=personas["reviewer"])

    item = ItemReturn.objects.get(assessment=in_review)
    assert item.cancelled_at is not None and item.cancelled_by == personas["reviewer"]
    assert item.resolved_at is not None  # no longer open: the transition does not wait for it
    assert _codes(item) == ["zi.item_return.marked", "zi.item_return.cancelled"]
    item_return(assessment=in_review, question=question, by=personas["reviewer"], note="y")
    assert ItemReturn.objects.filter(assessment=in_review).count() == 2


def test_a_removal_is_recorded(in_review, personas):
    in_review.status = Status.PEMBANGUNAN
    in_review.save()
    evidence_remove(evidence=Evidence.objects.get(assessment=in_review), by=personas["operator"])

    assert _codes()[-1] == "zi.evidence.removed"


def test_an_award_and_its_revocation_are_recorded(assessment, personas, storage):
    from assessments.models import PredicateAward
    from assessments.stages.services import award_revoke

    for layer, who in ((Layer.TPI, "tpi"), (Layer.TPN, "tpn")):
        answer_all(assessment, layer, personas[who], through_service=False)
    assessment.status = Status.TPN_EVALUATION
    assessment.save()
    services.assessment_transition(
        assessment=assessment, name="grant", by=personas["tpn"], note="ok", sk_number="B/1",
        sk_date=datetime.date(2026, 11, 30),
    )  # fmt: skip
    award = PredicateAward.objects.get(assessment=assessment)
    award_revoke(
        award=award,
        by=personas["admin"],
        reason="Pelanggaran",
        source="media",
        decided_on=REVOKED_ON,
    )

    assert _codes() == ["zi.award.granted", "zi.assessment.grant", "zi.award.revoked"]


def test_the_audit_page_filters_by_action(client_for, in_review, personas):
    evidence = Evidence.objects.get(assessment=in_review)
    evidence_set_verdict(evidence=evidence, by=personas["reviewer"], verdict="complete")

    client = client_for("admin")
    page = client.get(reverse("units:audit"), {"action": "zi.evidence.verdict_set"})

    codes = [code for _entry, code, _label, _changes in page.context["rows"]]
    assert codes == ["zi.evidence.verdict_set"]
    html = page.content.decode()
    assert "Data dukung diperiksa" in html and '<code class="small">zi.evidence.verdict_set' in html
    everything = client.get(reverse("units:audit")).context["rows"]
    assert {code for _e, code, _l, _c in everything} >= {
        "zi.evidence.uploaded", "zi.evidence.verdict_set",
    }  # fmt: skip


def test_an_unregistered_or_badly_named_code_is_refused():
    with pytest.raises(ValueError):
        audit.register("evidence.removed", "x")
    with pytest.raises(ValueError):
        audit.record("zi.nothing.done", object())

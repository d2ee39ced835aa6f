"""Review at the speed of judgement: a reviewer who agrees with what came before accepts it
for an item, an indicator or a whole tab in one action. The earlier layer's answer is copied
into the reviewer's layer as the reviewer's own judgement (their name, a history entry saying
where it came from, one audit entry); what the reviewer already entered is never overwritten.
Evidence of a tab can be judged at once the same way, leaving judged items alone."""

import pytest
from auditlog.models import LogEntry
from django.urls import reverse

from assessments.evidence.models import EvidenceVerdict
from assessments.evidence.services import evidence_set_verdict, evidence_verdict_bulk
from assessments.models import Answer, Layer, Status
from assessments.worksheet import selectors as worksheet
from assessments.worksheet.services import answer_save, answers_accept
from core.errors import EvidenceError, WorkflowError
from tests.assessments.test_evidence_files import make_pdf, put


def _layer(assessment, layer):
    return {
        a.question.code: a
        for a in Answer.objects.filter(assessment=assessment, layer=layer).select_related(
            "question", "updated_by"
        )
    }


def test_accepting_an_area_copies_the_units_answers_as_the_reviewers(in_preliminary, personas):
    reviewer = personas["reviewer"]
    area_1 = worksheet.questions_in(in_preliminary, "tab", "1")
    done = answers_accept(assessment=in_preliminary, questions=area_1, by=reviewer)

    unit, mine = _layer(in_preliminary, Layer.SELF), _layer(in_preliminary, Layer.PRELIMINARY)
    assert sorted(done.copied) == sorted(q.code for q in area_1) == sorted(mine)
    for code, answer in mine.items():
        assert (answer.value, answer.score) == (unit[code].value, unit[code].score)
        assert answer.updated_by == reviewer
        assert answer.history.latest().history_change_reason == "accepted from self"
    entry = LogEntry.objects.get(additional_data__action="zi.answers.accepted")
    assert entry.actor == reviewer and sorted(entry.additional_data["items"]) == sorted(mine)


def test_what_the_reviewer_already_entered_is_never_overwritten(in_preliminary, personas):
    reviewer = personas["reviewer"]
    question = in_preliminary.period.lke_version.questions.get(code="P1.1.b")
    answer_save(
        assessment=in_preliminary, question=question, layer=Layer.PRELIMINARY, by=reviewer,
        value="C", note="Belum ada SK", revision=None,
    )  # fmt: skip
    done = answers_accept(
        assessment=in_preliminary,
        questions=worksheet.questions_in(in_preliminary, "indicator", str(question.indicator_id)),
        by=reviewer,
    )
    assert done.kept == ["P1.1.b"]
    kept = _layer(in_preliminary, Layer.PRELIMINARY)["P1.1.b"]
    assert (kept.value, kept.note, kept.revision) == ("C", "Belum ada SK", 1)


def test_tpi_accepts_the_pre_screen_where_there_is_one_else_the_unit(in_preliminary, personas):
    lke = in_preliminary.period.lke_version
    screened = lke.questions.get(code="P1.1.b")
    answer_save(
        assessment=in_preliminary, question=screened, layer=Layer.PRELIMINARY,
        by=personas["reviewer"], value="C", note="", revision=None,
    )  # fmt: skip
    in_preliminary.status = Status.TPI_REVIEW
    in_preliminary.save()
    questions = lke.questions.filter(code__in=["P1.1.a", "P1.1.b"])
    answers_accept(assessment=in_preliminary, questions=questions, by=personas["tpi"])
    tpi = _layer(in_preliminary, Layer.TPI)
    unit = _layer(in_preliminary, Layer.SELF)
    assert tpi["P1.1.b"].value == "C"  # Kanwil's judgement, not the unit's "A"
    assert tpi["P1.1.a"].value == unit["P1.1.a"].value


def test_the_unit_cannot_accept_into_a_reviewer_layer(in_preliminary, personas):
    with pytest.raises(WorkflowError) as refused:
        answers_accept(
            assessment=in_preliminary,
            questions=worksheet.questions_in(in_preliminary, "tab", "1"),
            by=personas["operator"],
        )
    assert refused.value.forbidden
    assert not _layer(in_preliminary, Layer.PRELIMINARY)


def test_one_click_on_the_tab_answers_with_the_tab_and_what_happened(in_preliminary, client_for):
    response = client_for("reviewer").post(
        reverse("assessments:answers_accept", args=[in_preliminary.pk]),
        {"scope": "tab", "key": "2", "tab": "2", "filter": "unanswered"},
        HTTP_HX_REQUEST="true",
    )
    assert response.status_code == 200
    text = response.content.decode()
    assert "Disetujui:" in text and "butir disalin dari lapisan sebelumnya" in text
    assert "Tidak ada butir untuk saringan ini." in text  # the filter kept: nothing left


def test_a_tab_of_evidence_judged_at_once_leaves_judged_items_alone(
    storage, in_preliminary, personas
):
    lke = in_preliminary.period.lke_version
    first, second = lke.questions.filter(indicator__area__number=1).order_by("pk")[:2]
    in_preliminary.status = Status.PEMBANGUNAN
    in_preliminary.save()
    a = put(in_preliminary, personas["operator"], "a.pdf", make_pdf(), question=first)
    b = put(in_preliminary, personas["operator"], "b.pdf", make_pdf(b"%b"), question=second)
    in_preliminary.status = Status.PRELIMINARY_REVIEW
    in_preliminary.save()
    reviewer = personas["reviewer"]
    evidence_set_verdict(evidence=b, by=reviewer, verdict="needs_fix", note="Tanpa tanda tangan")
    with pytest.raises(EvidenceError, match="Catatan wajib"):
        evidence_verdict_bulk(
            assessment=in_preliminary, questions=[first, second], by=reviewer, verdict="needs_fix"
        )
    count = evidence_verdict_bulk(
        assessment=in_preliminary,
        questions=worksheet.questions_in(in_preliminary, "tab", "1"),
        by=reviewer,
        verdict="complete",
    )
    a.refresh_from_db(), b.refresh_from_db()
    assert count == 1
    assert (a.verdict, b.verdict) == (EvidenceVerdict.COMPLETE, EvidenceVerdict.NEEDS_FIX)

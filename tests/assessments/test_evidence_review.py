"""Reviewers' verdicts on evidence: who may give them and when, and that "needs fix" says what."""

import pytest

from assessments.evidence.services import evidence_remove, evidence_set_verdict
from assessments.models import EvidenceVerdict, Status
from core.errors import EvidenceError
from tests.assessments.test_evidence_files import (  # noqa: F401 (fixtures)
    make_pdf,
    open_assessment_fixture,
    put,
)


@pytest.fixture
def item(storage, open_assessment, personas):
    return put(open_assessment, personas["operator"], "piagam.pdf", make_pdf())


def _at(assessment, status):
    assessment.status = status
    assessment.save()


def test_needs_fix_without_a_note_is_refused(item, open_assessment, personas):
    _at(open_assessment, Status.PRELIMINARY_REVIEW)
    with pytest.raises(EvidenceError, match="Catatan wajib diisi"):
        evidence_set_verdict(evidence=item, by=personas["reviewer"], verdict="needs_fix", note=" ")
    item.refresh_from_db()
    assert item.verdict == EvidenceVerdict.UNCHECKED


@pytest.mark.parametrize(
    ("status", "persona"),
    [
        (Status.PRELIMINARY_REVIEW, "reviewer"),
        (Status.TPI_REVIEW, "tpi"),
        (Status.TPN_EVALUATION, "tpn"),
    ],
)
def test_the_reviewer_holding_the_assessment_gives_verdicts(
    item, open_assessment, personas, status, persona
):
    _at(open_assessment, status)
    done = evidence_set_verdict(
        evidence=item, by=personas[persona], verdict="needs_fix", note="Belum ditandatangani"
    )
    assert (done.verdict, done.verdict_note, done.verdict_by) == (
        EvidenceVerdict.NEEDS_FIX,
        "Belum ditandatangani",
        personas[persona],
    )
    done = evidence_set_verdict(evidence=item, by=personas[persona], verdict="complete")
    assert done.verdict == EvidenceVerdict.COMPLETE


@pytest.mark.parametrize(
    ("status", "persona"),
    [
        (Status.PEMBANGUNAN, "reviewer"),
        (Status.PRELIMINARY_REVIEW, "tpi"),
        (Status.PRELIMINARY_REVIEW, "operator"),
        (Status.PRELIMINARY_REVIEW, "pimpinan"),
        (Status.TPI_REVIEW, "reviewer"),
    ],
)
def test_nobody_else_gives_verdicts(item, open_assessment, personas, status, persona):
    _at(open_assessment, status)
    with pytest.raises(EvidenceError) as error:
        evidence_set_verdict(evidence=item, by=personas[persona], verdict="complete")
    assert error.value.forbidden


def test_unknown_verdict_and_removed_items_are_refused(item, open_assessment, personas):
    evidence_remove(evidence=item, by=personas["operator"])
    _at(open_assessment, Status.PRELIMINARY_REVIEW)
    with pytest.raises(EvidenceError, match="tidak dikenal"):
        evidence_set_verdict(evidence=item, by=personas["reviewer"], verdict="ok")
    with pytest.raises(EvidenceError, match="sudah dihapus"):
        evidence_set_verdict(evidence=item, by=personas["reviewer"], verdict="complete")

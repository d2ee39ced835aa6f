"""One document, several items: a file uploaded for one LKE item can be attached to others
without uploading it again. It is stored once (same name, same SHA-256, counted once against
the quota); each attachment is a row of its own, with its own requirement, verdict and audit
entry. And the worksheet's "missing evidence" filter reads the same checklist the item shows."""

import pytest
from auditlog.models import LogEntry

from assessments.assessment import Status
from assessments.evidence.selectors import attachable, evidence_current
from assessments.evidence.services import evidence_attach, evidence_remove, quota_used
from assessments.worksheet import selectors as worksheet
from core.errors import EvidenceError
from tests.assessments.helpers import require_evidence
from tests.assessments.test_evidence_files import (  # noqa: F401 (fixtures)
    make_pdf,
    open_assessment_fixture,
    put,
    question_fixture,
    stored_files,
)


@pytest.fixture
def other(lke, question):
    other = lke.questions.exclude(pk=question.pk).order_by("pk").first()
    require_evidence(other, "SK Tim Kerja")
    return other


@pytest.fixture
def sk(storage, open_assessment, question, personas):
    return put(
        open_assessment, personas["operator"], "sk tim.pdf", make_pdf(), question=question,
        description="SK Tim Kerja",
    )  # fmt: skip


def test_an_attached_file_is_stored_once_and_counted_once(
    storage, open_assessment, personas, sk, other
):
    used = quota_used(open_assessment.unit_id)
    attached = evidence_attach(source=sk, question=other, by=personas["operator"])
    assert (attached.file.name, attached.sha256, attached.source) == (sk.file.name, sk.sha256, sk)
    assert len(stored_files(storage)) == 1
    assert quota_used(open_assessment.unit_id) == used
    entry = LogEntry.objects.get(
        additional_data__action="zi.evidence.attached", object_pk=str(attached.pk)
    )
    assert entry.additional_data["sha256"] == sk.sha256
    assert entry.additional_data["question"] == other.code


def test_each_attachment_covers_its_own_requirement(open_assessment, personas, sk, other):
    evidence_attach(source=sk, question=other, by=personas["operator"], description="SK Tim Kerja")
    checklist = evidence_current(assessment=open_assessment, question=other).checklist
    matches = {entry.label: files for entry, files in checklist}
    assert [e.original_name for e in matches["SK Tim Kerja"]] == ["sk tim.pdf"]


def test_attaching_what_the_item_already_has_is_refused(open_assessment, personas, sk, other):
    evidence_attach(source=sk, question=other, by=personas["operator"])
    with pytest.raises(EvidenceError, match="sudah memiliki data dukung ini"):
        evidence_attach(source=sk, question=other, by=personas["operator"])
    assert attachable(open_assessment, other) == []


def test_removing_the_first_item_leaves_the_attachment_and_its_file(
    storage, open_assessment, personas, sk, other
):
    attached = evidence_attach(source=sk, question=other, by=personas["operator"])
    evidence_remove(evidence=sk, by=personas["operator"])
    assert [e.pk for e in evidence_current(assessment=open_assessment, question=other)] == [
        attached.pk
    ]
    with attached.file.open("rb") as handle:
        assert handle.read() == make_pdf()


def test_no_attaching_while_the_assessment_is_with_a_reviewer(open_assessment, personas, sk, other):
    open_assessment.status = Status.PRELIMINARY_REVIEW
    open_assessment.save()
    with pytest.raises(EvidenceError) as refused:
        evidence_attach(source=sk, question=other, by=personas["operator"])
    assert refused.value.forbidden


def test_the_missing_evidence_filter_follows_the_checklist(
    open_assessment, personas, question, other, sk
):
    def missing(q):
        tab = worksheet.tab_of(q)
        sheet = worksheet.load(personas["operator"], open_assessment, tab, "missing_evidence")
        return any(row.question == q for _i, rows in sheet.groups for row in rows)

    assert missing(question)  # "Notulen rapat" still has no document
    assert missing(other)
    put(
        open_assessment, personas["operator"], "notulen.pdf", make_pdf(b"%notulen"),
        question=question, description="Notulen rapat",
    )  # fmt: skip
    evidence_attach(source=sk, question=other, by=personas["operator"], description="SK Tim Kerja")
    assert not missing(question) and not missing(other)

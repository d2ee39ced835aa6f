"""Storing evidence: hashes, quota, all-or-nothing writes, parallel uploads, the lock while the
assessment is with a reviewer, revisions, links and removal."""

import hashlib
import threading
import time
from unittest import mock

import pytest
from django.db import OperationalError, connection

from assessments.evidence.selectors import evidence_current
from assessments.evidence.services import (
    evidence_add_link,
    evidence_remove,
    evidence_upload,
    quota_used,
)
from assessments.models import Evidence, EvidenceKind, Status
from core.errors import EvidenceError
from tests.assessments.test_evidence_files import (  # noqa: F401 (fixtures)
    make_pdf,
    open_assessment_fixture,
    put,
    question_fixture,
    stored_files,
    upload,
)
from tests.factories import AssessmentFactory, PeriodFactory


def test_stored_sha256_and_size_are_those_of_the_file(storage, open_assessment, personas):
    content = make_pdf(b"isi " * 1000)
    item = put(open_assessment, personas["operator"], "piagam.pdf", content)
    assert item.sha256 == hashlib.sha256(content).hexdigest()
    assert item.size == len(content)
    assert item.uploaded_by == personas["operator"]
    assert (storage / item.file.name).read_bytes() == content


def test_upload_past_the_unit_quota_is_refused(settings, storage, open_assessment, personas):
    settings.ZI_EVIDENCE_UNIT_QUOTA_BYTES = 3000
    first = put(open_assessment, personas["operator"], "a.pdf", make_pdf(b"%" * 1500))
    with pytest.raises(EvidenceError, match="Kuota unit penuh"):
        put(open_assessment, personas["operator"], "b.pdf", make_pdf(b"%" * 1500))
    # Removed files still count: they are kept for the audit.
    evidence_remove(evidence=first, by=personas["operator"])
    with pytest.raises(EvidenceError, match="Kuota unit penuh"):
        put(open_assessment, personas["operator"], "b.pdf", make_pdf(b"%" * 1500))
    assert Evidence.objects.count() == 1
    assert len(stored_files(storage)) == 1


def test_quota_counts_every_assessment_of_the_unit(
    settings, storage, open_assessment, personas, lke
):
    earlier = AssessmentFactory(
        period=PeriodFactory(year=2025, lke_version=lke), unit=open_assessment.unit,
        status=Status.PEMBANGUNAN,
    )  # fmt: skip
    put(earlier, personas["operator"], "lama.pdf", make_pdf(b"%" * 1500))
    assert quota_used(open_assessment.unit_id) > 1500
    settings.ZI_EVIDENCE_UNIT_QUOTA_BYTES = 3000
    with pytest.raises(EvidenceError, match="Kuota unit penuh"):
        put(open_assessment, personas["operator"], "baru.pdf", make_pdf(b"%" * 1500))


def test_a_failing_database_write_leaves_no_file_and_no_row(storage, open_assessment, personas):
    with (
        mock.patch.object(Evidence.objects, "create", side_effect=RuntimeError("db down")),
        pytest.raises(RuntimeError),
    ):
        put(open_assessment, personas["operator"], "piagam.pdf", make_pdf())
    assert not Evidence.objects.exists()
    assert stored_files(storage) == []


def test_a_failure_while_saving_the_row_leaves_no_file(storage, open_assessment, personas):
    with (
        mock.patch.object(Evidence, "save", side_effect=RuntimeError("disk full")),
        pytest.raises(RuntimeError),
    ):
        put(open_assessment, personas["operator"], "piagam.pdf", make_pdf())
    assert not Evidence.objects.exists()
    assert stored_files(storage) == []


def _waiting_for_the_database(call, attempts: int = 100):
    """The SQLite test database lives in memory with a shared cache, where a writer finding the
    database busy fails at once ("database table is locked") instead of waiting, as it does on
    a database file (busy timeout) or on PostgreSQL (row lock). Retrying stands in for that
    wait; each failed attempt must also have cleaned up its stored file."""
    for attempt in range(attempts):
        try:
            return call()
        except OperationalError as error:
            if "locked" not in str(error) or attempt == attempts - 1:
                raise
            time.sleep(0.01)


@pytest.mark.django_db(transaction=True)
def test_two_uploads_to_the_same_question_at_once_both_land(
    storage, open_assessment, personas, question
):
    operator = personas["operator"]
    barrier, errors = threading.Barrier(2), []

    def send(n: int):
        try:
            barrier.wait(timeout=5)
            _waiting_for_the_database(
                lambda: put(
                    open_assessment,
                    operator,
                    f"bukti-{n}.pdf",
                    make_pdf(b"%d" % n),
                    question=question,
                )  # fmt: skip
            )
        except Exception as error:  # reported below
            errors.append(error)
        finally:
            connection.close()

    threads = [threading.Thread(target=send, args=(n,)) for n in (1, 2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=30)
    assert errors == []
    names = sorted(
        e.original_name for e in evidence_current(assessment=open_assessment, question=question)
    )
    assert names == ["bukti-1.pdf", "bukti-2.pdf"]
    assert len(stored_files(storage)) == 2


def test_locked_while_with_the_reviewer_and_unlocked_when_returned(
    storage, open_assessment, personas, question
):
    operator = personas["operator"]
    item = put(open_assessment, operator, "a.pdf", make_pdf(), question=question)
    open_assessment.status = Status.PRELIMINARY_REVIEW
    open_assessment.save()
    with pytest.raises(EvidenceError) as error:
        put(open_assessment, operator, "b.pdf", make_pdf(), question=question)
    assert error.value.forbidden
    with pytest.raises(EvidenceError):
        evidence_remove(evidence=item, by=operator)
    open_assessment.status = Status.RETURNED_PRELIMINARY
    open_assessment.save()
    put(open_assessment, operator, "b.pdf", make_pdf(), question=question)
    evidence_remove(evidence=item, by=operator)
    assert [
        e.original_name for e in evidence_current(assessment=open_assessment, question=question)
    ] == ["b.pdf"]


@pytest.mark.parametrize("persona", ["pimpinan", "reviewer", "tpi", "admin", "operator_b"])
def test_only_the_units_operator_uploads(storage, open_assessment, personas, persona):
    with pytest.raises(EvidenceError) as error:
        put(open_assessment, personas[persona], "a.pdf", make_pdf())
    assert error.value.forbidden


def test_answer_evidence_needs_a_question_of_this_lke(storage, open_assessment, personas, lke):
    with pytest.raises(EvidenceError, match="Pilih butir"):
        evidence_upload(
            assessment=open_assessment,
            kind=EvidenceKind.ANSWER,
            uploaded_file=upload("a.pdf", make_pdf()),
            by=personas["operator"],
        )
    with pytest.raises(EvidenceError, match="tidak dikenal"):
        evidence_upload(
            assessment=open_assessment, kind="lainnya",
            uploaded_file=upload("a.pdf", make_pdf()), by=personas["operator"],
        )  # fmt: skip


def test_a_revision_replaces_the_item_and_keeps_the_old_for_the_audit(
    storage, open_assessment, personas, question
):
    operator = personas["operator"]
    old = put(
        open_assessment,
        operator,
        "v1.pdf",
        make_pdf(),
        question=question,
        description="SK Tim Kerja",
    )
    new = put(
        open_assessment, operator, "v2.pdf", make_pdf(b"revisi"), question=question,
        description="SK Tim Kerja", replaces=old,
    )  # fmt: skip
    old.refresh_from_db()
    assert old.removed_at is not None and old.removed_by == operator
    current = evidence_current(assessment=open_assessment, question=question)
    assert list(current) == [new]
    assert len(stored_files(storage)) == 2
    with pytest.raises(EvidenceError, match="sudah dihapus"):
        put(open_assessment, operator, "v3.pdf", make_pdf(), question=question, replaces=old)


def test_checklist_shows_which_required_items_are_covered(
    storage, open_assessment, personas, question
):
    put(
        open_assessment,
        personas["operator"],
        "sk.pdf",
        make_pdf(),
        question=question,
        description="SK Tim Kerja",
    )
    checklist = evidence_current(assessment=open_assessment, question=question).checklist
    assert [(entry.label, bool(found)) for entry, found in checklist] == [
        ("SK Tim Kerja", True),
        ("Notulen rapat", False),
    ]


@pytest.mark.parametrize(
    "url", ["javascript:alert(1)", "ftp://example.org/a", "file:///etc/passwd", "bukan tautan", ""]
)
def test_links_must_be_http_or_https(open_assessment, personas, question, url):
    with pytest.raises(EvidenceError, match="Tautan tidak valid"):
        evidence_add_link(
            assessment=open_assessment, kind=EvidenceKind.ANSWER, question=question, url=url,
            by=personas["operator"],
        )  # fmt: skip


def test_a_link_is_evidence_too(open_assessment, personas, question):
    item = evidence_add_link(
        assessment=open_assessment, kind=EvidenceKind.ANSWER, question=question,
        url="https://kemenag.go.id/zi/sop", by=personas["operator"], description="Notulen rapat",
    )  # fmt: skip
    assert item.url == "https://kemenag.go.id/zi/sop" and not item.file
    checklist = evidence_current(assessment=open_assessment, question=question).checklist
    assert {entry.label: files for entry, files in checklist}["Notulen rapat"] == [item]


def test_removing_keeps_row_and_file(storage, open_assessment, personas):
    item = put(open_assessment, personas["operator"], "a.pdf", make_pdf())
    evidence_remove(evidence=item, by=personas["operator"])
    item.refresh_from_db()
    assert item.removed_at is not None and item.removed_by == personas["operator"]
    assert (storage / item.file.name).exists()
    assert list(evidence_current(assessment=open_assessment, kind=EvidenceKind.PIAGAM)) == []
    assert list(
        evidence_current(assessment=open_assessment, kind=EvidenceKind.PIAGAM, include_removed=True)
    ) == [item]

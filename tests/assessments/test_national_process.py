"""Stage 5 as KemenPAN-RB runs it: TPN's administrative selection, the unit's one sanggah, the
predicate's life (grant with its scores, revocation with its source) and the two-year bar on
proposing a revoked unit again (PermenPAN-RB 90/2021, Bab IV C)."""

import datetime
from decimal import Decimal

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from assessments.evidence.services import evidence_upload
from assessments.models import (
    Appeal,
    AppealDecision,
    EvidenceKind,
    Layer,
    PredicateAward,
    SelectionOutcome,
    SelectionResult,
    Status,
)
from assessments.services import assessment_transition
from assessments.stages.services import award_revoke, bar_end
from core.errors import EvidenceError, WorkflowError
from notifications.models import Notification
from tests.assessments.helpers import answer_all
from tests.assessments.test_evidence_files import make_pdf
from tests.factories import AssessmentFactory, PeriodFactory

TODAY = timezone.localdate()
SK_DATE = TODAY


def _worst(question):
    return {"yes_no": "Tidak", "abc": "C", "abcd": "D", "abcde": "E", "percent": 0,
            "survey_index": 1}[question.answer_type]  # fmt: skip


def _go(assessment, name, by, **kwargs):
    assessment_transition(assessment=assessment, name=name, by=by, **kwargs)
    assessment.refresh_from_db()
    return assessment


def _upload(assessment, kind, by, name="dokumen.pdf"):
    return evidence_upload(
        assessment=assessment, kind=kind, by=by,
        uploaded_file=SimpleUploadedFile(name, make_pdf()),
    )  # fmt: skip


@pytest.fixture
def proposed(assessment, personas, storage):
    """Unit A proposed to TPN in 2026: its TPI layer meets WBK; the sanggah window is open."""
    answer_all(assessment, Layer.TPI, personas["tpi"], through_service=False)
    assessment.status = Status.PROPOSED
    assessment.save()
    period = assessment.period
    period.appeal_opens = TODAY - datetime.timedelta(days=2)
    period.appeal_closes = TODAY + datetime.timedelta(days=3)
    period.save()
    return assessment


def test_one_unit_from_selection_to_a_revoked_predicate_and_the_bar(
    proposed, personas, django_capture_on_commit_callbacks
):
    a, tpn, operator = proposed, personas["tpn"], personas["operator"]

    # Selection: lulus dengan catatan. TPN cannot evaluate yet, nor confirm without documents.
    _go(a, "select_pass_notes", tpn, note="Surat usulan tanpa tanda tangan; lengkapi SPTJM.")
    assert a.status == Status.SELECTION_NOTES
    assert a.selection.outcome == SelectionOutcome.PASSED_WITH_NOTES
    with pytest.raises(WorkflowError):
        answer_all(a, Layer.TPN, tpn)
    with pytest.raises(WorkflowError) as missing:
        _go(a, "confirm_selection", tpn)
    assert missing.value.problems == [
        "Dokumen surat usulan perbaikan belum diunggah unit.",
        "Dokumen SPTJM belum diunggah unit.",
    ]

    # The unit sends the corrected letter and the SPTJM; TPN confirms: evaluation.
    _upload(a, EvidenceKind.PROPOSAL_LETTER, operator, "surat-usulan.pdf")
    _upload(a, EvidenceKind.SPTJM, operator, "sptjm.pdf")
    _go(a, "confirm_selection", tpn)
    assert a.status == Status.TPN_EVALUATION
    assert SelectionResult.objects.get(assessment=a).confirmed_by == tpn

    # TPN does not grant.
    answer_all(a, Layer.TPN, tpn, value_for=_worst, through_service=False)
    _go(a, "not_grant", tpn, note="Nilai lapisan TPN belum memenuhi.")
    assert a.status == Status.NOT_GRANTED

    # Sanggah inside the window, with reasons, links and a file; TPN accepts.
    links = "https://ppid.kemenag.go.id/ikm-2026\nhttps://drive.kemenag.go.id/zi/semarang"
    _go(a, "file_appeal", operator, note="Data IKM semester II belum dinilai.", links=links)
    assert a.status == Status.APPEALED
    appeal = Appeal.objects.get(assessment=a)
    assert appeal.against == Status.NOT_GRANTED
    assert appeal.links == [
        "https://ppid.kemenag.go.id/ikm-2026",
        "https://drive.kemenag.go.id/zi/semarang",
    ]
    _upload(a, EvidenceKind.APPEAL, operator, "ikm-semester-2.pdf")
    _go(a, "accept_appeal", tpn, note="Data IKM terbukti; dievaluasi ulang.")
    assert a.status == Status.TPN_EVALUATION
    appeal.refresh_from_db()
    assert (appeal.decision, appeal.decided_by) == (AppealDecision.ACCEPTED, tpn)

    # Evaluated again: WBK, with its SK and the layer scores at grant time.
    a.answers.filter(layer=Layer.TPN).delete()
    answer_all(a, Layer.TPN, tpn, through_service=False)
    _go(a, "grant", tpn, note="Memenuhi.", sk_number="B/512/M.PAN-RB/12/2026", sk_date=SK_DATE)
    assert a.status == Status.GRANTED
    award = PredicateAward.objects.get(assessment=a)
    assert award.sk_number == "B/512/M.PAN-RB/12/2026"
    assert set(award.layer_scores) == {"self", "preliminary", "tpi", "tpn"}
    assert Decimal(award.layer_scores["tpi"]) == 100

    # Revoked on a public report: the unit is told, and barred for two years.
    with django_capture_on_commit_callbacks(execute=True):
        award_revoke(award=award, by=personas["admin"], reason="Pungli terbukti (SP4N-LAPOR).",
                     source="sp4n_lapor", decided_on=TODAY)  # fmt: skip
    award.refresh_from_db()
    assert award.revoked_source == "sp4n_lapor" and award.revoked_on == TODAY
    assert award.barred_until == bar_end(TODAY, 2)
    told = Notification.objects.filter(user=operator, kind="award_revoked").get()
    assert "dicabut" in told.title

    # Next year the unit passes TPI again: the proposal is refused until the bar ends.
    later = AssessmentFactory(
        period=PeriodFactory(year=2027, lke_version=a.period.lke_version), unit=a.unit,
        status=Status.TPI_PASSED,
    )  # fmt: skip
    answer_all(later, Layer.TPI, personas["tpi"], through_service=False)
    with pytest.raises(WorkflowError) as barred:
        _go(later, "propose", personas["admin"])
    assert "tidak dapat diusulkan sampai" in barred.value.problems[0]
    assert later.status == Status.TPI_PASSED


def test_the_bar_ends_after_its_years(proposed, personas):
    award = PredicateAward.objects.create(unit=proposed.unit, year=2022, predicate="WBK",
                                          sk_number="B/1/2022")  # fmt: skip
    decided = TODAY - datetime.timedelta(days=2 * 366 + 1)
    award_revoke(award=award, by=personas["admin"], reason="Media", source="media",
                 decided_on=decided)  # fmt: skip
    proposed.status = Status.TPI_PASSED
    proposed.save()
    _go(proposed, "propose", personas["admin"])
    assert proposed.status == Status.PROPOSED


def test_bar_end_is_the_day_before_the_anniversary():
    assert bar_end(datetime.date(2026, 3, 10), 2) == datetime.date(2028, 3, 9)
    assert bar_end(datetime.date(2024, 2, 29), 2) == datetime.date(2026, 2, 27)


def test_a_second_sanggah_is_refused(proposed, personas):
    a, tpn, operator = proposed, personas["tpn"], personas["operator"]
    _go(a, "select_fail", tpn, note="Berkas usulan tidak lengkap.")
    assert a.status == Status.SELECTION_FAILED and a.is_final
    _go(a, "file_appeal", operator, note="Berkas sudah lengkap sejak Juli.")
    _go(a, "accept_appeal", tpn, note="Berkas ditemukan.")
    answer_all(a, Layer.TPN, tpn, value_for=_worst, through_service=False)
    _go(a, "not_grant", tpn, note="Tidak memenuhi.")
    with pytest.raises(WorkflowError) as again:
        _go(a, "file_appeal", personas["pimpinan"], note="Mohon ditinjau lagi.")
    assert "hanya dapat diajukan satu kali" in again.value.problems[0]
    assert a.status == Status.NOT_GRANTED


def test_a_rejected_sanggah_is_final(proposed, personas):
    a, tpn = proposed, personas["tpn"]
    _go(a, "select_fail", tpn, note="Tidak memenuhi syarat administrasi.")
    _go(a, "file_appeal", personas["operator"], note="Keberatan.")
    with pytest.raises(WorkflowError, match="Catatan wajib"):
        _go(a, "reject_appeal", tpn)
    _go(a, "reject_appeal", tpn, note="Alasan tidak didukung data.")
    assert a.status == Status.APPEAL_REJECTED and a.is_final
    assert a.appeal.decision == AppealDecision.REJECTED
    assert a.appeal.decision_reason == "Alasan tidak didukung data."


@pytest.mark.parametrize(
    ("opens", "closes", "says"),
    [
        (None, None, "belum ditetapkan"),
        (-10, -3, "hanya dapat diajukan pada masa sanggah"),
        (1, 5, "hanya dapat diajukan pada masa sanggah"),
    ],
)
def test_a_sanggah_outside_its_window_is_refused(proposed, personas, opens, closes, says):
    period = proposed.period
    period.appeal_opens = TODAY + datetime.timedelta(days=opens) if opens is not None else None
    period.appeal_closes = TODAY + datetime.timedelta(days=closes) if closes is not None else None
    period.save()
    _go(proposed, "select_fail", personas["tpn"], note="Tidak lengkap.")
    with pytest.raises(WorkflowError) as refused:
        _go(proposed, "file_appeal", personas["operator"], note="Keberatan.")
    assert says in refused.value.problems[0]
    assert not Appeal.objects.exists()


def test_a_sanggah_link_must_be_a_web_address(proposed, personas):
    _go(proposed, "select_fail", personas["tpn"], note="Tidak lengkap.")
    with pytest.raises(WorkflowError, match="Tautan tidak valid"):
        _go(proposed, "file_appeal", personas["operator"], note="x", links="javascript:alert(1)")
    assert proposed.status == Status.SELECTION_FAILED


def test_decision_documents_only_when_their_step_asks_for_them(proposed, personas):
    operator = personas["operator"]
    with pytest.raises(EvidenceError):
        _upload(proposed, EvidenceKind.SPTJM, operator)
    _go(proposed, "select_pass_notes", personas["tpn"], note="Lengkapi SPTJM.")
    with pytest.raises(EvidenceError):
        _upload(proposed, EvidenceKind.APPEAL, operator)  # no sanggah was filed
    with pytest.raises(EvidenceError):
        _upload(proposed, EvidenceKind.PIAGAM, operator)  # the unit's documents stay locked
    assert _upload(proposed, EvidenceKind.SPTJM, operator).kind == EvidenceKind.SPTJM


def test_only_units_that_passed_selection_are_evaluated(proposed, personas):
    with pytest.raises(WorkflowError):
        _go(proposed, "grant", personas["tpn"], note="x", sk_number="B/1", sk_date=SK_DATE)
    _go(proposed, "select_pass", personas["admin"])  # the admin records TPN's published list
    assert proposed.status == Status.TPN_EVALUATION
    assert proposed.selection.outcome == SelectionOutcome.PASSED


def test_the_decisions_page_shows_the_outcome_and_lets_the_unit_upload(
    proposed, personas, client_for
):
    _go(proposed, "select_pass_notes", personas["tpn"], note="SPTJM belum ada.")
    page = client_for("operator").get(f"/assessments/{proposed.pk}/tpn/")
    html = page.content.decode()
    assert page.status_code == 200
    assert "Lulus dengan catatan" in html and "SPTJM belum ada." in html
    assert 'id="evidence-files-sptjm"' in html and 'id="evidence-files-surat_usulan"' in html
    assert 'id="evidence-panel-sanggah"' not in html  # no sanggah was filed
    reviewer = client_for("reviewer").get(f"/assessments/{proposed.pk}/tpn/").content.decode()
    assert "Lulus dengan catatan" in reviewer and 'name="files"' not in reviewer

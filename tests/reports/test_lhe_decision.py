"""The LHE of an awarded unit tells TPN's decision: the predicate, the SK number and date on the
cover and in the summary; a grant its own TPN layer does not support needs a justification,
which is stored with the award and printed in the LHE."""

import datetime
import re

import pytest
from django.urls import reverse
from django.utils import timezone

from assessments.models import Layer, PredicateAward, Status
from assessments.services import assessment_transition
from assessments.stages.services import award_revoke
from core.errors import WorkflowError
from reports.lhe import render_lhe
from tests.assessments.helpers import answer_all, best_value
from tests.reports.test_lhe import pdf_text

REVOKED_ON = datetime.date(2026, 11, 30)

SK = "B/321/M.PAN-RB/11/2026"
SK_DATE = datetime.date(2026, 11, 30)
JUSTIFICATION = "Survei IPAK ulang oleh BPS menunjukkan 3,64; hasil resmi menyusul."


def _ipak_short(question):
    return "3.55" if question.code == "H1.1.a" else best_value(question)  # 15,53 < 15,75


@pytest.fixture
def proposed(assessment, personas):
    for layer, who in ((Layer.SELF, "operator"), (Layer.TPI, "tpi"), (Layer.TPN, "tpn")):
        answer_all(assessment, layer, personas[who], _ipak_short, through_service=False)
    assessment.status = Status.TPN_EVALUATION
    assessment.save()
    return assessment


def _grant(assessment, personas, **fields):
    return assessment_transition(
        assessment=assessment,
        name="grant",
        by=personas["tpn"],
        note="Ditetapkan dalam sidang TPN",
        sk_number=SK,
        sk_date=SK_DATE,
        **fields,
    )


def _lhe(assessment, personas, tmp_path) -> str:
    pdf = render_lhe(assessment=assessment, reader=personas["tpn"], layer=Layer.TPN)
    return re.sub(r"\s+", " ", pdf_text(pdf, tmp_path))


def test_granting_what_the_tpn_layer_misses_needs_a_justification(proposed, personas):
    with pytest.raises(WorkflowError) as error:
        _grant(proposed, personas)

    problem = " ".join(error.value.problems)
    assert "Nilai TPN belum memenuhi aturan WBK" in problem
    assert "IPAK (survei persepsi korupsi): 15,53 < 15,75" in problem
    assert not PredicateAward.objects.filter(assessment=proposed).exists()
    proposed.refresh_from_db()
    assert proposed.status == Status.TPN_EVALUATION


def test_the_lhe_shows_the_award_its_sk_and_the_justification(proposed, personas, tmp_path):
    assert "Keputusan TPN" not in _lhe(proposed, personas, tmp_path)

    _grant(proposed, personas, override_note=JUSTIFICATION)

    award = PredicateAward.objects.get(assessment=proposed)
    assert (award.sk_number, award.sk_date, award.justification) == (SK, SK_DATE, JUSTIFICATION)
    assert award.granted_at is not None
    text = _lhe(proposed, personas, tmp_path)
    assert text.count("Keputusan TPN: predikat WBK ditetapkan") == 2  # cover and summary
    assert text.count(f"{SK} · tanggal 30 November 2026") == 2
    assert f"Predikat ditetapkan WBK · SK {SK}, 30 November 2026" in text
    assert JUSTIFICATION in text


def test_a_grant_the_tpn_layer_supports_needs_no_justification(assessment, personas, tmp_path):
    for layer, who in ((Layer.TPI, "tpi"), (Layer.TPN, "tpn")):
        answer_all(assessment, layer, personas[who], through_service=False)
    assessment.status = Status.TPN_EVALUATION
    assessment.save()

    _grant(assessment, personas)

    assert PredicateAward.objects.get(assessment=assessment).justification == ""
    text = _lhe(assessment, personas, tmp_path)
    assert "Keputusan TPN: predikat WBK ditetapkan" in text
    assert "Justifikasi TPN" not in text


def test_a_revoked_award_says_so_in_the_lhe(proposed, personas, tmp_path):
    _grant(proposed, personas, override_note=JUSTIFICATION)
    award = PredicateAward.objects.get(assessment=proposed)

    award_revoke(
        award=award,
        by=personas["admin"],
        reason="Pelanggaran integritas terbukti",
        source="media",
        decided_on=REVOKED_ON,
    )

    text = _lhe(proposed, personas, tmp_path)
    assert "Predikat dicabut pada" in text and "Pelanggaran integritas terbukti" in text


@pytest.mark.parametrize(
    ("sk_date", "expected"),
    [("", "Tanggal SK penetapan wajib diisi."), ("2099-01-01", "tidak boleh di masa depan")],
)
def test_the_grant_form_refuses_a_missing_or_future_sk_date(
    proposed, client_for, sk_date, expected
):
    response = client_for("tpn").post(
        reverse("assessments:transition", args=[proposed.pk, "grant"]),
        {"note": "ok", "sk_number": SK, "sk_date": sk_date, "override_note": JUSTIFICATION},
        follow=True,
    )

    assert expected in response.content.decode()
    proposed.refresh_from_db()
    assert proposed.status == Status.TPN_EVALUATION


def test_the_lhe_shows_the_selection_and_the_sanggah(proposed, personas, tmp_path):
    proposed.status = Status.PROPOSED
    proposed.save()
    period = proposed.period
    period.appeal_opens = period.appeal_closes = timezone.localdate()
    period.save()
    tpn = personas["tpn"]
    assessment_transition(assessment=proposed, name="select_fail", by=tpn, note="Tanpa SPTJM.")
    assessment_transition(assessment=proposed, name="file_appeal", by=personas["operator"],
                          note="SPTJM terkirim 1 Agustus.")  # fmt: skip
    assessment_transition(assessment=proposed, name="accept_appeal", by=tpn, note="Ditemukan.")
    text = re.sub(r"\s+", " ", _lhe(proposed, personas, tmp_path))
    assert "Seleksi administrasi TPN Tidak lulus · Tanpa SPTJM." in text
    assert "Diterima: kembali ke evaluasi: Ditemukan." in text

"""A report is never served stale: asking again with nothing changed returns the same file; after
any change to what it shows, made through the service that changes it, a new file is made.

The fingerprint of a report is the content versions of what it shows (units.models
.VersionedQuerySet.touch), moved forward in the same transaction as the change."""

import datetime

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from assessments import services as assessment_services
from assessments.evidence.services import evidence_remove, evidence_set_verdict, evidence_upload
from assessments.models import Evidence, Layer, PredicateAward, Status
from assessments.stages.services import award_revoke
from assessments.worksheet.services import answer_save, item_return
from core.errors import ConflictError
from reports import services, worker
from reports.models import JobStatus
from tests.assessments.helpers import answer_all
from tests.assessments.test_evidence_files import make_pdf
from tests.factories import AssessmentFactory, PeriodFactory
from tests.reports.test_lhe import pdf_text
from units.services import unit_update

REVOKED_ON = datetime.date(2026, 11, 30)


def _file(name="bukti.pdf"):
    return SimpleUploadedFile(name, make_pdf())


def _question(assessment, code="P1.1.a"):
    return assessment.period.lke_version.questions.get(code=code)


def _asked(kind, params, by):
    return services.report_request(kind=kind, params=params, by=by)


def _made(kind, params, by):
    job = _asked(kind, params, by)
    worker.report_run(job_id=job.pk)
    job.refresh_from_db()
    assert job.status == JobStatus.DONE
    return job


@pytest.fixture
def building(assessment, personas, storage):
    """In Pembangunan, one answer and one file of the unit."""
    assessment.status = Status.PEMBANGUNAN
    assessment.save()
    answer_save(
        assessment=assessment, question=_question(assessment), layer=Layer.SELF,
        by=personas["operator"], value="Ya", note="", revision=None,
    )  # fmt: skip
    evidence_upload(
        assessment=assessment, kind="answer", question=_question(assessment),
        uploaded_file=_file(), by=personas["operator"],
    )  # fmt: skip
    return assessment


@pytest.fixture
def in_review(building):
    building.status = Status.PRELIMINARY_REVIEW
    building.save()
    return building


@pytest.fixture
def proposed(assessment, personas):
    for layer, who in ((Layer.TPI, "tpi"), (Layer.TPN, "tpn")):
        answer_all(assessment, layer, personas[who], through_service=False)
    assessment.status = Status.TPN_EVALUATION
    assessment.save()
    return assessment


def _grant(assessment, personas):
    assessment_services.assessment_transition(
        assessment=assessment, name="grant", by=personas["tpn"], note="Memenuhi",
        sk_number="B/1/2026", sk_date=datetime.date(2026, 11, 30),
    )  # fmt: skip


def _revoke(assessment, personas):
    _grant(assessment, personas)
    award = PredicateAward.objects.get(assessment=assessment)
    award_revoke(
        award=award,
        by=personas["admin"],
        reason="Terbukti pelanggaran",
        source="media",
        decided_on=REVOKED_ON,
    )


def _answer(assessment, personas, *, value="Tidak", note=""):
    answer = assessment.answers.get(question=_question(assessment), layer=Layer.SELF)
    answer_save(
        assessment=assessment, question=_question(assessment), layer=Layer.SELF,
        by=personas["operator"], value=value, note=note, revision=answer.revision,
    )  # fmt: skip


def _the_file(assessment):
    return Evidence.objects.get(assessment=assessment, removed_at__isnull=True)


# (fixture, the change through its service, who asks); each makes the unit's reports afresh.
CHANGES = {
    "answer": ("building", lambda a, p: _answer(a, p), "operator"),
    "answer note": (
        "building",
        lambda a, p: _answer(a, p, value="Ya", note="Lihat SK"),
        "operator",
    ),
    "evidence uploaded": (
        "building",
        lambda a, p: evidence_upload(
            assessment=a,
            kind="answer",
            question=_question(a, "P1.1.b"),
            uploaded_file=_file("kedua.pdf"),
            by=p["operator"],
        ),
        "operator",
    ),  # fmt: skip
    "evidence removed": (
        "building",
        lambda a, p: evidence_remove(evidence=_the_file(a), by=p["operator"]),
        "operator",
    ),  # fmt: skip
    "evidence verdict": (
        "in_review",
        lambda a, p: evidence_set_verdict(
            evidence=_the_file(a), by=p["reviewer"], verdict="needs_fix", note="Tanpa tanda tangan"
        ),
        "reviewer",
    ),
    "item returned": (
        "in_review",
        lambda a, p: item_return(
            assessment=a, question=_question(a), by=p["reviewer"], note="Lengkapi"
        ),
        "reviewer",
    ),
    "status": (
        "in_review",
        lambda a, p: (
            item_return(assessment=a, question=_question(a), by=p["reviewer"], note="Lengkapi"),
            assessment_services.assessment_transition(
                assessment=a, name="return_preliminary", by=p["reviewer"], note="Perbaiki"
            ),
        ),
        "operator",
    ),
    "tpn layer released": (
        "proposed",
        lambda a, p: assessment_services.assessment_release_tpn_layer(
            assessment=a, by=p["admin"], released=True
        ),
        "admin",
    ),
    "award granted": ("proposed", _grant, "admin"),
    "award revoked": ("proposed", _revoke, "admin"),
    "unit renamed": (
        "building",
        lambda a, p: unit_update(unit=a.unit, by=p["admin"], name="Kankemenag Kota Semarang Baru"),
        "operator",
    ),
    "parent unit renamed": (
        "building",
        lambda a, p: unit_update(unit=a.unit.parent, by=p["admin"], name="Kanwil Jateng"),
        "operator",
    ),
}


@pytest.mark.parametrize("kind", ["lhe", "evidence_zip"])
@pytest.mark.parametrize("change", list(CHANGES))
def test_a_change_makes_the_assessments_reports_afresh(request, personas, change, kind):
    fixture, apply, who = CHANGES[change]
    assessment = request.getfixturevalue(fixture)
    params = {"assessment": assessment.pk}
    first = _made(kind, params, personas[who])
    assert _asked(kind, params, personas[who]).pk == first.pk  # nothing changed: the same file

    apply(assessment, personas)

    again = _asked(kind, params, personas[who])
    assert again.pk != first.pk and again.status == JobStatus.QUEUED


def test_a_failed_change_keeps_the_same_file(building, personas):
    params = {"assessment": building.pk}
    first = _made("evidence_zip", params, personas["operator"])
    with pytest.raises(ConflictError):  # started from an old revision
        answer_save(
            assessment=building, question=_question(building), layer=Layer.SELF,
            by=personas["operator"], value="Tidak", note="", revision=0,
        )  # fmt: skip

    assert _asked("evidence_zip", params, personas["operator"]).pk == first.pk


def test_a_renamed_unit_is_named_anew_in_the_new_lhe(building, personas, tmp_path):
    first = _made("lhe", {"assessment": building.pk}, personas["operator"])
    unit_update(unit=building.unit, by=personas["admin"], name="Kankemenag Kota Semarang Baru")

    again = _made("lhe", {"assessment": building.pk}, personas["operator"])

    assert again.sha256 != first.sha256
    assert "Kankemenag Kota Semarang Baru" in pdf_text(again.file.read(), tmp_path)


READINESS = {"period": 2026, "format": "csv"}

# (status before, the change): the readiness rows show it.
READINESS_CHANGES = {
    "answer": (Status.PEMBANGUNAN, lambda a, p: _answer(a, p)),
    "status": (
        Status.SUBMITTED,
        lambda a, p: assessment_services.assessment_transition(
            assessment=a, name="reject_submission", by=p["pimpinan"], note="Lengkapi dulu"
        ),
    ),
    "unit renamed": (
        Status.PEMBANGUNAN,
        lambda a, p: unit_update(unit=a.unit, by=p["admin"], name="KKA Baru"),
    ),  # fmt: skip
    "province changed": (
        Status.PEMBANGUNAN,
        lambda a, p: unit_update(unit=a.unit, by=p["admin"], province="Jawa Barat"),
    ),
    "group renamed": (
        Status.PEMBANGUNAN,
        lambda a, p: unit_update(unit=a.unit.parent, by=p["admin"], name="Kanwil X"),
    ),
    "unit opened for the period": (
        Status.PEMBANGUNAN,
        lambda a, p: AssessmentFactory(period=a.period, unit=p["tree"].kankemenag_b),
    ),
    "award revoked": (Status.PROPOSED, None),
}


@pytest.mark.parametrize("change", list(READINESS_CHANGES))
def test_a_change_makes_the_readiness_report_afresh(building, personas, tree, change):
    status, apply = READINESS_CHANGES[change]
    building.status = status
    building.save()
    if change == "award revoked":  # a WBK of 2025: the 2026 row reads another prior predicate
        award = PredicateAward.objects.create(
            unit=building.unit, year=2025, predicate="WBK", sk_number="B/2/2025"
        )
        apply = lambda a, p: award_revoke(  # noqa: E731
            award=award, by=p["admin"], reason="Pelanggaran", source="media", decided_on=REVOKED_ON
        )
    first = _made("readiness", READINESS, personas["admin"])
    assert _asked("readiness", READINESS, personas["admin"]).pk == first.pk

    apply(building, {**personas, "tree": tree})

    assert _asked("readiness", READINESS, personas["admin"]).pk != first.pk


def test_another_periods_change_keeps_the_readiness_file(building, personas, tree):
    first = _made("readiness", READINESS, personas["admin"])
    other = AssessmentFactory(
        period=PeriodFactory(year=2027, lke_version=building.period.lke_version),
        unit=tree.kankemenag_b,
    )
    other.status = Status.PEMBANGUNAN
    other.save()
    answer_save(
        assessment=other, question=_question(other), layer=Layer.SELF,
        by=personas["operator_b"], value="Ya", note="", revision=None,
    )  # fmt: skip

    assert _asked("readiness", READINESS, personas["admin"]).pk == first.pk

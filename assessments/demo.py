"""Demo period for `seed_demo`: a current period with assessments at every stage, the demo
accounts' units included, with plausible answers in the layers each stage has reached."""

from __future__ import annotations

import datetime
import random

from django.db import transaction
from django.utils import timezone

from areas import scoring
from areas.models import EvidenceRequirement, LkeVersion, Question, VersionStatus
from assessments.assessment import Assessment, Layer, Status, TransitionEvent
from assessments.evidence.models import Evidence
from assessments.stages.decisions import SelectionOutcome, SelectionResult
from assessments.stages.models import ChangeAgent, Declaration, Period, PredicateAward, TeamMember
from assessments.worksheet import tally
from assessments.worksheet.models import Answer, ItemReturn
from assessments.worksheet.scores import instrument_of
from units.models import Membership, Role, Unit, UnitKind, User

LAYERS_DONE = {
    Status.PENCANANGAN: [],
    Status.PEMBANGUNAN: [],
    Status.SUBMITTED: [Layer.SELF],
    Status.PRELIMINARY_REVIEW: [Layer.SELF],
    Status.RETURNED_PRELIMINARY: [Layer.SELF, Layer.PRELIMINARY],
    Status.TPI_REVIEW: [Layer.SELF, Layer.PRELIMINARY],
    Status.TPI_PASSED: [Layer.SELF, Layer.PRELIMINARY, Layer.TPI],
    Status.TPI_FAILED: [Layer.SELF, Layer.PRELIMINARY, Layer.TPI],
    Status.PROPOSED: [Layer.SELF, Layer.PRELIMINARY, Layer.TPI],
    Status.SELECTION_NOTES: [Layer.SELF, Layer.PRELIMINARY, Layer.TPI],
    Status.TPN_EVALUATION: [Layer.SELF, Layer.PRELIMINARY, Layer.TPI],
    Status.GRANTED: [Layer.SELF, Layer.PRELIMINARY, Layer.TPI, Layer.TPN],
    Status.NOT_GRANTED: [Layer.SELF, Layer.PRELIMINARY, Layer.TPI, Layer.TPN],
}
# What TPN's administrative selection said of the units that went past it.
SELECTION_OF = {
    Status.SELECTION_NOTES: (SelectionOutcome.PASSED_WITH_NOTES,
                             "Surat usulan belum ditandatangani pimpinan; lengkapi SPTJM."),
    Status.TPN_EVALUATION: (SelectionOutcome.PASSED, ""),
    Status.GRANTED: (SelectionOutcome.PASSED, ""),
    Status.NOT_GRANTED: (SelectionOutcome.PASSED, ""),
}  # fmt: skip
# Path of transitions that leads to each status (for a believable history).
PATH = [
    ("confirm_declaration", Status.PENCANANGAN, Status.PEMBANGUNAN, Role.PIMPINAN),
    ("submit", Status.PEMBANGUNAN, Status.SUBMITTED, Role.OPERATOR),
    ("approve_submission", Status.SUBMITTED, Status.PRELIMINARY_REVIEW, Role.PIMPINAN),
    ("forward_to_tpi", Status.PRELIMINARY_REVIEW, Status.TPI_REVIEW, Role.REVIEWER),
    ("tpi_pass", Status.TPI_REVIEW, Status.TPI_PASSED, Role.TPI),
    ("propose", Status.TPI_PASSED, Status.PROPOSED, Role.ADMIN),
    ("select_pass", Status.PROPOSED, Status.TPN_EVALUATION, Role.TPN),
    ("grant", Status.TPN_EVALUATION, Status.GRANTED, Role.TPN),
]


def seed_period(year: int = 2026) -> Period | None:
    """Create the demo period once; returns None when it already exists (idempotent)."""
    if Period.objects.filter(year=year).exists():
        return None
    version = LkeVersion.objects.filter(status=VersionStatus.PUBLISHED).order_by("-year").first()
    if version is None:
        return None
    with transaction.atomic():
        period = Period.objects.create(
            year=year,
            name=f"Pembangunan Zona Integritas {year}",
            lke_version=version,
            tpn_quota=50,
            deadline_pencanangan=datetime.date(year, 2, 27),
            deadline_pembangunan=datetime.date(year, 12, 5),
            deadline_penilaian=datetime.date(year, 12, 19),
            deadline_pengusulan=datetime.date(year + 1, 1, 16),
            deadline_evaluasi=datetime.date(year + 1, 3, 31),
            # Open around the day the demo is made, so that the sanggah can be tried.
            appeal_opens=timezone.localdate() - datetime.timedelta(days=1),
            appeal_closes=timezone.localdate() + datetime.timedelta(days=6),
        )
        _populate(period)
    return period


def _plan() -> list[tuple[str, str, float]]:
    """(unit code, status, share of the self layer answered)."""
    semarang = Unit.objects.get(name="Kantor Kementerian Agama Kota Semarang")
    sleman = Unit.objects.get(name="Kantor Kementerian Agama Kabupaten Sleman")
    plan = [(semarang.code, Status.PEMBANGUNAN, 0.9), (sleman.code, Status.PENCANANGAN, 0)]
    jateng = Unit.objects.filter(kind=UnitKind.KANKEMENAG, parent__code="KW33").exclude(
        pk=semarang.pk
    )
    jateng_codes = list(jateng.order_by("code").values_list("code", flat=True))
    others = list(
        Unit.objects.filter(kind=UnitKind.KANKEMENAG)
        .exclude(parent__code__in=["KW33", "KW34"])
        .order_by("code")
        .values_list("code", flat=True)[:40]
    )
    statuses = [
        Status.PRELIMINARY_REVIEW, Status.PRELIMINARY_REVIEW, Status.PRELIMINARY_REVIEW,
        Status.RETURNED_PRELIMINARY, Status.SUBMITTED, Status.PEMBANGUNAN, Status.PEMBANGUNAN,
        Status.TPI_REVIEW, Status.TPI_PASSED,
    ]  # fmt: skip
    plan += [(code, status, 1.0) for code, status in zip(jateng_codes, statuses, strict=False)]
    national = [Status.TPI_REVIEW] * 4 + [Status.TPI_PASSED] * 3 + [
        Status.PROPOSED, Status.SELECTION_NOTES, Status.TPN_EVALUATION, Status.GRANTED,
        Status.NOT_GRANTED, Status.TPI_FAILED, Status.PEMBANGUNAN, Status.PEMBANGUNAN,
        Status.PENCANANGAN,
    ]  # fmt: skip
    plan += [(code, status, 1.0) for code, status in zip(others, national, strict=False)]
    return plan


def _populate(period: Period) -> None:
    rng = random.Random(period.year)
    instrument = instrument_of(Assessment(period=period))
    questions = list(
        Question.objects.filter(version=period.lke_version).prefetch_related("options")
    )
    actors = _actors()
    plan = _plan()
    units = {u.code: u for u in Unit.objects.filter(code__in=[code for code, _, _ in plan])}
    assessments = Assessment.objects.bulk_create(
        Assessment(period=period, unit=units[code], target_predicate="WBK", status=status)
        for code, status, _share in plan
    )
    answers, events = [], []
    for assessment, (_code, status, share) in zip(assessments, plan, strict=True):
        # Units that went far got there with good scores; the others are a mixed bunch.
        # Units proposed to TPN passed TPI's rules (TPN's own layer decides the rest).
        strong = status in (Status.TPI_PASSED, Status.PROPOSED, Status.SELECTION_NOTES,
                            Status.TPN_EVALUATION, Status.GRANTED, Status.NOT_GRANTED)  # fmt: skip
        quality = rng.uniform(0.97, 1.0) if strong else rng.uniform(0.55, 0.95)
        if status != Status.PENCANANGAN:
            _declare(assessment, actors)
        layers = LAYERS_DONE.get(status, [Layer.SELF, Layer.PRELIMINARY, Layer.TPI])
        if status == Status.PEMBANGUNAN and share:
            layers = [Layer.SELF]
        for layer in layers:
            part = share if layer == Layer.SELF else 1.0
            answers += _answers(
                assessment, layer, questions, instrument, rng, quality, part, actors
            )
            quality = max(
                0.3, quality - rng.uniform(0, 0.01 if strong else 0.08)
            )  # reviewers score a bit lower
        events += _history(assessment, status, actors)
        if status == Status.RETURNED_PRELIMINARY:
            ItemReturn.objects.create(
                assessment=assessment, question=questions[1], layer=Layer.PRELIMINARY,
                created_by=actors[Role.REVIEWER],
                note="Lampirkan notulen rapat penetapan anggota tim beserta daftar hadirnya.",
            )  # fmt: skip
        if status in SELECTION_OF:
            outcome, note = SELECTION_OF[status]
            SelectionResult.objects.create(
                assessment=assessment, outcome=outcome, note=note, decided_by=actors[Role.TPN],
                decided_at=timezone.now() - datetime.timedelta(days=6),
            )  # fmt: skip
        if status == Status.GRANTED:
            assessment.sk_number = f"B/{rng.randint(100, 999)}/M.PAN-RB/{period.year}"
            assessment.save(update_fields=["sk_number", "updated_at"])
            PredicateAward.objects.create(
                unit=assessment.unit, assessment=assessment, year=period.year, predicate="WBK",
                sk_number=assessment.sk_number, granted_by=actors[Role.TPN],
                sk_date=timezone.localdate(), granted_at=timezone.now(),
            )  # fmt: skip
    Answer.objects.bulk_create(answers, batch_size=1000)
    tally.rebuild({answer.assessment_id for answer in answers})
    Evidence.objects.bulk_create(_evidence_links(answers, actors), batch_size=1000)
    TransitionEvent.objects.bulk_create(events)


def _actors() -> dict[str, User]:
    """One user per role to sign the demo history: the demo accounts."""
    by_role = {}
    for membership in Membership.objects.select_related("user").order_by("pk"):
        by_role.setdefault(membership.role, membership.user)
    return by_role


def _declare(assessment: Assessment, actors) -> None:
    operator = actors[Role.OPERATOR]
    Declaration.objects.create(
        assessment=assessment, declared_on=datetime.date(assessment.period.year, 1, 20),
        sk_tim_number=f"B-{assessment.pk}/Kk.11/KP.07.6/01/{assessment.period.year}",
        sk_tim_date=datetime.date(assessment.period.year, 1, 10),
    )  # fmt: skip
    for kind in ("piagam", "pakta", "sk_tim"):
        Evidence.objects.create(
            assessment=assessment, kind=kind, uploaded_by=operator,
            url=f"https://arsip.kemenag.go.id/zi/{assessment.period.year}/{assessment.unit.code}/{kind}.pdf",
            description=f"{kind} {assessment.unit.name}",
        )  # fmt: skip
    TeamMember.objects.bulk_create(
        [TeamMember(assessment=assessment, name="Ketua Tim ZI", position="Kepala", role="ketua")]
        + [
            TeamMember(assessment=assessment, name=f"Koordinator Pokja {n}", role="pokja",
                       area_number=n, position="Analis")
            for n in range(1, 7)
        ]
    )  # fmt: skip
    ChangeAgent.objects.bulk_create(
        ChangeAgent(assessment=assessment, name=f"Agen Perubahan {n}", position="Pelaksana")
        for n in range(1, 4)
    )


def _answers(assessment, layer, questions, instrument, rng, quality, share, actors):
    user = {
        Layer.SELF: actors[Role.OPERATOR], Layer.PRELIMINARY: actors[Role.REVIEWER],
        Layer.TPI: actors[Role.TPI], Layer.TPN: actors[Role.TPN],
    }[layer]  # fmt: skip
    rows = []
    for question in questions:
        if rng.random() > share:
            continue
        value = _value(question, rng, quality)
        score = (
            scoring.hasil_points(instrument, question.code, value)
            if question.code in instrument.index.hasil
            else scoring.question_score(instrument, question.code, value)
        )
        # A typed IPAK/IPKP names its source (its report is among the links, _evidence_links),
        # as the worksheet requires of the unit (assessments.worksheet.services).
        typed_index = layer == Layer.SELF and question.answer_type == "survey_index"
        rows.append(
            Answer(assessment=assessment, question=question, layer=layer, value=value,
                   score=score, updated_by=user, note=DEMO_INDEX_NOTE if typed_index else "")
        )  # fmt: skip
    return rows


DEMO_INDEX_NOTE = "Survei dilaksanakan oleh BPS provinsi; laporannya terlampir sebagai data dukung."


def _value(question: Question, rng: random.Random, quality: float):
    options = list(question.options.all())
    if options:
        best_first = sorted(options, key=lambda o: -o.score)
        index = min(len(options) - 1, int(rng.random() * (1 - quality) * len(options) * 2))
        return best_first[index].label
    if question.answer_type == "survey_index":
        low = 3.65 if quality > 0.95 else (3.4 if quality > 0.85 else 2.9)
        return round(rng.uniform(low, 4.0), 2)
    return round(min(100, rng.uniform(quality * 80, 100)), 2)


def _history(assessment: Assessment, status: str, actors) -> list[TransitionEvent]:
    events, now = [], timezone.now()
    for step, (name, source, target, role) in enumerate(PATH):
        if status == source:
            break
        if status == Status.TPI_FAILED and name == "tpi_pass":
            name, target = "tpi_fail", Status.TPI_FAILED
        if status == Status.RETURNED_PRELIMINARY and name == "forward_to_tpi":
            name, target = "return_preliminary", Status.RETURNED_PRELIMINARY
        if status == Status.SELECTION_NOTES and name == "select_pass":
            name, target = "select_pass_notes", Status.SELECTION_NOTES
        if status == Status.NOT_GRANTED and name == "grant":
            name, target = "not_grant", Status.NOT_GRANTED
        events.append(
            TransitionEvent(
                assessment=assessment, transition=name, from_status=source, to_status=target,
                by=actors[role], note="", at=now - datetime.timedelta(days=30 - 3 * step),
            )
        )  # fmt: skip
        if target == status:
            break
    return events


def _evidence_links(answers, actors) -> list[Evidence]:
    """A link per answered self-layer item, standing for the documents the unit attached (for
    the item's first evidence dictionary entry)."""
    first_entry = {}
    for pk, question_id in (
        EvidenceRequirement.objects.filter(question_id__in={a.question_id for a in answers})
        .order_by("-position")
        .values_list("pk", "question_id")
    ):
        first_entry[question_id] = pk
    return [
        Evidence(
            assessment=a.assessment, kind="answer", question=a.question,
            requirement_id=first_entry.get(a.question_id),
            url=f"https://arsip.kemenag.go.id/zi/{a.assessment.period.year}/"
            f"{a.assessment.unit.code}/{a.question.code}.pdf",
            description=(a.question.evidence_items or ["Data dukung"])[0],
            uploaded_by=actors[Role.OPERATOR],
        )
        for a in answers
        if a.layer == Layer.SELF
    ]  # fmt: skip

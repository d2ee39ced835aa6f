"""Building blocks for assessment tests: answer a whole layer, complete the declaration."""

import datetime

from areas.models import Question
from assessments.models import Answer, ChangeAgent, Declaration, Evidence, TeamMember
from assessments.worksheet import tally
from assessments.worksheet.services import answer_save

BEST = {"yes_no": "Ya", "abc": "A", "abcd": "A", "abcde": "A", "percent": 100, "survey_index": 4}


def best_value(question: Question):
    return BEST[question.answer_type]


def answer_all(assessment, layer, by, value_for=best_value, through_service=True):
    """Answer every item of the assessment's LKE in `layer`."""
    questions = Question.objects.filter(version=assessment.period.lke_version).prefetch_related(
        "options"
    )
    if not through_service:
        from areas import scoring
        from assessments.worksheet.scores import instrument_of

        instrument = instrument_of(assessment)
        rows = []
        for q in questions:
            value = value_for(q)
            score = (
                scoring.hasil_points(instrument, q.code, value)
                if q.code in instrument.index.hasil
                else scoring.question_score(instrument, q.code, value)
            )
            rows.append(
                Answer(
                    assessment=assessment,
                    question=q,
                    layer=layer,
                    value=value,
                    score=score,
                    updated_by=by,
                )
            )
        Answer.objects.bulk_create(rows)
        tally.rebuild([assessment.pk])
        return
    for q in questions:
        manual_index = layer == "self" and q.answer_type == "survey_index"
        if manual_index:  # an index typed by hand names its source and has its report
            attach_survey_report(assessment, q, by)
        answer_save(
            assessment=assessment,
            question=q,
            layer=layer,
            by=by,
            value=value_for(q),
            note=MANUAL_INDEX_NOTE if manual_index else "",
            revision=None,
        )


MANUAL_INDEX_NOTE = "Survei dilaksanakan oleh BPS"


def attach_survey_report(assessment, question, by):
    """The report of a survey run outside the portal, as evidence for an IPAK/IPKP item."""
    if not assessment.evidence.filter(question=question, removed_at__isnull=True).exists():
        Evidence.objects.create(
            assessment=assessment, kind="answer", question=question, uploaded_by=by,
            url=f"https://kemenag.go.id/zi/survei-{question.code}.pdf",
        )  # fmt: skip


def complete_declaration(assessment, by):
    Declaration.objects.create(
        assessment=assessment, declared_on=datetime.date(2026, 1, 15), sk_tim_number="B-12/2026"
    )
    for kind in ("piagam", "pakta"):
        Evidence.objects.create(
            assessment=assessment, kind=kind, url="https://kemenag.go.id/dok.pdf", uploaded_by=by
        )
    TeamMember.objects.create(assessment=assessment, name="H. Ahmad", role="ketua")
    TeamMember.objects.create(assessment=assessment, name="Siti", role="pokja", area_number=1)
    ChangeAgent.objects.create(assessment=assessment, name="Budi")


def attach_evidence_all(assessment, by):
    """A link as evidence for every item, as a unit would before submitting."""
    Evidence.objects.bulk_create(
        Evidence(
            assessment=assessment, kind="answer", question=q, uploaded_by=by,
            url=f"https://kemenag.go.id/zi/{q.code}.pdf",
        )
        for q in Question.objects.filter(version=assessment.period.lke_version)
    )  # fmt: skip


def require_evidence(question, text: str, **rules):
    """Give an item these required documents (one per line of `text`) as its evidence
    dictionary, each with `rules` (min_count, must_be_in_period, carry_over_allowed...)."""
    from areas import evidence_dictionary
    from areas.models import EvidenceRequirement

    question.required_evidence = text
    question.save(update_fields=["required_evidence"])
    question.evidence_requirements.all().delete()
    entries = evidence_dictionary.entries_from_text(question)
    for entry in entries:
        for name, value in rules.items():
            setattr(entry, name, value)
    EvidenceRequirement.objects.bulk_create(entries)
    return list(question.evidence_requirements.all())

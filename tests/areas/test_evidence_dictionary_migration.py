"""The migrations that brought the evidence dictionary: each line of an item's free-text
required evidence became an entry with the defaults, and files whose description was one of
those lines were linked to it (the functions the migrations run, on today's models)."""

import importlib

from django.apps import apps

from areas.models import EvidenceRequirement
from assessments.evidence.models import Evidence
from assessments.models import EvidenceKind

entries_from_text = importlib.import_module(
    "areas.migrations.0002_evidence_dictionary"
).entries_from_text
link_by_description = importlib.import_module(
    "assessments.migrations.0011_evidence_requirement_carry_over"
).link_by_description


def test_each_line_becomes_an_entry_and_a_file_of_that_label_is_linked(lke, assessment, personas):
    EvidenceRequirement.objects.all().delete()
    question = lke.questions.get(code="P1.1.a")
    question.required_evidence = "SK Tim Kerja\n\n  Notulen rapat  \n"
    question.save()
    entries_from_text(apps, None)
    entries = list(question.evidence_requirements.all())
    assert [(e.position, e.label, e.min_count) for e in entries] == [
        (0, "SK Tim Kerja", 1),
        (1, "Notulen rapat", 1),
    ]
    assert not any(e.must_be_in_period or e.must_be_signed or e.carry_over_allowed for e in entries)
    assert EvidenceRequirement.objects.count() == sum(
        len(q.evidence_items) for q in lke.questions.all()
    )

    def row(description):
        return Evidence.objects.create(
            assessment=assessment, kind=EvidenceKind.ANSWER, question=question,
            url="https://kemenag.go.id/", description=description,
            uploaded_by=personas["operator"],
        )  # fmt: skip

    matching, other = row("notulen RAPAT"), row("Foto kegiatan")
    link_by_description(apps, None)
    matching.refresh_from_db()
    other.refresh_from_db()
    assert (matching.requirement, other.requirement) == (entries[1], None)

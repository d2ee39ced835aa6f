"""The evidence dictionary (kamus eviden): each item's required evidence as entries.

Every loader (YAML through instrument_db, the XLSX import, a draft copy) creates the entries
here, so that an instrument loaded any way has the same dictionary. `Question.required_evidence`
keeps the entries' labels as text, one per line (what the upload form's description list still
reads); `text_of` writes it from the entries whenever they change.
"""

from __future__ import annotations

from collections.abc import Iterable

from areas.models import EvidenceRequirement, Question

MAX_LABEL = 300


def lines_of(text: str) -> list[str]:
    return [line.strip()[:MAX_LABEL] for line in (text or "").splitlines() if line.strip()]


def entries_from_text(question: Question) -> list[EvidenceRequirement]:
    """One entry per line of the item's free text, with the defaults (1 file, any date,
    signature not required, not carried over): unsaved."""
    return [
        EvidenceRequirement(question=question, position=position, label=label)
        for position, label in enumerate(lines_of(question.required_evidence))
    ]


def create_from_text(questions: Iterable[Question]) -> None:
    """The entries of freshly stored items, from their free text (one query)."""
    batch = [entry for question in questions for entry in entries_from_text(question)]
    EvidenceRequirement.objects.bulk_create(batch)


def text_of(labels: Iterable[str]) -> str:
    return "\n".join(label.strip() for label in labels if label.strip())


def copy_entries(questions: dict[int, Question]) -> None:
    """The entries of the items `questions` (old pk → its copy), with every attribute."""
    entries = list(EvidenceRequirement.objects.filter(question_id__in=list(questions)))
    for entry in entries:
        entry.pk, entry.question = None, questions[entry.question_id]
    EvidenceRequirement.objects.bulk_create(entries)

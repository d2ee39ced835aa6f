"""Whether an item's evidence covers each entry of its evidence dictionary (kamus eviden).

A file counts towards an entry when it is linked to it: chosen at upload (the upload form's
"for the required evidence" list links the entry of that label; the migration linked older
files the same way) or by the reviewer. It does not count when removed, when the reviewer found
it needs fixing, or when the entry needs a document of the period and the file's document date
lies in another year.
An entry is *covered* once `min_count` counting files are accepted (verdict "complete"),
*awaiting* while enough are uploaded but not yet all judged, and *missing* otherwise.

Pure: it takes plain rows (`Fact`), so the worksheet computes every card of a tab from the one
evidence query it already makes; the dashboard and the readiness report count the same rule in
one aggregate (assessments.evidence.completeness).
"""

from __future__ import annotations

import datetime
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from django.utils.translation import gettext as _
from django.utils.translation import ngettext

COVERED, AWAITING, MISSING = "covered", "awaiting", "missing"
# Evidence row fields the rule reads, in Fact's order (a values_list of the evidence).
FACT_FIELDS = ("question_id", "requirement_id", "description", "verdict", "document_date")


@dataclass(frozen=True, slots=True)
class Fact:
    question_id: int
    requirement_id: int | None
    description: str
    verdict: str
    document_date: datetime.date | None


@dataclass(frozen=True)
class EntryCoverage:
    requirement: object  # areas.models.EvidenceRequirement
    accepted: int
    awaiting: int
    outside_period: int  # files dated outside the period's year (they do not count)

    @property
    def state(self) -> str:
        need = self.requirement.min_count
        if self.accepted >= need:
            return COVERED
        return AWAITING if self.accepted + self.awaiting >= need else MISSING

    @property
    def label(self) -> str:
        return self.requirement.label

    @property
    def summary(self) -> str:
        """What the card and the panel say about the entry."""
        return _("%(accepted)s dari %(need)s diterima") % {
            "accepted": self.accepted,
            "need": self.requirement.min_count,
        }

    @property
    def why(self) -> str:
        """Why files given for the entry do not count, if some do not."""
        if not self.outside_period:
            return ""
        return ngettext(
            "%(n)s berkas bertanggal di luar tahun periode",
            "%(n)s berkas bertanggal di luar tahun periode",
            self.outside_period,
        ) % {"n": self.outside_period}


def entry_for(requirements: Sequence, requirement_id: int | None, description: str = ""):
    """The entry a file is for, or None."""
    return next((r for r in requirements if r.pk == requirement_id), None)


def coverage(requirements: Sequence, facts: Iterable[Fact], year: int) -> list[EntryCoverage]:
    """Each entry of one item with its counts, from the item's current (not removed) files."""
    counts = {r.pk: [0, 0, 0] for r in requirements}
    for fact in facts:
        entry = entry_for(requirements, fact.requirement_id, fact.description)
        if entry is None or fact.verdict == "needs_fix":
            continue
        if entry.must_be_in_period and fact.document_date and fact.document_date.year != year:
            counts[entry.pk][2] += 1
        elif fact.verdict == "complete":
            counts[entry.pk][0] += 1
        else:
            counts[entry.pk][1] += 1
    return [EntryCoverage(r, *counts[r.pk]) for r in requirements]


def missing_labels(entries: Iterable[EntryCoverage]) -> list[str]:
    """The entries nothing covers yet, not even a file awaiting its check."""
    return [e.label for e in entries if e.state == MISSING]

"""Each assessment's points and answered items per layer and area (LayerTally), kept with its
answers, so that a dashboard sums seven rows per assessment and layer instead of 113 answers
(at 5,000 units: 140,000 rows instead of 2.3 million; issue 16).

The rule it keeps is the engine's linear view of an area total (areas.scoring: an indicator is
the mean of its questions' scores x its weight, unanswered = 0, and an area is the sum of its
indicators): a question adds score x weight / questions of its indicator to its area; a Hasil
item's stored score is its points (part 0). `shares` is the one place that says so. Part 99
(WHOLE) is the layer's total, so that "has this layer answered anything" and "how much" are
one row per assessment.

Every path that writes answers ends here, in the transaction of the answers:
worksheet.services (autosave, accept) call `record`; writers of answers in bulk (demo data,
the bench, tests) call `rebuild` for the assessments they wrote. `differences` compares what
is kept with the answers (`manage.py answer_tally --check`).
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass
from decimal import Decimal

from django.db import connection, transaction
from django.db.models import Count, Sum

from areas.models import LkeVersion
from areas.selectors import Parts, version_parts
from assessments.worksheet.models import Answer, LayerTally

ZERO = Decimal(0)
HASIL = 0  # the part of the Hasil items
WHOLE = 99  # the whole layer: the sum of its other parts (who answered anything, the total)
PLACES = Decimal("1e-12")  # LayerTally.points' decimal places
TOLERANCE = Decimal("1e-9")  # kept vs recomputed: rounding of many small increments

Key = tuple[int, str, int]  # (assessment, layer, part)


@dataclass(frozen=True, slots=True)
class Change:
    """One answer before and after a write (score None and answered False: no answer)."""

    indicator_id: int
    before_score: Decimal | None
    before_answered: bool
    after_score: Decimal | None
    after_answered: bool


_shares: dict[int, tuple[Parts, dict[int, tuple[int, Decimal]]]] = {}


def shares(parts: Parts) -> dict[int, tuple[int, Decimal]]:
    """indicator id -> (part, factor): a question of that indicator adds score x factor to
    the part's points. Once per published version and process (Parts is kept that long)."""
    hit = _shares.get(id(parts))
    if hit is None or hit[0] is not parts:
        counts: dict[int, int] = defaultdict(int)
        indicators = {}
        for question in parts.questions:
            counts[question.indicator_id] += 1
            indicators[question.indicator_id] = question.indicator
        out = {}
        for pk, indicator in indicators.items():
            if indicator.area_id is None:
                out[pk] = (HASIL, Decimal(1))
            else:
                out[pk] = (indicator.area.number, indicator.weight / counts[pk])
        hit = _shares[id(parts)] = (parts, out)
    return hit[1]


def _score(value: Decimal | None) -> Decimal:
    return ZERO if value is None else Decimal(value)


def record(assessment, layer: str, changes: Iterable[Change]) -> None:
    """Add what these answer writes changed to the assessment's tally of `layer` (one
    statement; call inside the answers' transaction)."""
    share = shares(version_parts(assessment.period.lke_version))
    deltas: dict[int, list] = defaultdict(lambda: [ZERO, 0])
    for c in changes:
        part, factor = share[c.indicator_id]
        points = (_score(c.after_score) - _score(c.before_score)) * factor
        answered = int(c.after_answered) - int(c.before_answered)
        for cell in (deltas[part], deltas[WHOLE]):
            cell[0] += points
            cell[1] += answered
    rows = [
        (assessment.pk, layer, part, points.quantize(PLACES), answered)
        for part, (points, answered) in sorted(deltas.items())
        if points or answered
    ]
    if rows:
        _add(rows)


def _add(rows: list[tuple]) -> None:
    # INSERT ... ON CONFLICT DO UPDATE reads the same on PostgreSQL and SQLite (>= 3.24): the
    # first write of a part creates its row, later ones add to it, one statement either way.
    table = connection.ops.quote_name(LayerTally._meta.db_table)
    values = ", ".join(["(%s, %s, %s, %s, %s)"] * len(rows))
    # The table's name and placeholders only; the values are parameters.
    sql = (
        f"INSERT INTO {table} (assessment_id, layer, part, points, answered) VALUES {values} "  # noqa: S608
        f"ON CONFLICT (assessment_id, layer, part) DO UPDATE SET "
        f"points = {table}.points + excluded.points, "
        f"answered = {table}.answered + excluded.answered"
    )
    with connection.cursor() as cursor:
        cursor.execute(sql, [value for row in rows for value in row])


def computed(assessment_ids: Iterable[int] | None = None) -> dict[Key, tuple[Decimal, int]]:
    """The tally as the answers give it now (one aggregate query, plus the instrument)."""
    answers = Answer.objects.all()
    if assessment_ids is not None:
        answers = answers.filter(assessment_id__in=list(assessment_ids))
    rows = list(
        answers.order_by()
        .values(
            "assessment_id", "layer", "question__indicator_id",
            "assessment__period__lke_version_id",
        )
        .annotate(points=Sum("score"), answered=Count("value"))
    )  # fmt: skip
    versions = {row["assessment__period__lke_version_id"] for row in rows}
    share = {
        version.pk: shares(version_parts(version))
        for version in LkeVersion.objects.filter(pk__in=versions)
    }
    out: dict[Key, list] = defaultdict(lambda: [ZERO, 0])
    for row in rows:
        part, factor = share[row["assessment__period__lke_version_id"]][
            row["question__indicator_id"]
        ]
        points = _score(row["points"]) * factor
        for key in (
            (row["assessment_id"], row["layer"], part),
            (row["assessment_id"], row["layer"], WHOLE),
        ):
            out[key][0] += points
            out[key][1] += row["answered"]
    return {key: (points.quantize(PLACES), answered) for key, (points, answered) in out.items()}


def rebuild(assessment_ids: Iterable[int] | None = None) -> int:
    """Recompute the tally of these assessments (all when None) from their answers; returns
    the rows written. For writers of answers in bulk, which bypass `record`."""
    if assessment_ids is not None:
        assessment_ids = list(assessment_ids)
    with transaction.atomic():
        kept = LayerTally.objects.all()
        if assessment_ids is not None:
            kept = kept.filter(assessment_id__in=assessment_ids)
        kept.delete()
        rows = [
            LayerTally(assessment_id=a, layer=layer, part=part, points=points, answered=answered)
            for (a, layer, part), (points, answered) in computed(assessment_ids).items()
        ]
        LayerTally.objects.bulk_create(rows, batch_size=5000)
    return len(rows)


def differences(
    assessment_ids: Iterable[int] | None = None,
) -> list[tuple[Key, tuple[Decimal, int], tuple[Decimal, int]]]:
    """(key, kept, from the answers) wherever the two disagree (beyond rounding)."""
    if assessment_ids is not None:
        assessment_ids = list(assessment_ids)
    kept_rows = LayerTally.objects.all()
    if assessment_ids is not None:
        kept_rows = kept_rows.filter(assessment_id__in=assessment_ids)
    kept = {(r.assessment_id, r.layer, r.part): (Decimal(r.points), r.answered) for r in kept_rows}
    fresh = computed(assessment_ids)
    out = []
    for key in sorted(kept.keys() | fresh.keys()):
        have, want = kept.get(key, (ZERO, 0)), fresh.get(key, (ZERO, 0))
        if abs(have[0] - want[0]) > TOLERANCE or have[1] != want[1]:
            out.append((key, have, want))
    return out

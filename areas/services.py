"""Business rules for the instrument: drafts are edited, published versions never change."""

from __future__ import annotations

from collections.abc import Iterable
from decimal import Decimal

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from areas import evidence_dictionary
from areas.instrument_db import instrument_for
from areas.instrument_yaml import validate_instrument
from areas.models import (
    Area,
    EvidenceRequirement,
    Indicator,
    LkeVersion,
    Option,
    PredicateRule,
    Question,
    VersionStatus,
)


class InstrumentError(Exception):
    """A rule of the instrument was broken; `problems` lists the details, if several."""

    def __init__(self, message: str, problems: Iterable[str] = ()):
        super().__init__(message)
        self.problems = list(problems)


def _require_draft(version: LkeVersion) -> None:
    if not version.is_draft:
        raise InstrumentError(
            _("Versi yang sudah terbit tidak dapat diubah; salin menjadi draf terlebih dahulu.")
        )


@transaction.atomic
def version_copy(*, version: LkeVersion, by, name: str | None = None) -> LkeVersion:
    """A draft copy of `version` with every area, indicator, question, option and rule."""
    copy = LkeVersion.objects.create(
        name=name or _("%(name)s (draf)") % {"name": version.name},
        regulation=version.regulation,
        year=version.year,
        notes=version.notes,
        revocation_bar_years=version.revocation_bar_years,
        based_on=version,
        created_by=by,
    )
    areas = {}
    for area in version.areas.all():
        old_pk = area.pk
        area.pk, area.version = None, copy
        areas[old_pk] = area
    Area.objects.bulk_create(areas.values())
    indicators = {}
    for indicator in version.indicators.all():
        old_pk = indicator.pk
        indicator.pk, indicator.version = None, copy
        indicator.area = areas.get(indicator.area_id)
        indicators[old_pk] = indicator
    Indicator.objects.bulk_create(indicators.values())
    questions = {}
    for question in version.questions.all():
        old_pk = question.pk
        question.pk, question.version = None, copy
        question.indicator = indicators[question.indicator_id]
        questions[old_pk] = question
    Question.objects.bulk_create(questions.values())
    evidence_dictionary.copy_entries(questions)
    options = list(Option.objects.filter(question__version=version))
    for option in options:
        option.pk, option.question = None, questions[option.question_id]
    Option.objects.bulk_create(options)
    rules = list(version.predicate_rules.all())
    for rule in rules:
        rule.pk, rule.version = None, copy
    PredicateRule.objects.bulk_create(rules)
    return copy


def version_problems(version: LkeVersion) -> list[str]:
    return validate_instrument(instrument_for(version))


@transaction.atomic
def version_publish(*, version: LkeVersion, by) -> LkeVersion:
    version = LkeVersion.objects.select_for_update().get(pk=version.pk)
    _require_draft(version)
    problems = version_problems(version)
    if problems:
        raise InstrumentError(
            _("Draf belum dapat diterbitkan: %(n)s masalah struktur.") % {"n": len(problems)},
            problems,
        )
    version.status = VersionStatus.PUBLISHED
    version.published_at = timezone.now()
    version.save(update_fields=["status", "published_at"])
    return version


@transaction.atomic
def version_delete_draft(*, version: LkeVersion) -> None:
    _require_draft(version)
    version.delete()


@transaction.atomic
def version_update(
    *, version: LkeVersion, name: str, regulation: str, year: int, notes: str,
    revocation_bar_years: int = 2,
):  # fmt: skip
    _require_draft(version)
    version.name, version.regulation, version.year, version.notes = name, regulation, year, notes
    version.revocation_bar_years = revocation_bar_years
    version.save(update_fields=["name", "regulation", "year", "notes", "revocation_bar_years"])
    return version


@transaction.atomic
def area_update(
    *,
    area: Area,
    name: str,
    pemenuhan_weight: Decimal,
    reform_weight: Decimal,
    purpose: str,
    examples: str,
) -> Area:
    _require_draft(area.version)
    area.name, area.purpose, area.examples = name, purpose, examples
    area.pemenuhan_weight, area.reform_weight = pemenuhan_weight, reform_weight
    area.save()
    return area


@transaction.atomic
def indicator_update(*, indicator: Indicator, name: str, weight: Decimal) -> Indicator:
    _require_draft(indicator.version)
    indicator.name, indicator.weight = name, weight
    indicator.save(update_fields=["name", "weight"])
    return indicator


@transaction.atomic
def question_update(
    *,
    question: Question,
    text: str,
    guidance: str,
    options: list[dict],
    requirements: list[dict] | None = None,
) -> Question:
    """Texts of a question, its options' scores and criteria (labels are fixed by the answer
    type) and, when given, its evidence dictionary (`requirements`, in order)."""
    _require_draft(question.version)
    question.text, question.guidance = text, guidance
    if requirements is not None:
        entries = _requirements_replace(question, requirements)
        question.required_evidence = evidence_dictionary.text_of(e.label for e in entries)
    question.save(update_fields=["text", "guidance", "required_evidence"])
    existing = {option.pk: option for option in question.options.all()}
    for data in options:
        option = existing.get(data["id"])
        if option is None:
            raise InstrumentError(_("Pilihan jawaban tidak dikenal."))
        if (option.score, option.criteria) != (data["score"], data["criteria"]):
            # One save per changed option (a handful at most), so the audit log sees it.
            option.score, option.criteria = data["score"], data["criteria"]
            option.save(update_fields=["score", "criteria"])
    return question


REQUIREMENT_FIELDS = ("must_be_in_period", "must_be_signed", "min_count", "carry_over_allowed")


def _requirements_replace(question: Question, rows: list[dict]) -> list[EvidenceRequirement]:
    """The item's entries become `rows` (those with a label), each saved one by one so the
    audit log sees every change; an unchanged entry is left alone."""
    rows = [row for row in rows if (row.get("label") or "").strip()]
    for row in rows:
        if len(row["label"].strip()) > evidence_dictionary.MAX_LABEL:
            raise InstrumentError(_("Jenis dokumen terlalu panjang (maksimum 300 karakter)."))
        if int(row.get("min_count") or 0) < 1:
            raise InstrumentError(_("Jumlah dokumen minimum paling sedikit 1."))
    existing = list(question.evidence_requirements.order_by("position", "pk"))
    # Positions are unique per item: park the old rows out of the way before renumbering.
    for entry in existing[len(rows) :]:
        entry.delete()
    kept = existing[: len(rows)]
    for offset, entry in enumerate(kept):
        entry.position = 1000 + offset
        entry.save(update_fields=["position"])
    entries = []
    for position, row in enumerate(rows):
        entry = kept[position] if position < len(kept) else EvidenceRequirement(question=question)
        entry.position, entry.label = position, row["label"].strip()
        for name in REQUIREMENT_FIELDS:
            setattr(entry, name, row.get(name, 1 if name == "min_count" else False))
        entry.save()
        entries.append(entry)
    return entries


@transaction.atomic
def rules_update(*, version: LkeVersion, minimums: dict[int, Decimal]) -> None:
    _require_draft(version)
    rules = {rule.pk: rule for rule in version.predicate_rules.exclude(metric="prior_predicate")}
    for pk, minimum in minimums.items():
        if pk not in rules:
            raise InstrumentError(_("Aturan predikat tidak dikenal."))
        if rules[pk].minimum != minimum:
            rules[pk].minimum = minimum
            rules[pk].save(update_fields=["minimum"])  # saved one by one for the audit log

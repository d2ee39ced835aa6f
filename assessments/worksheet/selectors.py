"""Read side of the worksheet: one tab (an area, or Hasil) of an assessment with every visible
layer's answers, returned items, evidence counts and progress, in a fixed number of queries."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field

from django.utils.translation import gettext as _

from areas.models import HASIL_SECTIONS, AnswerType, Question
from areas.selectors import version_parts
from assessments import permissions, policy
from assessments.assessment import Assessment, Layer
from assessments.evidence.coverage import FACT_FIELDS, EntryCoverage, Fact, coverage, missing_labels
from assessments.worksheet import sources
from assessments.worksheet.comments import Threads, comment_threads, comments_of
from assessments.worksheet.models import Answer, ItemReturn

HASIL_TAB = "hasil"
FILTERS = ("all", "unanswered", "returned", "disagree", "missing_evidence")


def items_open(assessment: Assessment, layer: str) -> set[int] | None:
    """The questions (pks) `layer` may change now: None for every item; while the assessment
    is returned to the unit, only the items returned and not yet resolved."""
    if layer != Layer.SELF or not policy.POLICY[assessment.status].only_returned_items:
        return None
    return set(
        assessment.returns.filter(resolved_at__isnull=True).values_list("question_id", flat=True)
    )


@dataclass
class Row:
    question: Question
    answers: dict[str, Answer]  # by layer, visible layers only
    open_return: ItemReturn | None
    returns: list[ItemReturn]
    evidence_count: int
    disagreement: bool
    locked: str = ""  # why the writable layer may not change this item now, if it may not
    # The item's evidence dictionary entries that no current document covers, not even one
    # awaiting its check; and every entry with its counts (assessments.evidence.coverage).
    evidence_missing: list[str] = field(default_factory=list)
    evidence_entries: list[EntryCoverage] = field(default_factory=list)
    tab: str = ""  # the worksheet tab the item is on
    comments: list = field(default_factory=list)  # the readable discussion, oldest first
    # IPAK/IPKP: where the unit's answer came from while it still holds the survey's value
    # (surveys.LkeFill), and, for the unit writing it, whether the surveys can fill it.
    survey_fill: object = None
    survey_check: object = None

    def answer_in(self, layer: str) -> Answer | None:
        return self.answers.get(layer)


@dataclass
class Tab:
    key: str
    label: str
    answered: int = 0
    total: int = 0

    @property
    def percent(self) -> int:
        return round(100 * self.answered / self.total) if self.total else 0


@dataclass
class Sheet:
    assessment: Assessment
    tab: str
    tabs: list[Tab]
    layers: list[str]
    writable: str | None
    threads: Threads | None = None
    groups: list[tuple[object, list[Row]]] = field(default_factory=list)


def _disagree(answers: dict[str, Answer]) -> bool:
    scores = {a.score for a in answers.values() if a.value is not None}
    return len(scores) > 1


def tab_progress(user, assessment: Assessment) -> list[Tab]:
    """Each tab's answered/total for the person's own layer (3 queries), shown again after
    every save so the tab bar never lags behind."""
    tabs, _in_tab = _progress(assessment, permissions.writable_layer(user, assessment), None)
    return tabs


def _progress(assessment: Assessment, writable: str | None, tab: str | None):
    """The tabs with their progress, and the items of `tab` (one query: the instrument's
    items are read once per process, areas.selectors.version_parts)."""
    parts = version_parts(assessment.period.lke_version)
    tabs = {str(area.number): Tab(str(area.number), area.name) for area in parts.areas}
    tabs[HASIL_TAB] = Tab(HASIL_TAB, "Hasil")
    # Progress is the person's own layer (a reviewer counts what they scored), else the unit's.
    answered = set(
        Answer.objects.filter(
            assessment=assessment, layer=writable or Layer.SELF, value__isnull=False
        )
        .order_by()  # Answer's default ordering joins four tables; a set needs none
        .values_list("question_id", flat=True)
    )
    in_tab = []
    for question in parts.questions:
        key = tab_of(question)
        tabs[key].total += 1
        tabs[key].answered += question.pk in answered
        if key == tab:
            in_tab.append(question)
    return list(tabs.values()), in_tab


def load(user, assessment: Assessment, tab: str, filter_: str = "all") -> Sheet:
    """The tab bar's progress over every item, and the rows of one tab. Only that tab's items
    are read in full (with options, answers, returns and evidence counts): a page shows one
    tab, and reading all 113 items in four layers made the page several times slower."""
    layers = permissions.visible_layers(user, assessment)
    writable = permissions.writable_layer(user, assessment)
    tabs, questions = _progress(assessment, writable, tab)
    in_tab = [question.pk for question in questions]
    answers = defaultdict(dict)
    for answer in (
        Answer.objects.filter(assessment=assessment, layer__in=layers, question__in=in_tab)
        .order_by()
        .select_related("updated_by")
    ):
        answers[answer.question_id][answer.layer] = answer
    returns = defaultdict(list)
    for item in ItemReturn.objects.filter(assessment=assessment, question__in=in_tab).order_by(
        "created_at"
    ):
        if item.layer in layers or permissions.is_unit_member(user, assessment):
            returns[item.question_id].append(item)
    evidence = defaultdict(list)
    for values in (
        assessment.evidence.filter(removed_at__isnull=True, question__in=in_tab)
        .order_by()
        .values_list(*FACT_FIELDS)
    ):
        evidence[values[0]].append(Fact(*values))
    year = assessment.period.year

    threads = comment_threads(user, assessment)
    comments = comments_of(threads, assessment, in_tab)
    fills, checks = _survey_sources(assessment, questions, answers, writable)
    sheet = Sheet(assessment, tab, tabs, layers, writable, threads)
    groups: dict[int, list[Row]] = {}
    indicators = {}
    for question in questions:
        entries = coverage(question.evidence_requirements.all(), evidence[question.pk], year)
        row = Row(
            question=question,
            answers=answers[question.pk],
            open_return=next((r for r in returns[question.pk] if r.resolved_at is None), None),
            returns=returns[question.pk],
            evidence_count=len(evidence[question.pk]),
            evidence_missing=missing_labels(entries),
            evidence_entries=entries,
            disagreement=_disagree(answers[question.pk]),
            tab=tab,
            comments=comments[question.pk],
            survey_fill=fills.get(question.pk),
            survey_check=checks.get(question.pk),
        )
        row.locked = _locked(assessment, writable, row.open_return)
        if not _keep(row, filter_, writable):
            continue
        indicators[question.indicator_id] = question.indicator
        groups.setdefault(question.indicator_id, []).append(row)
    sheet.groups = [(indicators[pk], rows) for pk, rows in groups.items()]
    return sheet


def _survey_sources(assessment: Assessment, questions, answers, writable: str | None):
    """The current survey fills of the items (one query), and for the unit writing its own
    layer whether each can be filled (two): only on a tab with a survey index item."""
    if not any(q.answer_type == AnswerType.SURVEY_INDEX for q in questions):
        return {}, {}
    source = sources.source()
    fills = source.current_fills(assessment, answers)
    checks = source.fill_checks(assessment, questions) if writable == Layer.SELF else {}
    return fills, checks


def _locked(assessment: Assessment, writable: str | None, open_return) -> str:
    if (
        writable == Layer.SELF
        and policy.POLICY[assessment.status].only_returned_items
        and open_return is None
    ):
        return _("Hanya baca: saat dikembalikan, hanya butir yang dikembalikan yang dapat diubah.")
    return ""


ACCEPT_SCOPES = ("item", "indicator", "tab")


def questions_in(assessment: Assessment, scope: str, key: str):
    """The items of one item, indicator or tab of the assessment's instrument (for bulk
    actions); empty when `key` is not one of them."""
    questions = Question.objects.filter(version_id=assessment.period.lke_version_id)
    if scope == "tab":
        if key == HASIL_TAB:
            return questions.filter(indicator__section__in=HASIL_SECTIONS)
        if not key.isdigit():
            return questions.none()
        return questions.filter(indicator__area__number=int(key)).exclude(
            indicator__section__in=HASIL_SECTIONS
        )
    if not key.isdigit() or scope not in ACCEPT_SCOPES:
        return questions.none()
    if scope == "indicator":
        return questions.filter(indicator_id=int(key))
    return questions.filter(pk=int(key))


def tab_of(question: Question) -> str:
    if question.indicator.section in HASIL_SECTIONS:
        return HASIL_TAB
    return str(question.indicator.area.number)


def _keep(row: Row, filter_: str, writable: str | None) -> bool:
    if filter_ == "unanswered":
        answer = row.answers.get(writable or Layer.SELF)
        return answer is None or answer.value is None
    if filter_ == "returned":
        return row.open_return is not None
    if filter_ == "disagree":
        return row.disagreement
    if filter_ == "missing_evidence":
        return bool(row.evidence_missing)
    return True


def load_row(user, assessment: Assessment, question: Question, saved: Answer | None = None) -> Row:
    """One question's row, after a save: the same content as in `load`, for one item. The
    answer just `saved` (in this transaction's state) is not read again; an operator, who
    sees only that layer, then needs no answer query at all."""
    layers = permissions.visible_layers(user, assessment)
    answers = {saved.layer: saved} if saved is not None and saved.layer in layers else {}
    others = [layer for layer in layers if layer not in answers]
    if others:
        answers |= {
            a.layer: a
            for a in Answer.objects.filter(
                assessment=assessment, question=question, layer__in=others
            )
            .order_by()
            .select_related("updated_by")
        }
    returns = [
        r
        for r in ItemReturn.objects.filter(assessment=assessment, question=question)
        if r.layer in layers or permissions.is_unit_member(user, assessment)
    ]
    open_return = next((r for r in returns if r.resolved_at is None), None)
    facts = [
        Fact(*values)
        for values in assessment.evidence.filter(removed_at__isnull=True, question=question)
        .order_by()
        .values_list(*FACT_FIELDS)
    ]
    entries = coverage(question.evidence_requirements.all(), facts, assessment.period.year)
    writable = permissions.writable_layer(user, assessment)
    fills, checks = _survey_sources(assessment, [question], {question.pk: answers}, writable)
    return Row(
        question=question,
        answers=answers,
        open_return=open_return,
        returns=returns,
        evidence_count=len(facts),
        evidence_missing=missing_labels(entries),
        evidence_entries=entries,
        tab=tab_of(question),
        comments=comments_of(comment_threads(user, assessment), assessment, [question.pk])[
            question.pk
        ],
        disagreement=_disagree(answers),
        locked=_locked(assessment, writable, open_return),
        survey_fill=fills.get(question.pk),
        survey_check=checks.get(question.pk),
    )

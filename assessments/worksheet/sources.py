"""Answers of survey-index items (IPAK, IPKP) that come from somewhere other than typing.

An app above the worksheet (surveys: the unit's SPAK/SPKP of the period) registers itself at
start-up as the source of those answers; the worksheet asks it through this one object and
never imports it, so the layering runs one way (surveys reads and writes the worksheet through
`answer_save`, not the reverse). Without a registered source every index is typed by hand.
"""

from __future__ import annotations

from django.utils.translation import gettext as _

from core.errors import WorkflowError

FILLED_FROM_SURVEY = "filled from survey"  # the answer history's change reason


class IndexSource:
    """What the worksheet asks of a source; this default knows of none."""

    def current_fills(self, assessment, answers: dict[int, dict]) -> dict[int, object]:
        """Per question id, where the unit's answer came from while it still holds that value
        (`answers`: {question id: {layer: Answer}}, as the worksheet has them)."""
        return {}

    def fill_checks(self, assessment, questions) -> dict[int, object]:
        """Per question id, whether the source can fill it now, and if not why."""
        return {}

    def is_filled(self, assessment, question, value) -> bool:
        """Whether `value` is the one the source filled in (a typed value needs its note and
        its report)."""
        return False

    def fill(self, *, assessment, question, by):
        raise WorkflowError(_("Butir ini tidak dapat diisi dari survei."))


_source = IndexSource()


def register(source: IndexSource) -> None:
    global _source
    _source = source


def source() -> IndexSource:
    return _source

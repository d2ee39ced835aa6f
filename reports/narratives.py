"""What the evaluator of a layer writes for its LHE: an executive summary, and per change area
a summary and recommendations. Written by whoever writes the layer now (assessments.policy:
the reviewer, TPI or TPN, never the unit's own layer), stored per assessment, layer and area,
audited, printed in that layer's LHE."""

from __future__ import annotations

from dataclasses import dataclass

from django import forms
from django.db import transaction
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from assessments.models import Assessment
from assessments.permissions import access
from core import audit
from core.errors import WorkflowError
from core.text import NOTE_MAX, clean_note
from reports.models import LheNarrative

TEXT_MAX = NOTE_MAX  # characters per field: a page of the LHE at most (core.text)


def narrative_layer(user, assessment: Assessment) -> str | None:
    """The layer whose narrative `user` may write now: the reviewer layer they write."""
    rights = access(user, assessment)
    return rights.writable_layer if rights.can_review_evidence else None


@dataclass
class AreaNarrative:
    number: int
    name: str
    summary: str
    recommendations: str


@dataclass
class Narrative:
    summary: str
    recommendations: str
    areas: list[AreaNarrative]

    @property
    def is_empty(self) -> bool:
        texts = [self.summary, self.recommendations]
        texts += [text for a in self.areas for text in (a.summary, a.recommendations)]
        return not any(texts)


def lhe_narrative(assessment: Assessment, layer: str, areas) -> Narrative:
    """The layer's narrative, every area listed (empty texts where nothing was written).
    `areas`: the instrument's area specs (number, name). One query."""
    rows = {
        row.area_number: row
        for row in LheNarrative.objects.filter(assessment=assessment, layer=layer)
    }
    top = rows.get(0)
    return Narrative(
        summary=top.summary if top else "",
        recommendations=top.recommendations if top else "",
        areas=[
            AreaNarrative(
                area.number,
                area.name,
                rows[area.number].summary if area.number in rows else "",
                rows[area.number].recommendations if area.number in rows else "",
            )
            for area in areas
        ],
    )


class NarrativeForm(forms.Form):
    """The executive summary and, per area, a summary and recommendations."""

    summary = forms.CharField(
        label=gettext_lazy("Ringkasan eksekutif"),
        required=False,
        max_length=TEXT_MAX,
        widget=forms.Textarea(attrs={"rows": 5}),
    )
    recommendations = forms.CharField(
        label=gettext_lazy("Rekomendasi umum"),
        required=False,
        max_length=TEXT_MAX,
        widget=forms.Textarea(attrs={"rows": 3}),
    )

    def __init__(self, *args, areas=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.area_numbers = [area.number for area in areas]
        for area in areas:
            self.fields[f"area_{area.number}_summary"] = forms.CharField(
                label=_("Area %(n)s. %(name)s: ringkasan") % {"n": area.number, "name": area.name},
                required=False,
                max_length=TEXT_MAX,
                widget=forms.Textarea(attrs={"rows": 3}),
            )
            self.fields[f"area_{area.number}_recommendations"] = forms.CharField(
                label=_("Area %(n)s: rekomendasi") % {"n": area.number},
                required=False,
                max_length=TEXT_MAX,
                widget=forms.Textarea(attrs={"rows": 3}),
            )

    @staticmethod
    def initial_from(narrative: Narrative) -> dict:
        initial = {"summary": narrative.summary, "recommendations": narrative.recommendations}
        for area in narrative.areas:
            initial[f"area_{area.number}_summary"] = area.summary
            initial[f"area_{area.number}_recommendations"] = area.recommendations
        return initial

    def texts(self) -> dict[int, tuple[str, str]]:
        """{area number (0: the whole report): (summary, recommendations)}."""
        data = self.cleaned_data
        out = {0: (data["summary"].strip(), data["recommendations"].strip())}
        for number in self.area_numbers:
            out[number] = (
                data[f"area_{number}_summary"].strip(),
                data[f"area_{number}_recommendations"].strip(),
            )
        return out


def lhe_narrative_save(
    *, assessment: Assessment, by, texts: dict[int, tuple[str, str]]
) -> LheNarrative | None:
    """Store the narrative of the layer `by` writes now; refused for anyone else or once the
    layer is closed. The assessment's reports are made afresh (its content version)."""
    with transaction.atomic():
        locked = Assessment.objects.select_for_update().get(pk=assessment.pk)
        layer = narrative_layer(by, locked)
        if layer is None:
            raise WorkflowError(
                _("Ringkasan dan rekomendasi LHE hanya dapat diubah penilai lapisan yang aktif.")
            )
        texts = {
            number: (clean_note(summary, label=_("Ringkasan")),
                     clean_note(recommendations, label=_("Rekomendasi")))
            for number, (summary, recommendations) in texts.items()
        }  # fmt: skip
        stored = {
            row.area_number: row
            for row in LheNarrative.objects.filter(assessment=locked, layer=layer)
        }
        changed = False
        for number, (summary, recommendations) in texts.items():
            row = stored.get(number)
            if row is not None and (row.summary, row.recommendations) == (summary, recommendations):
                continue  # unchanged: neither a write nor a new version of the reports
            row, _created = LheNarrative.objects.update_or_create(
                assessment=locked,
                layer=layer,
                area_number=number,
                defaults={"summary": summary, "recommendations": recommendations, "updated_by": by},
            )
            stored[number], changed = row, True
        if changed:
            Assessment.objects.filter(pk=locked.pk).touch()
            audit.record("zi.lhe.narrative_saved", locked, by=by, layer=layer)
        top = stored.get(0)
    return top

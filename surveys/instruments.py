"""Survey instruments as data: the shipped YAML loaded into versions, checked, published, and
a new draft version made from a published one (a published version never changes)."""

from __future__ import annotations

from pathlib import Path

import yaml
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from surveys import ikm
from surveys.models import MAX_QUESTIONS, Instrument, InstrumentKind, InstrumentQuestion

SHIPPED = Path(__file__).parent / "data" / "instruments.yaml"
LKE_ITEMS = {InstrumentKind.SPAK: "H1.1.a", InstrumentKind.SPKP: "H2.1.a"}


class InstrumentError(ValueError):
    def __init__(self, errors: list[str]):
        super().__init__("\n".join(errors))
        self.errors = errors


def problems(instrument: Instrument, questions: list[InstrumentQuestion]) -> list[str]:
    """What keeps the instrument from being used (empty when it can be published)."""
    errors = []
    if not questions:
        errors.append(_("Instrumen belum memiliki pertanyaan."))
    if len(questions) > MAX_QUESTIONS:
        errors.append(_("Paling banyak %(n)d pertanyaan.") % {"n": MAX_QUESTIONS})
    positions = sorted(q.position for q in questions)
    if positions != list(range(1, len(questions) + 1)):
        errors.append(_("Urutan pertanyaan harus 1, 2, 3, … tanpa lompatan."))
    for q in questions:
        levels = q.levels if isinstance(q.levels, list) else []
        if len(levels) != instrument.scale_max or not all(
            isinstance(text, str) and text.strip() for text in levels
        ):
            errors.append(
                _("%(code)s: perlu %(n)d teks pilihan jawaban, satu per nilai.")
                % {"code": q.code, "n": instrument.scale_max}
            )
    if instrument.kind == InstrumentKind.IKM and (
        instrument.scale_max != 4 or [q.code for q in questions] != list(ikm.UNSUR)
    ):
        errors.append(
            _("IKM (PermenPAN-RB 14/2017) memakai sembilan unsur U1–U9 dengan skala 1–4.")
        )
    expected_item = LKE_ITEMS.get(instrument.kind, "")
    if instrument.lke_item != expected_item:
        errors.append(
            _("Butir LKE untuk %(kind)s adalah %(item)s.")
            % {"kind": instrument.get_kind_display(), "item": expected_item or "-"}
        )
    return errors


@transaction.atomic
def instrument_publish(*, instrument: Instrument) -> Instrument:
    instrument = Instrument.objects.select_for_update().get(pk=instrument.pk)
    if instrument.is_published:
        return instrument
    errors = problems(instrument, list(instrument.questions.all()))
    if errors:
        raise InstrumentError(errors)
    instrument.published_at = timezone.now()
    instrument.save(update_fields=["published_at"])
    return instrument


@transaction.atomic
def instrument_new_version(*, instrument: Instrument) -> Instrument:
    """A draft copy of `instrument` with the next version number of its kind."""
    latest = Instrument.objects.filter(kind=instrument.kind).order_by("-version").first()
    draft = Instrument.objects.create(
        kind=instrument.kind,
        version=latest.version + 1,
        name=instrument.name,
        scale_max=instrument.scale_max,
        lke_item=instrument.lke_item,
        min_respondents=instrument.min_respondents,
        intro=instrument.intro,
    )
    InstrumentQuestion.objects.bulk_create(
        InstrumentQuestion(
            instrument=draft,
            position=q.position,
            code=q.code,
            unsur=q.unsur,
            text=q.text,
            levels=list(q.levels),
        )
        for q in instrument.questions.all()
    )
    return draft


def current(kind: str) -> Instrument | None:
    """The newest published version of a kind: what a new survey uses."""
    return (
        Instrument.objects.filter(kind=kind, published_at__isnull=False)
        .order_by("-version")
        .first()
    )


@transaction.atomic
def load_shipped(
    path: Path = SHIPPED, *, instrument_model=Instrument, question_model=InstrumentQuestion
) -> list:
    """Version 1 of each shipped instrument, published; kinds that already have one are left.
    The data migration passes its historical models (the file is checked by the tests, so it
    is published as it is)."""
    loaded = []
    for entry in yaml.safe_load(path.read_text(encoding="utf-8")):
        if instrument_model.objects.filter(kind=entry["kind"]).exists():
            continue
        instrument = instrument_model.objects.create(
            kind=entry["kind"],
            version=1,
            name=entry["name"],
            scale_max=entry["scale_max"],
            lke_item=entry.get("lke_item", ""),
            min_respondents=entry.get("min_respondents", 30),
            intro=entry.get("intro", ""),
            published_at=timezone.now(),
        )
        question_model.objects.bulk_create(
            question_model(instrument=instrument, position=i, **q)
            for i, q in enumerate(entry["questions"], start=1)
        )
        loaded.append(instrument)
    return loaded

"""Survey instruments are data: shipped and published with the portal, checked before they are
published, never changed once published (a change is a new draft version)."""

import pytest

from surveys import ikm
from surveys.instruments import (
    InstrumentError,
    current,
    instrument_new_version,
    instrument_publish,
    problems,
)
from surveys.models import Instrument, InstrumentKind

pytestmark = pytest.mark.usefixtures("instruments")


def test_the_ikm_of_14_2017_ships_with_its_nine_unsur_and_wording():
    instrument = current(InstrumentKind.IKM)
    questions = list(instrument.questions.all())
    assert [q.code for q in questions] == list(ikm.UNSUR)
    assert questions[3].unsur == "Biaya/tarif"
    assert questions[3].levels == ["Sangat mahal", "Cukup mahal", "Murah", "Gratis"]
    assert instrument.scale_max == 4 and instrument.is_published


@pytest.mark.parametrize(("kind", "item"), [("spkp", "H2.1.a"), ("spak", "H1.1.a")])
def test_spkp_and_spak_ship_with_the_lke_item_they_fill_and_30_respondents(kind, item):
    instrument = current(kind)
    assert instrument.lke_item == item and instrument.min_respondents == 30
    assert problems(instrument, list(instrument.questions.all())) == []


def test_a_new_version_is_a_draft_copy_and_can_take_a_six_point_scale():
    draft = instrument_new_version(instrument=current(InstrumentKind.SPKP))
    assert draft.version == 2 and not draft.is_published
    assert current(InstrumentKind.SPKP).version == 1  # the draft is not used yet
    draft.scale_max = 6
    draft.save()
    with pytest.raises(InstrumentError) as refused:
        instrument_publish(instrument=draft)
    assert "P1: perlu 6 teks pilihan jawaban, satu per nilai." in refused.value.errors
    for q in draft.questions.all():
        q.levels = [str(n) for n in range(1, 7)]
        q.save()
    instrument_publish(instrument=draft)
    assert current(InstrumentKind.SPKP) == draft


def test_an_ikm_without_its_nine_unsur_cannot_be_published():
    draft = instrument_new_version(instrument=current(InstrumentKind.IKM))
    draft.questions.filter(code="U9").delete()
    with pytest.raises(InstrumentError):
        instrument_publish(instrument=draft)
    assert Instrument.objects.get(pk=draft.pk).published_at is None

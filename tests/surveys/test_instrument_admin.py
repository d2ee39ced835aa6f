"""The national admin keeps the survey instruments in the Django admin: a published version is
read only, a new version starts as a draft copy, a draft with a wrong number of answer texts is
not published (with the reason), and nobody else sees the instruments."""

import pytest
from django.urls import reverse

from surveys.instruments import current
from surveys.models import Instrument, InstrumentKind

CHANGELIST = "admin:surveys_instrument_changelist"

pytestmark = pytest.mark.usefixtures("instruments")


def _act(client, action: str, *instruments):
    return client.post(
        reverse(CHANGELIST),
        {"action": action, "_selected_action": [i.pk for i in instruments]},
        follow=True,
    )


def test_a_published_instrument_is_read_only_and_a_new_version_is_a_draft(client_for, personas):
    client = client_for("admin")
    spak = current(InstrumentKind.SPAK)
    page = client.get(reverse("admin:surveys_instrument_change", args=[spak.pk]))
    assert page.status_code == 200 and b'name="name"' not in page.content  # view only

    response = _act(client, "new_version", spak)
    assert "1 versi draf dibuat." in response.content.decode()
    draft = Instrument.objects.get(kind=InstrumentKind.SPAK, version=2)
    page = client.get(reverse("admin:surveys_instrument_change", args=[draft.pk]))
    assert b'name="name"' in page.content  # a draft is edited

    draft.scale_max = 6
    draft.save()
    response = _act(client, "publish", draft)
    assert "K1: perlu 6 teks pilihan jawaban, satu per nilai." in response.content.decode()
    assert current(InstrumentKind.SPAK) == spak  # still version 1

    draft.scale_max = 4
    draft.save()
    _act(client, "publish", draft)
    assert current(InstrumentKind.SPAK) == draft


def test_only_the_national_admin_sees_the_instruments(client_for, personas):
    personas["tpn"].is_staff = True
    personas["tpn"].save()
    url = reverse(CHANGELIST)
    assert client_for("tpn").get(url).status_code in (302, 403)
    assert client_for("admin").get(url).status_code == 200

"""An item changed in the portal after the download is shown as a conflict with both values
and kept unless the user picks the workbook's value; an item not edited offline is never
proposed; a save between preview and confirm saves nothing at all."""

from assessments.models import Answer, Layer
from assessments.worksheet.models import WorkbookUpload
from assessments.worksheet.services import answer_save
from tests.assessments.worksheet_offline import helpers as h


def _save(assessment, code, value, by, revision=None):
    question = assessment.period.lke_version.questions.get(code=code)
    return answer_save(
        assessment=assessment, question=question, layer=Layer.SELF, by=by, value=value,
        note="", revision=revision,
    )  # fmt: skip


def _value(assessment, code):
    return Answer.objects.get(assessment=assessment, question__code=code, layer=Layer.SELF).value


def _conflicted(building, client, personas):
    workbook = h.download(client, building)
    _save(building, "P1.1.a", "Tidak", personas["operator"])  # in the portal, after the download
    _save(building, "P1.1.b", "B", personas["operator"])  # ditto, not touched offline
    h.answer(workbook, "P1.1.a", "Ya")
    h.answer(workbook, "P1.2.a", "Ya")
    preview = h.preview_url(h.upload(client, building, h.content(workbook)))
    return preview


def test_a_portal_change_since_download_is_a_conflict_kept_unless_chosen(
    building, client_for, personas
):
    client = client_for("operator")
    preview = _conflicted(building, client, personas)
    page = client.get(preview).content.decode()
    assert 'name="take" value="P1.1.a"' in page and 'name="take" value="P1.2.a"' not in page
    assert 'id="change-P1.1.b"' not in page  # not edited offline: not proposed
    assert "Tidak" in page and "→ Ya" in page  # both values
    client.post(preview, {"action": "confirm"})
    assert _value(building, "P1.1.a") == "Tidak"  # kept
    assert _value(building, "P1.1.b") == "B"
    assert _value(building, "P1.2.a") == "Ya"


def test_a_conflict_takes_the_workbooks_value_when_chosen(building, client_for, personas):
    client = client_for("operator")
    preview = _conflicted(building, client, personas)
    client.post(preview, {"action": "confirm", "take": ["P1.1.a"]})
    assert _value(building, "P1.1.a") == "Ya"
    answer = Answer.objects.get(question__code="P1.1.a", layer=Layer.SELF)
    assert answer.revision == 2 and answer.history.count() == 2


def test_a_save_between_preview_and_confirm_saves_nothing(building, client_for, personas):
    client = client_for("operator")
    workbook = h.download(client, building)
    h.answer(workbook, "P1.1.a", "Ya")
    h.answer(workbook, "P1.2.a", "Ya")
    preview = h.preview_url(h.upload(client, building, h.content(workbook)))
    _save(building, "P1.2.a", "Tidak", personas["operator"])  # someone, meanwhile
    response = client.post(preview, {"action": "confirm"}, follow=True)
    assert "Tidak ada perubahan dari workbook yang disimpan" in response.content.decode()
    assert not Answer.objects.filter(question__code="P1.1.a").exists()
    assert _value(building, "P1.2.a") == "Tidak"


def test_a_refused_confirmation_throws_the_stale_preview_away(building, client_for, personas):
    client = client_for("operator")
    workbook = h.download(client, building)
    h.answer(workbook, "P1.2.a", "Ya")
    preview = h.preview_url(h.upload(client, building, h.content(workbook)))
    _save(building, "P1.2.a", "Tidak", personas["operator"])  # someone, meanwhile
    response = client.post(preview, {"action": "confirm"}, follow=True)
    assert "unggah ulang workbook Anda" in response.content.decode()
    assert not WorkbookUpload.objects.exists()
    assert client.get(preview).status_code == 404  # cannot be confirmed again
    assert client.post(preview, {"action": "confirm"}).status_code == 404
    assert _value(building, "P1.2.a") == "Tidak"

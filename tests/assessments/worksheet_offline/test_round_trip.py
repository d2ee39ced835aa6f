"""Done when: a workbook downloaded, edited in a spreadsheet (option answers, a numeric
item's count, a note) and uploaded gives, once confirmed, the scores the engine gives the
same answers; every change went through the worksheet's save path (history, audit)."""

import json

from auditlog.models import LogEntry
from django.core.management import call_command
from django.urls import reverse

from areas import scoring
from assessments.models import Answer, Layer
from assessments.worksheet.scores import instrument_of, layer_results
from tests.assessments.worksheet_offline import helpers as h


def test_edited_workbook_round_trip_scores_as_the_engine(
    building, client_for, personas, tmp_path, capsys
):
    client = client_for("operator")
    workbook = h.download(client, building)
    h.answer(workbook, "P1.1.a", "Ya")
    h.answer(workbook, "P1.1.b", "B")
    h.note(workbook, "P1.1.b", "SK tim belum ditandatangani")
    h.count(workbook, "R1.1.a", "agents", 10)
    h.count(workbook, "R1.1.a", "changes", 4)
    h.answer(workbook, "R2.1.a", "C")
    h.answer(workbook, "H1.2.a", "B")  # capaian kinerja

    preview = h.preview_url(h.upload(client, building, h.content(workbook)))
    page = client.get(preview)
    assert page.status_code == 200
    text = page.content.decode()
    for code in ("P1.1.a", "P1.1.b", "R1.1.a", "R2.1.a", "H1.2.a"):
        assert f'id="change-{code}"' in text
    assert not Answer.objects.filter(assessment=building).exists()  # nothing before confirm

    done = client.post(preview, {"action": "confirm"})
    assert done.status_code == 302

    stored = {
        a.question.code: a for a in Answer.objects.filter(assessment=building, layer=Layer.SELF)
    }
    assert stored["P1.1.b"].value == "B" and stored["P1.1.b"].note == "SK tim belum ditandatangani"
    assert stored["R1.1.a"].value == {"inputs": {"agents": 10, "changes": 4}}
    assert stored["R2.1.a"].value == "C"
    assert stored["P1.1.a"].history.count() == 1 and stored["P1.1.a"].revision == 1
    answers = {"P1.1.a": "Ya", "P1.1.b": "B", "R1.1.a": {"inputs": {"agents": 10, "changes": 4}},
               "R2.1.a": "C"}  # fmt: skip
    expected = scoring.score(instrument_of(building), answers, {"H1.2.a": "B"})
    stored_result = layer_results(building, [Layer.SELF])[Layer.SELF]
    assert stored_result == expected
    answers_file = tmp_path / "answers.json"
    answers_file.write_text(json.dumps({"answers": answers, "hasil": {"H1.2.a": "B"}}))
    capsys.readouterr()
    call_command("lke_score", str(answers_file), "--json")
    by_command = json.loads(capsys.readouterr().out)
    assert by_command == json.loads(json.dumps(stored_result.as_dict(), default=str))
    entry = LogEntry.objects.get(additional_data__action="zi.lke_workbook.imported")
    assert entry.actor == personas["operator"]
    assert sorted(entry.additional_data["items"]) == sorted([*answers, "H1.2.a"])


def test_the_worksheet_offers_the_workbook_only_to_who_writes_a_layer(building, client_for):
    url = reverse("assessments:worksheet", args=[building.pk])
    assert "Unduh LKE (XLSX)" in client_for("operator").get(url).content.decode()
    assert "Unduh LKE (XLSX)" not in client_for("reviewer").get(url).content.decode()

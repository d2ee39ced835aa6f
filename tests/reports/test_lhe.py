"""The LHE PDF: what a reader of the printed report must find in it."""

import datetime
import shutil
import subprocess
from decimal import Decimal

import pytest
from django.core.management import CommandError, call_command

from areas.labels import format_score
from areas.models import Question
from assessments.models import Evidence, ItemReturn, Layer, Status, TransitionEvent
from assessments.stages.awards import prior_predicate
from assessments.stages.models import FieldVisit
from assessments.worksheet.scores import layer_results
from reports.lhe import lhe_context, lhe_filename, render_lhe
from reports.models import LheNarrative
from tests.assessments.helpers import answer_all

SHA = "ab" * 32
FULL_LAYERS = [Layer.SELF, Layer.PRELIMINARY, Layer.TPI]
# One render of the full report per module: (pdftotext output, values the engine expects).
_FULL: dict = {}


def second_best(question: Question):
    """A reviewer who scores lower than the unit, so each layer's totals differ."""
    options = sorted(question.options.all(), key=lambda o: -o.score)
    if options:
        return options[min(1, len(options) - 1)].label
    return 3.5 if question.answer_type == "survey_index" else 80


def pdf_text(pdf: bytes, tmp_path) -> str:
    path = tmp_path / "lhe.pdf"
    path.write_bytes(pdf)
    done = subprocess.run(
        [shutil.which("pdftotext") or "/usr/bin/pdftotext", "-layout", str(path), "-"],
        capture_output=True,
        text=True,
        check=True,
    )
    return done.stdout


def fill(assessment, personas):
    answer_all(assessment, Layer.SELF, personas["operator"], through_service=False)
    answer_all(assessment, Layer.PRELIMINARY, personas["reviewer"], through_service=False)
    answer_all(assessment, Layer.TPI, personas["tpi"], value_for=second_best, through_service=False)
    first = Question.objects.filter(version=assessment.period.lke_version).order_by("code")[0]
    assessment.answers.filter(question=first, layer=Layer.TPI).update(note="Catatan-TPI-uji")
    Evidence.objects.create(
        assessment=assessment,
        kind="answer",
        question=first,
        url="https://kemenag.go.id/zi/bukti.pdf",
        uploaded_by=personas["operator"],
        sha256=SHA,
    )
    ItemReturn.objects.create(
        assessment=assessment,
        question=first,
        layer=Layer.TPI,
        note="Lengkapi-notulen",
        created_by=personas["tpi"],
    )
    ItemReturn.objects.create(
        assessment=assessment,
        question=first,
        layer=Layer.TPN,
        note="Catatan-TPN-tersembunyi",
        created_by=personas["tpn"],
    )
    TransitionEvent.objects.create(
        assessment=assessment,
        transition="submit",
        from_status=Status.PEMBANGUNAN,
        to_status=Status.SUBMITTED,
        by=personas["operator"],
    )
    assessment.status = Status.TPI_REVIEW
    assessment.save()


@pytest.fixture
def full_report(assessment, personas, lke, tmp_path):
    if not _FULL:
        fill(assessment, personas)
        progress = []
        pdf = render_lhe(
            assessment=assessment, reader=None, layer=Layer.TPI, progress=progress.append
        )
        results = layer_results(
            assessment, FULL_LAYERS, prior_predicate=prior_predicate(assessment)
        )
        _FULL.update(
            pdf=pdf,
            text=pdf_text(pdf, tmp_path),
            progress=progress,
            unit_name=assessment.unit.name,
            results=results,
            codes=list(Question.objects.filter(version=lke).values_list("code", flat=True)),
        )
    return _FULL


def test_lhe_is_a_pdf_naming_the_unit_on_numbered_pages(full_report):
    assert full_report["pdf"].startswith(b"%PDF")
    text = full_report["text"]
    assert full_report["unit_name"] in text
    assert "Laporan Hasil Evaluasi Pembangunan Zona Integritas" in " ".join(text.split())
    assert "Halaman 1 dari" in text
    assert "Lapisan: TPI" in text


def test_lhe_shows_each_area_total_of_the_reported_layer_as_the_engine_computes_it(full_report):
    tpi, self_ = full_report["results"][Layer.TPI], full_report["results"][Layer.SELF]
    assert tpi.total != self_.total  # the layers differ, so the check below means something
    for area in tpi.areas:
        assert format_score(area.total) in full_report["text"], area.name
    assert format_score(tpi.total) in full_report["text"]


def test_lhe_lists_every_question_code_of_the_lke(full_report):
    missing = [code for code in full_report["codes"] if code not in full_report["text"]]
    assert missing == []


def test_lhe_shows_evidence_hash_notes_and_only_reported_layers_returns(full_report):
    text = full_report["text"]
    assert SHA in text
    assert "Catatan-TPI-uji" in text
    assert "Lengkapi-notulen" in text
    assert "Catatan-TPN-tersembunyi" not in text  # TPN is after the reported layer


def test_lhe_reports_progress_up_to_done(full_report):
    progress = full_report["progress"]
    assert progress == sorted(progress)
    assert progress[-1] == 100


def test_lhe_context_reads_data_in_a_fixed_number_of_queries(
    assessment, personas, django_assert_max_num_queries
):
    answer_all(assessment, Layer.SELF, personas["operator"], through_service=False)
    question = Question.objects.filter(version=assessment.period.lke_version).first()
    for n in range(30):
        Evidence.objects.create(
            assessment=assessment,
            kind="answer",
            question=question,
            url=f"https://kemenag.go.id/{n}.pdf",
            uploaded_by=personas["operator"],
        )
    # The formal parts: the evaluator's narrative per area and TPN's (released) field visits.
    for area in range(7):
        LheNarrative.objects.create(assessment=assessment, layer=Layer.TPN, area_number=area)
    for day in range(1, 6):
        FieldVisit.objects.create(
            assessment=assessment, visited_on=datetime.date(2026, 11, day), team="A",
            findings="B", created_by=personas["tpn"],
        )  # fmt: skip
    assessment.tpn_layer_released = True
    assessment.save()
    lhe_context(assessment=assessment, reader=None, layer=Layer.TPN)  # warm the instrument cache
    # 8 for the data, 1 letterhead, 1 narrative, 1 field visits: whatever their number.
    with django_assert_max_num_queries(11):
        context = lhe_context(assessment=assessment, reader=None, layer=Layer.TPN)
    assert len(context["evidence"]) == 30
    assert len(context["field_visits"]) == 5 and len(context["narrative"].areas) == 6
    assert [column[0] for column in context["columns"]] == [str(x) for x in Layer]


def test_empty_assessment_renders_with_zero_scores(assessment, tmp_path):
    pdf = render_lhe(assessment=assessment, reader=None)
    text = pdf_text(pdf, tmp_path)
    assert assessment.unit.name in text
    assert format_score(Decimal(0)) in text
    assert "Halaman 1 dari" in text


def test_unknown_layer_is_refused(assessment):
    with pytest.raises(ValueError):
        lhe_context(assessment=assessment, reader=None, layer="kanwil")


def test_filename_names_unit_period_and_layer(assessment):
    name = lhe_filename(assessment, "tpi")
    assert name == f"LHE-{assessment.unit.code}-{assessment.period.year}-tpi.pdf"


def test_cli_writes_the_pdf_of_a_unit_found_by_name(assessment, tmp_path, capsys):
    out = tmp_path / "cli.pdf"
    call_command(
        "render_report",
        "lhe",
        "--unit",
        assessment.unit.name,
        "--period",
        str(assessment.period.year),
        "--out",
        str(out),
    )
    assert out.read_bytes().startswith(b"%PDF")
    assert str(out) in capsys.readouterr().out


@pytest.mark.parametrize(
    ("unit", "year"), [("TIDAK-ADA", None), ("KKA", 1999)], ids=["unknown-unit", "no-assessment"]
)
def test_cli_fails_with_status_2(assessment, tmp_path, unit, year):
    with pytest.raises(CommandError) as error:
        call_command(
            "render_report",
            "lhe",
            "--unit",
            unit,
            "--period",
            str(year or assessment.period.year),
            "--out",
            str(tmp_path / "x.pdf"),
        )
    assert error.value.returncode == 2
    assert not (tmp_path / "x.pdf").exists()


def test_cli_refuses_an_ambiguous_unit_name(assessment, tree, tmp_path):
    from tests.factories import UnitFactory

    UnitFactory(code="KKA2", name=assessment.unit.name, kind="kankemenag", parent=tree.kanwil_a)
    with pytest.raises(CommandError) as error:
        call_command(
            "render_report", "lhe", "--unit", assessment.unit.name, "--period", "2026",
            "--out", str(tmp_path / "x.pdf"),
        )  # fmt: skip
    assert error.value.returncode == 2
    assert "KKA2" in str(error.value)

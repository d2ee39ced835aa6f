"""The package for KemenPAN-RB (PMPZI): per proposed unit a JSON and an XLSX of its identity,
the TPI layer's answers and the engine's scores of them, and links to its evidence on the
portal; every proposed unit of a period in one ZIP made by the report jobs."""

import io
import json
import zipfile
from decimal import Decimal

import jsonschema
import openpyxl
import pytest
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.core.management import CommandError, call_command
from django.urls import reverse

from areas import scoring
from areas.models import Question
from assessments.models import Evidence, Layer, Status
from assessments.stages.awards import prior_predicates
from assessments.worksheet.scores import instrument_of, split_values
from core.errors import ReportError
from reports import services, worker
from reports.models import JobStatus
from reports.pmpzi.archive import SCHEMA
from tests.assessments.helpers import answer_all
from tests.factories import AssessmentFactory, UnitFactory
from units.models import UnitKind

SECRET = b"%PDF-1.7 isi rahasia data dukung"
BASE = "https://zi.kemenag.go.id"


def run(params, user):
    job = services.report_request(kind="pmpzi_export", params=params, by=user)
    worker.report_run(job_id=job.pk)
    job.refresh_from_db()
    return job


@pytest.fixture
def proposed(period, tree, personas, assessment, storage, settings):
    """KKA proposed (TPI answered, with a file and a link as evidence), KKB granted since (TPI
    answered), a new madrasah proposed before TPI answered anything, MINA still with TPI."""
    settings.PORTAL_BASE_URL = BASE
    assessment.delete()
    kka = AssessmentFactory(period=period, unit=tree.kankemenag_a, status=Status.PROPOSED)
    kkb = AssessmentFactory(period=period, unit=tree.kankemenag_b, status=Status.GRANTED)
    for item in (kka, kkb):
        answer_all(item, Layer.SELF, personas["operator"], through_service=False)
        answer_all(item, Layer.TPI, personas["tpi"], through_service=False)
    kka.answers.filter(layer=Layer.TPI, question__code__startswith="P2").delete()
    kka.answers.filter(layer=Layer.TPI, question__code="P1.1.a").update(note="Sudah lengkap")
    empty_unit = UnitFactory(code="MTSX", name="MTsN 9 Semarang", kind=UnitKind.MADRASAH,
                             parent=tree.kankemenag_a, madrasah_level="MTs")  # fmt: skip
    empty = AssessmentFactory(period=period, unit=empty_unit, status=Status.PROPOSED)
    AssessmentFactory(period=period, unit=tree.madrasah_a, status=Status.TPI_REVIEW)
    question = Question.objects.get(version=period.lke_version, code="R1.1.a")
    name = default_storage.save("evidence/2026/01/acak.pdf", ContentFile(SECRET))
    evidence_file = Evidence.objects.create(
        assessment=kka, kind="answer", question=question, uploaded_by=personas["operator"],
        file=name, original_name="Daftar agen perubahan.pdf", size=len(SECRET),
        sha256="a" * 64, content_type="application/pdf", description="Daftar agen",
    )  # fmt: skip
    Evidence.objects.create(
        assessment=kka, kind="answer", question=question, uploaded_by=personas["operator"],
        url="https://kemenag.go.id/agen.pdf", description="Tautan SK",
    )  # fmt: skip
    return {"kka": kka, "kkb": kkb, "empty": empty, "evidence": evidence_file}


@pytest.fixture
def package(proposed, personas):
    job = run({"period": proposed["kka"].period.year}, personas["admin"])
    assert job.status == JobStatus.DONE, job.error
    return job, zipfile.ZipFile(io.BytesIO(job.file.read()))


def unit_json(archive, year, code) -> dict:
    return json.loads(archive.read(f"{year}/{code}/pmpzi.json"))


def test_the_json_scores_are_the_engines_score_of_the_tpi_answers(proposed, package):
    _, archive = package
    kka = proposed["kka"]
    doc = unit_json(archive, kka.period.year, "KKA")
    instrument = instrument_of(kka)
    answers = kka.answers.filter(layer=Layer.TPI).select_related("question")
    prior = prior_predicates([kka])[kka.pk]
    engine = scoring.score(instrument, *split_values(instrument, answers)[Layer.TPI],
                           prior_predicate=prior)  # fmt: skip
    scores = doc["tpi"]["scores"]
    assert Decimal(scores["total"]) == engine.total and engine.total < 100
    assert Decimal(scores["pengungkit"]) == engine.pengungkit
    assert Decimal(scores["hasil"]) == engine.hasil
    assert [(a["number"], Decimal(a["pemenuhan"]), Decimal(a["reform"])) for a in scores["areas"]
            ] == [(a.number, a.pemenuhan, a.reform) for a in engine.areas]  # fmt: skip
    rules = {(name, r["rule"]): r["passed"] for name, p in scores["predicates"].items()
             for r in p["rules"]}  # fmt: skip
    assert rules == {(name, r.name): r.passed for name, p in engine.predicates.items()
                     for r in p.rules}  # fmt: skip
    items = {item["code"]: item for item in doc["tpi"]["items"]}
    every = [q.code for q in instrument.questions] + [h.code for h in instrument.hasil]
    assert list(items) == every  # every item, the unanswered ones too
    assert items["P2.1.a"]["value"] is None and items["P2.1.a"]["score"] is None
    for code, q in engine.question_scores.items():
        assert Decimal(items[code]["score"]) == q
    assert items["P1.1.a"]["note"] == "Sudah lengkap"
    assert doc["unit"]["parents"] == [
        {"code": "PUSAT", "name": "Kementerian Agama", "kind": "pusat"},
        {"code": "KWA", "name": "Kanwil Jawa Tengah", "kind": "kanwil"},
    ]
    assert doc["period"]["year"] == kka.period.year
    assert doc["assessment"]["predicate_proposed"] == kka.target_predicate


def test_evidence_is_linked_to_the_authorised_download_and_never_included(
    proposed, package, client_for
):
    _, archive = package
    kka = proposed["kka"]
    doc = unit_json(archive, kka.period.year, "KKA")
    item = proposed["evidence"]
    path = reverse("assessments:evidence_download", args=[kka.pk, item.pk])
    by_label = {e["label"]: e for e in doc["evidence"]}
    assert by_label["Daftar agen"]["download_url"] == BASE + path
    assert by_label["Daftar agen"]["size"] == len(SECRET)
    assert by_label["Daftar agen"]["sha256"] == "a" * 64
    assert by_label["Tautan SK"]["download_url"] is None
    assert by_label["Tautan SK"]["external_url"] == "https://kemenag.go.id/agen.pdf"
    # the link asks whoever follows it: a stranger logs in, another unit does not see it
    assert client_for("anonymous").get(path).status_code == 302
    assert client_for("operator_b").get(path).status_code == 404
    assert client_for("admin").get(path).status_code == 200
    for name in archive.namelist():  # the workbooks are ZIPs themselves: look inside them too
        content = archive.read(name)
        assert SECRET not in content
        if name.endswith(".xlsx"):
            inner = zipfile.ZipFile(io.BytesIO(content))
            assert all(SECRET not in inner.read(part) for part in inner.namelist())
    assert "/media/" not in json.dumps(doc) and "evidence/2026" not in json.dumps(doc)


def test_the_zip_holds_every_proposed_unit_and_only_those(proposed, package):
    job, archive = package
    year = proposed["kka"].period.year
    assert job.filename == f"PMPZI-usulan-KemenPANRB-{year}.zip"
    units = ("KKA", "KKB", "MTSX")  # not MINA: still with TPI
    files = [f"{year}/{code}/pmpzi.{ext}" for code in units for ext in ("json", "xlsx")]
    assert sorted(archive.namelist()) == sorted([*files, "index.json", "schema.json",
                                                 "README.txt"])  # fmt: skip
    index = json.loads(archive.read("index.json"))
    assert sorted(u["code"] for u in index["units"]) == list(units)
    assert index["portal"] == BASE + "/"
    assert index["units_without_tpi_answers"] == ["MTSX"]
    empty = unit_json(archive, year, "MTSX")
    assert empty["tpi"]["answered"] is False and empty["tpi"]["scores"] is None
    assert all(item["value"] is None for item in empty["tpi"]["items"])
    assert json.loads(archive.read("schema.json")) == json.loads(SCHEMA.read_text())


def test_every_json_validates_against_the_shipped_schema(package):
    _, archive = package
    schema = json.loads(archive.read("schema.json"))
    jsonschema.Draft202012Validator.check_schema(schema)
    validator = jsonschema.Draft202012Validator(schema)
    documents = [name for name in archive.namelist() if name.endswith("pmpzi.json")]
    assert len(documents) == 3
    for name in documents:
        errors = [e.message for e in validator.iter_errors(json.loads(archive.read(name)))]
        assert errors == [], name


def test_a_json_that_breaks_the_format_is_refused_by_the_schema(package):
    _, archive = package
    validator = jsonschema.Draft202012Validator(json.loads(archive.read("schema.json")))
    doc = unit_json(archive, json.loads(archive.read("index.json"))["period"]["year"], "KKA")
    doc["tpi"]["scores"]["total"] = 87.5  # a float, not the exact decimal string
    assert not validator.is_valid(doc)


def test_the_workbook_has_the_sheets_and_the_values_of_the_json(proposed, package):
    _, archive = package
    year = proposed["kka"].period.year
    doc = unit_json(archive, year, "KKA")
    book = openpyxl.load_workbook(io.BytesIO(archive.read(f"{year}/KKA/pmpzi.xlsx")))
    assert book.sheetnames == ["Unit", "Skor", "Jawaban (TPI)", "Data dukung"]
    unit = {row[0]: row[1] for row in book["Unit"].iter_rows(values_only=True)}
    assert unit["Kode unit"] == "KKA" and unit["Periode"] == year
    total = next(r for r in book["Skor"].iter_rows(values_only=True) if r[0] == "Total")
    assert total[5] == pytest.approx(float(Decimal(doc["tpi"]["scores"]["total"])))
    answers = list(book["Jawaban (TPI)"].iter_rows(values_only=True))
    assert len(answers) == 1 + len(doc["tpi"]["items"])
    links = [row[7] for row in book["Data dukung"].iter_rows(min_row=2, values_only=True)]
    assert sorted(links) == sorted(e["download_url"] or e["external_url"] for e in doc["evidence"])


def test_the_package_is_for_the_admin_and_tpn_only(proposed, personas):
    year = proposed["kka"].period.year
    tpn = services.report_request(kind="pmpzi_export", params={"period": year},
                                  by=personas["tpn"])  # fmt: skip
    assert tpn.params == {"period": year, "scope": "tpn"}
    for name in ("operator", "reviewer", "tpi", "pimpinan", "outsider"):
        with pytest.raises(ReportError, match="KemenPAN-RB hanya untuk Admin nasional dan TPN"):
            services.report_request(kind="pmpzi_export", params={"period": year}, by=personas[name])


def test_the_package_is_refused_while_nothing_was_proposed(period, personas):
    with pytest.raises(ReportError, match="Belum ada unit yang diusulkan"):
        services.report_request(
            kind="pmpzi_export", params={"period": period.year}, by=personas["admin"]
        )


def test_the_pages_offer_the_package_to_who_may_ask(proposed, client_for):
    period = proposed["kka"].period
    page = client_for("admin").get(reverse("assessments:proposals", args=[period.pk]))
    assert 'value="pmpzi_export"' in page.content.decode()
    for persona, offered in (("tpn", True), ("admin", True), ("operator", False), ("tpi", False)):
        page = client_for(persona).get(reverse("reports:list")).content.decode()
        assert ('value="pmpzi_export"' in page) is offered, persona


def test_cli_writes_the_package(proposed, tmp_path, capsys):
    out = tmp_path / "pmpzi.zip"
    year = str(proposed["kka"].period.year)
    call_command("render_report", "pmpzi", "--period", year, "--out", str(out))
    assert "index.json" in zipfile.ZipFile(out).namelist()
    assert "(3 unit)" in capsys.readouterr().out
    with pytest.raises(CommandError, match="Admin nasional dan TPN"):
        call_command("render_report", "pmpzi_export", "--period", year, "--as",
                     "operator.a@example.id", "--out", str(out))  # fmt: skip


def test_the_file_is_reused_until_something_in_it_changes(proposed, package, personas):
    job, _ = package
    params = {"period": proposed["kka"].period.year}
    again = services.report_request(kind="pmpzi_export", params=params, by=personas["admin"])
    assert again.status == JobStatus.DONE and again.sha256 == job.sha256
    type(proposed["kka"]).objects.filter(pk=proposed["kka"].pk).touch()  # e.g. a new answer
    changed = services.report_request(kind="pmpzi_export", params=params, by=personas["admin"])
    assert changed.status != JobStatus.DONE


def test_a_changed_deadline_renders_a_new_file(proposed, package, personas):
    job, _ = package
    period = proposed["kka"].period
    period.deadline_evaluasi = period.deadline_evaluasi.replace(day=1)
    period.save()
    again = run({"period": period.year}, personas["admin"])
    assert again.pk != job.pk and again.status == JobStatus.DONE
    assert again.sha256 != job.sha256
    archive = zipfile.ZipFile(io.BytesIO(again.file.read()))
    deadlines = unit_json(archive, period.year, "KKA")["assessment"]["period_deadlines"]
    assert deadlines["evaluasi"] == period.deadline_evaluasi.isoformat()

"""The LKE workbook as a report: asked for from the assessment page (one unit) or the proposals
page (every proposed unit of a period, one ZIP), built by the worker, holding only what the
person who asked may see."""

import csv
import io
import zipfile

import openpyxl
import pytest
from django.core.management import CommandError, call_command
from django.urls import reverse

from assessments.models import Layer, Status
from assessments.worksheet.scores import layer_results
from core.errors import ReportError
from reports import services, worker
from reports.kinds import may_read
from reports.lke_workbook.archive import write_workbook_zip
from reports.models import JobStatus
from tests.assessments.helpers import answer_all
from tests.factories import AssessmentFactory, UnitFactory
from units.models import UnitKind


def run(kind, params, user):
    job = services.report_request(kind=kind, params=params, by=user)
    worker.report_run(job_id=job.pk)
    job.refresh_from_db()
    return job


def rekap_total(xlsx: bytes) -> dict[str, float]:
    """The total of each layer column of the Rekap, as a viewer without recalculation sees it."""
    sheet = openpyxl.load_workbook(io.BytesIO(xlsx), data_only=True)["Rekap"]
    rows = list(sheet.iter_rows(values_only=True))
    header = next(r for r in rows if r[0] == "No.")
    total = next(r for r in rows if r[1] == "NILAI TOTAL")
    return {label: value for label, value in zip(header[4:], total[4:], strict=True) if label}


@pytest.fixture
def scored(assessment, personas):
    answer_all(assessment, Layer.SELF, personas["operator"], through_service=False)
    answer_all(assessment, Layer.TPI, personas["tpi"], through_service=False)
    assessment.answers.filter(layer=Layer.TPI, question__code__startswith="P2").delete()
    assessment.status = Status.TPI_REVIEW
    assessment.save()
    return assessment


def test_the_unit_gets_its_workbook_without_the_layers_it_may_not_see_yet(
    scored, personas, storage
):
    job = run("lke_workbook", {"assessment": scored.pk}, personas["operator"])
    assert job.status == JobStatus.DONE and job.progress == 100
    assert job.filename == f"LKE-KKA-{scored.period.year}.xlsx"
    assert job.params["layers"] == [Layer.SELF, Layer.PRELIMINARY]  # TPI has not decided yet
    totals = rekap_total(job.file.read())
    assert list(totals) == ["Mandiri (unit)", "Reviu pendahuluan"]
    assert totals["Mandiri (unit)"] == pytest.approx(100.0)


def test_tpi_gets_its_layer_and_its_file_is_not_given_to_the_unit(scored, personas, storage):
    job = run("lke_workbook", {"assessment": scored.pk}, personas["tpi"])
    assert job.params["layers"] == [Layer.SELF, Layer.PRELIMINARY, Layer.TPI]
    tpi = layer_results(scored, [Layer.TPI])[Layer.TPI]
    assert rekap_total(job.file.read())["TPI"] == pytest.approx(float(tpi.total), abs=1e-9)
    assert not may_read("lke_workbook", job.params, personas["operator"])
    mine = services.report_request(
        kind="lke_workbook", params={"assessment": scored.pk}, by=personas["operator"]
    )
    assert mine.sha256 != job.sha256  # a file of its own, without TPI's layer


def test_a_unit_outside_the_scope_is_unknown(scored, personas):
    for name in ("operator_b", "outsider"):
        with pytest.raises(ReportError, match="Penilaian tidak dikenal"):
            services.report_request(
                kind="lke_workbook", params={"assessment": scored.pk}, by=personas[name]
            )


@pytest.fixture
def proposed(period, tree, personas, assessment):
    """Two units proposed to TPN (one granted since) and one still with TPI."""
    units = [tree.kankemenag_a, tree.kankemenag_b]
    assessment.delete()
    out = []
    for unit, status in zip(units, (Status.PROPOSED, Status.GRANTED), strict=True):
        item = AssessmentFactory(period=period, unit=unit, status=status)
        answer_all(item, Layer.TPI, personas["tpi"], through_service=False)
        out.append(item)
    AssessmentFactory(period=period, unit=tree.madrasah_a, status=Status.TPI_REVIEW)
    return out


def test_the_period_zip_holds_one_workbook_per_proposed_unit_with_the_portals_totals(
    proposed, personas, storage
):
    job = run("lke_workbook_zip", {"period": proposed[0].period.year}, personas["admin"])
    assert job.status == JobStatus.DONE and job.progress == 100
    assert job.filename == f"LKE-usulan-TPN-{proposed[0].period.year}.zip"
    archive = zipfile.ZipFile(io.BytesIO(job.file.read()))
    year = proposed[0].period.year
    assert sorted(archive.namelist()) == sorted(
        ["daftar.csv", f"LKE-KKA-{year}.xlsx", f"LKE-KKB-{year}.xlsx"]
    )
    for assessment in proposed:
        tpi = layer_results(assessment, [Layer.TPI])[Layer.TPI]
        xlsx = archive.read(f"LKE-{assessment.unit.code}-{year}.xlsx")
        assert rekap_total(xlsx)["TPI"] == pytest.approx(float(tpi.total), abs=1e-9)
    rows = list(csv.reader(io.StringIO(archive.read("daftar.csv").decode("utf-8-sig"))))
    assert [row[0] for row in rows[1:]] == ["KKA", "KKB"]


def test_the_period_zip_is_for_the_admin_and_tpn_only(proposed, personas):
    year = proposed[0].period.year
    tpn = services.report_request(
        kind="lke_workbook_zip", params={"period": year}, by=personas["tpn"]
    )
    assert tpn.params == {"period": year, "scope": "tpn"}
    for name in ("operator", "reviewer", "tpi", "pimpinan"):
        with pytest.raises(ReportError, match="Admin nasional dan TPN"):
            services.report_request(
                kind="lke_workbook_zip", params={"period": year}, by=personas[name]
            )


def test_the_period_zip_is_refused_while_nothing_was_proposed(period, personas):
    with pytest.raises(ReportError, match="Belum ada unit yang diusulkan"):
        services.report_request(
            kind="lke_workbook_zip", params={"period": period.year}, by=personas["admin"]
        )


def test_the_pages_offer_the_workbook_to_who_may_ask(proposed, client_for):
    assessment = proposed[0]
    page = client_for("operator").get(reverse("assessments:detail", args=[assessment.pk]))
    assert 'value="lke_workbook"' in page.content.decode()
    page = client_for("admin").get(reverse("assessments:proposals", args=[assessment.period.pk]))
    assert 'value="lke_workbook_zip"' in page.content.decode()


@pytest.mark.parametrize(
    ("persona", "offered"), [("tpn", True), ("admin", True), ("operator", False), ("tpi", False)]
)
def test_the_reports_page_offers_the_period_zip_to_tpn_and_the_admin(
    client, personas, persona, offered
):
    client.force_login(personas[persona])
    page = client.get(reverse("reports:list")).content.decode()
    assert ('value="lke_workbook_zip"' in page) is offered


def test_cli_writes_a_units_workbook_and_the_period_zip(proposed, tmp_path, capsys):
    out = tmp_path / "lke.xlsx"
    year = str(proposed[0].period.year)
    call_command("render_report", "lke_workbook", "--unit", "KKA", "--period", year,
                 "--out", str(out))  # fmt: skip
    assert list(rekap_total(out.read_bytes())) == ["Mandiri (unit)", "Reviu pendahuluan", "TPI",
                                                   "TPN"]  # fmt: skip
    archive = tmp_path / "lke.zip"
    call_command("render_report", "lke_workbook_zip", "--period", year, "--out", str(archive))
    assert len(zipfile.ZipFile(archive).namelist()) == 3
    assert "(2 unit)" in capsys.readouterr().out
    with pytest.raises(CommandError):
        call_command("render_report", "lke_workbook_zip", "--period", "1999", "--out",
                     str(archive))  # fmt: skip


@pytest.mark.parametrize("units", [1, 12])
def test_the_period_zip_reads_its_units_in_a_fixed_number_of_queries(
    period, tree, personas, units, django_assert_max_num_queries
):
    """Answers, prior predicates and evidence are read per chunk of units, not per unit."""
    for n in range(units):
        unit = UnitFactory(kind=UnitKind.MADRASAH, parent=tree.kankemenag_a, code=f"MZ{n:03d}")
        proposed = AssessmentFactory(period=period, unit=unit, status=Status.TPN_EVALUATION)
        answer_all(proposed, Layer.TPI, personas["tpi"], through_service=False)
    write_workbook_zip(period=period, reader=personas["admin"], out=io.BytesIO())  # warm caches
    with django_assert_max_num_queries(6):
        assert (
            write_workbook_zip(period=period, reader=personas["admin"], out=io.BytesIO()) == units
        )


def test_the_cli_refuses_the_period_zip_for_an_account_that_may_not_ask(proposed, tmp_path):
    with pytest.raises(CommandError, match="Admin nasional dan TPN"):
        call_command("render_report", "lke_workbook_zip", "--period",
                     str(proposed[0].period.year), "--as", "operator.a@example.id",
                     "--out", str(tmp_path / "x.zip"))  # fmt: skip

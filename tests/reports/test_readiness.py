"""National readiness report: every assessment of a period with its self and TPI totals from
the one scoring engine, grouped per Kanwil/Eselon I, ranked, and rendered as XLSX, CSV and PDF
with the same numbers."""

import csv
import io
import subprocess

import pytest
from openpyxl import load_workbook

from areas import scoring
from areas.labels import format_score
from areas.results import display
from assessments.models import Answer, Layer, PredicateAward, Stage, Status
from assessments.stages.awards import prior_predicate
from assessments.worksheet.scores import layer_results
from reports import readiness, readiness_export
from reports.readiness import ReadinessFilters
from tests.assessments.helpers import answer_all
from tests.factories import AssessmentFactory, PeriodFactory, UnitFactory
from units.models import UnitKind

MID = {"yes_no": "Ya", "abc": "B", "abcd": "B", "abcde": "C", "percent": 50, "survey_index": 3}
LOW = {"yes_no": "Tidak", "abc": "C", "abcd": "C", "abcde": "D", "percent": 20, "survey_index": 2}


def _mid(question):
    return MID[question.answer_type]


def _low(question):
    return LOW[question.answer_type]


def _assess(period, unit, status, by, *, own=None, tpi=None):
    """An assessment whose self/TPI layers are answered with `own`/`tpi` (a value_for), or
    left empty when None; "best" answers everything at its best."""
    a = AssessmentFactory(period=period, unit=unit, status=status)
    for layer, value_for in ((Layer.SELF, own), (Layer.TPI, tpi)):
        if value_for == "best":
            answer_all(a, layer, by, through_service=False)
        elif value_for is not None:
            answer_all(a, layer, by, value_for=value_for, through_service=False)
    return a


@pytest.fixture
def national(period, tree, personas):
    """Units in every kind of group: under a Kanwil, a Kanwil itself, under an Eselon I, and a
    PTKIN straight under Pusat (group "Pusat")."""
    op = personas["operator"]
    eselon = UnitFactory(
        code="E1-PENDIS", name="Ditjen Pendidikan Islam", kind=UnitKind.ESELON1,
        parent=tree.pusat, province="DKI Jakarta",
    )  # fmt: skip
    uin = UnitFactory(
        code="UIN-WS", name="UIN Walisongo Semarang", kind=UnitKind.PTKIN, parent=eselon
    )
    stain = UnitFactory(
        code="STAIN-X", name="STAIN Contoh Pusat", kind=UnitKind.PTKIN, parent=tree.pusat
    )
    return {
        "KKA": _assess(period, tree.kankemenag_a, Status.TPI_PASSED, op, own="best", tpi=_mid),
        "MINA": _assess(period, tree.madrasah_a, Status.SUBMITTED, op, own=_mid),
        "KWB": _assess(period, tree.kanwil_b, Status.TPI_REVIEW, op, own=_low, tpi=_low),
        "KKB": _assess(period, tree.kankemenag_b, Status.PENCANANGAN, op),
        "UIN-WS": _assess(period, uin, Status.PEMBANGUNAN, op, own=_low),
        "STAIN-X": _assess(period, stain, Status.PROPOSED, op, own="best", tpi="best"),
    }


def _by_code(rows):
    return {row.unit_code: row for row in rows}


def _engine(assessment):
    results = layer_results(
        assessment, [Layer.SELF, Layer.TPI], prior_predicate=prior_predicate(assessment)
    )
    return {layer: float(display(result.total)) for layer, result in results.items()}


def test_rows_group_units_under_their_kanwil_or_eselon_i(period, national, tree):
    rows = _by_code(readiness.readiness_rows(ReadinessFilters(period)))
    assert rows["KKA"].group_name == tree.kanwil_a.name
    assert rows["MINA"].group_name == tree.kanwil_a.name  # two levels below the Kanwil
    assert rows["KWB"].group_name == tree.kanwil_b.name  # a Kanwil is its own group
    assert rows["KKB"].group_name == tree.kanwil_b.name
    assert rows["UIN-WS"].group_name == "Ditjen Pendidikan Islam"
    assert rows["STAIN-X"].group_name == "Pusat"
    assert rows["KKA"].kind_label == "Kankemenag" and rows["MINA"].stage == Stage.PEMBANGUNAN


def test_rows_carry_the_engines_totals_progress_and_eligibility(period, national):
    rows = _by_code(readiness.readiness_rows(ReadinessFilters(period)))
    for code, assessment in national.items():
        engine = _engine(assessment)
        answered = Answer.objects.filter(assessment=assessment, layer=Layer.SELF).exists()
        scored_tpi = Answer.objects.filter(assessment=assessment, layer=Layer.TPI).exists()
        assert readiness.num(rows[code].self_total) == (engine["self"] if answered else None)
        assert readiness.num(rows[code].tpi_total) == (engine["tpi"] if scored_tpi else None)
    kka = rows["KKA"]
    assert kka.self_answered == kka.item_count == 113 and kka.self_progress == 1.0
    assert kka.basis == "tpi" and kka.wbk_eligible is False  # TPI's mid answers fail WBK
    assert rows["STAIN-X"].basis == "tpi" and rows["STAIN-X"].wbk_eligible is True
    assert rows["STAIN-X"].area_percents == tuple(scoring.Decimal(100) for _ in range(6))
    assert rows["MINA"].basis == "self" and rows["MINA"].tpi_total is None
    assert rows["KKB"].basis is None and rows["KKB"].self_total is None
    assert rows["KKB"].wbk_eligible is None and rows["KKB"].rank is None


def test_eligibility_falls_back_to_the_self_layer_when_tpi_has_not_scored(period, tree, personas):
    a = _assess(period, tree.kankemenag_a, Status.TPI_REVIEW, personas["operator"], own="best")
    (row,) = readiness.readiness_rows(ReadinessFilters(period))
    self_result = layer_results(a, [Layer.SELF])[Layer.SELF]
    assert row.basis == "self" and row.wbk_eligible is True
    assert row.wbk_eligible == self_result.predicates["WBK"].eligible
    assert row.area_percents == tuple(area.percent for area in self_result.areas)


def test_wbbm_eligibility_counts_a_predicate_held_from_an_earlier_year(period, tree, personas):
    a = _assess(period, tree.kankemenag_a, Status.PROPOSED, personas["tpi"], tpi="best")
    (row,) = readiness.readiness_rows(ReadinessFilters(period))
    assert row.wbk_eligible is True and row.wbbm_eligible is False  # no WBK held yet
    PredicateAward.objects.create(unit=a.unit, year=2024, predicate="WBK", sk_number="1/2024")
    PredicateAward.objects.create(
        unit=a.unit, year=2026, predicate="WBK", sk_number="9/2026", assessment=a
    )  # this period's own award is not a prior predicate (nor is a later one)
    (row,) = readiness.readiness_rows(ReadinessFilters(period))
    assert row.wbbm_eligible is True


def test_filters_by_province_kind_and_stage(period, national):
    def codes(**kwargs):
        return {r.unit_code for r in readiness.readiness_rows(ReadinessFilters(period, **kwargs))}

    assert codes(province="DI Yogyakarta") == {"KWB", "KKB"}
    assert codes(kind=UnitKind.PTKIN) == {"UIN-WS", "STAIN-X"}
    assert codes(stage=Stage.PENILAIAN) == {"KWB"}
    assert codes(stage=Stage.PEMBANGUNAN) == {"MINA", "UIN-WS"}
    assert codes(province="DI Yogyakarta", kind=UnitKind.KANWIL) == {"KWB"}
    assert codes(province="Papua") == set()


def test_unknown_kind_or_stage_is_refused_in_indonesian(period):
    with pytest.raises(ValueError, match="Jenis unit tidak dikenal"):
        ReadinessFilters(period, kind="kecamatan")
    with pytest.raises(ValueError, match="Tahap tidak dikenal"):
        ReadinessFilters(period, stage="selesai")


def test_ranking_is_dense_and_descending_on_the_best_available_layer(period, national):
    rows = readiness.readiness_rows(ReadinessFilters(period))
    ranked = [r for r in rows if r.rank is not None]
    assert [r.rank for r in ranked] == sorted(r.rank for r in ranked)
    best = [readiness.num(r.best_total) for r in ranked]
    assert best == sorted(best, reverse=True)
    assert sorted({r.rank for r in ranked}) == list(range(1, len(set(best)) + 1))  # no gaps
    by_code = _by_code(rows)
    assert by_code["STAIN-X"].rank == 1  # TPI 100
    # UIN's self layer and Kanwil B's TPI layer hold the same low answers: one shared rank.
    assert by_code["UIN-WS"].rank == by_code["KWB"].rank
    assert rows[-1].unit_code == "KKB"  # unscored units come last, without a rank
    # The rank is national: filtering the report does not renumber it.
    (kwb,) = readiness.readiness_rows(ReadinessFilters(period, kind=UnitKind.KANWIL))
    assert kwb.rank == by_code["KWB"].rank > 1


def test_xlsx_cells_hold_the_engines_numbers_with_frozen_header_and_autofilter(period, national):
    filters = ReadinessFilters(period)
    rows = readiness.readiness_rows(filters)
    book = load_workbook(io.BytesIO(readiness_export.render_xlsx(rows, filters)))
    assert book.sheetnames[:2] == ["Ringkasan", "Semua unit"]
    assert {"Pusat", "Ditjen Pendidikan Islam", "Kanwil Jawa Tengah"} <= set(book.sheetnames)
    sheet = book["Semua unit"]
    header = [cell.value for cell in sheet[1]]
    assert sheet.freeze_panes == "A2"
    assert sheet.auto_filter.ref == f"A1:{sheet.cell(1, len(header)).column_letter}7"
    own, tpi, progress = (
        header.index(h) for h in ("Nilai mandiri", "Nilai TPI", "Progres mandiri")
    )
    found = {}
    for line in sheet.iter_rows(min_row=2):
        found[line[header.index("Kode")].value] = line
    for code, assessment in national.items():
        engine = _engine(assessment)
        line = found[code]
        for index, layer in ((own, "self"), (tpi, "tpi")):
            if line[index].value is not None:
                assert line[index].value == engine[layer]
                assert isinstance(line[index].value, int | float)  # a number, not text
                assert line[index].number_format == "0.00"
    assert found["KKA"][progress].value == 1 and found["KKA"][progress].number_format == "0%"
    assert found["KKB"][own].value is None
    group = book["Kanwil Jawa Tengah"]
    assert group.freeze_panes == "A2" and group.auto_filter.ref.endswith("3")
    assert {line[1].value for line in group.iter_rows(min_row=2)} == {"KKA", "MINA"}


def test_xlsx_summary_counts_stages_groups_and_eligibility(period, national):
    filters = ReadinessFilters(period)
    data = readiness_export.render_xlsx(readiness.readiness_rows(filters), filters)
    summary = load_workbook(io.BytesIO(data))["Ringkasan"]
    lines = {row[0]: row[1:] for row in summary.iter_rows(values_only=True) if row and row[0]}
    assert lines["Pencanangan"][:2] == (1, 6)  # 1 unit in it, 6 reached it
    assert lines["Pembangunan"][:2] == (2, 5)
    assert lines["Evaluasi & penetapan"][:2] == (1, 1)
    assert lines["WBK"][:2] == (1, 0)  # STAIN-X at TPI; none on self answers alone
    kanwil_a = lines["Kanwil Jawa Tengah"]
    assert kanwil_a[0] == 2


def test_csv_parses_back_with_the_same_numbers(period, national):
    filters = ReadinessFilters(period)
    data = readiness_export.render_csv(readiness.readiness_rows(filters), filters)
    assert data.startswith(b"\xef\xbb\xbf")
    parsed = list(csv.DictReader(io.StringIO(data.decode("utf-8-sig"))))
    assert len(parsed) == 6
    by_code = {line["Kode"]: line for line in parsed}
    for code, assessment in national.items():
        engine = _engine(assessment)
        for column, layer in (("Nilai mandiri", "self"), ("Nilai TPI", "tpi")):
            if by_code[code][column]:
                assert float(by_code[code][column]) == engine[layer]
    assert by_code["KKB"]["Nilai mandiri"] == "" and by_code["KKB"]["Peringkat"] == ""
    assert by_code["STAIN-X"]["Memenuhi WBK"] == "Ya"
    assert by_code["MINA"]["Dasar kelayakan"] == "Mandiri"
    assert by_code["UIN-WS"]["Nama unit"] == "UIN Walisongo Semarang"


def _pdf_text(data: bytes, tmp_path) -> str:
    path = tmp_path / "report.pdf"
    path.write_bytes(data)
    return subprocess.run(
        ["pdftotext", "-layout", str(path), "-"],  # noqa: S607 (poppler-utils)
        capture_output=True,
        check=True,
        text=True,
    ).stdout


def test_pdf_shows_the_units_their_totals_and_page_numbers(period, national, tmp_path):
    filters = ReadinessFilters(period)
    rows = readiness.readiness_rows(filters)
    data = readiness_export.render_pdf(rows, filters)
    assert data.startswith(b"%PDF")
    text = _pdf_text(data, tmp_path)
    assert "Laporan kesiapan nasional Zona Integritas" in text
    for assessment in national.values():
        assert assessment.unit.name in text
    for row in rows:
        for total in (row.self_total, row.tpi_total):
            if total is not None:
                assert format_score(total) in text  # e.g. 100,00
    assert "Halaman 1 dari" in text
    assert "Tahapan (jumlah unit per tahap)" in text and "Ringkasan per Kanwil/Eselon I" in text
    assert "Ditjen Pendidikan Islam" in text and "Pusat" in text


def test_pdf_lines_wrap_a_long_name_inside_its_column():
    name = "Fakultas Ekonomi dan Bisnis Islam Universitas Islam Negeri Sunan Kalijaga Yogyakarta"
    text = readiness_export.pdf_line([1, "UIN-SUKA-F1", name, "Fakultas/unit PTKIN", "Pembangunan",
                               "88,10", "–", "113/113", "80%", "Ya*", "Tidak*"])  # fmt: skip
    lines = text.split("\n")
    first = lines[0]
    assert "88,10" in first and "80%" in first and "Ya*" in first and "Yogyakarta" in lines[-1]
    name_at = first.index("Fakultas Ekonomi")
    assert (
        " ".join(
            " ".join(line[name_at : name_at + readiness_export.PDF_COLUMNS[2][0]].split())
            for line in lines
        )
        == name
    )


def test_an_empty_period_renders_every_format(lke, tree, tmp_path):
    empty = PeriodFactory(year=2031, lke_version=lke)
    filters = ReadinessFilters(empty)
    rows = readiness.readiness_rows(filters)
    assert rows == []
    book = load_workbook(io.BytesIO(readiness_export.render_xlsx(rows, filters)))
    assert book.sheetnames == ["Ringkasan", "Semua unit"]
    assert book["Semua unit"].max_row == 1
    lines = readiness_export.render_csv(rows, filters).decode("utf-8-sig").splitlines()
    assert len(lines) == 1 and lines[0].startswith("Peringkat,Kode,Nama unit")
    text = _pdf_text(readiness_export.render_pdf(rows, filters), tmp_path)
    assert "Tidak ada penilaian" in text


def test_readiness_rows_reads_a_constant_number_of_queries(
    period, tree, personas, django_assert_max_num_queries
):
    op = personas["operator"]
    _assess(period, tree.kankemenag_a, Status.TPI_REVIEW, op, own="best", tpi=_mid)
    readiness.readiness_rows(ReadinessFilters(period))  # builds the cached instrument
    # Two of them count the evidence completeness (assessments.evidence.completeness), one
    # reads the revocations that bar a proposal (assessments.stages.awards.revocation_bars).
    with django_assert_max_num_queries(8):
        assert len(readiness.readiness_rows(ReadinessFilters(period))) == 1
    for n in range(49):
        unit = UnitFactory(kind=UnitKind.MADRASAH, parent=tree.kankemenag_a, code=f"M{n:03d}")
        _assess(period, unit, Status.TPI_REVIEW, op, own=_mid, tpi=_low if n % 2 else None)
    with django_assert_max_num_queries(8):
        assert len(readiness.readiness_rows(ReadinessFilters(period))) == 50


def test_sheet_names_are_short_valid_and_unique():
    names = readiness_export.sheet_names(
        [
            "Kantor Wilayah Kementerian Agama Provinsi Kalimantan Selatan",
            "Kantor Wilayah Kementerian Agama Provinsi Kalimantan Selatan",
            "Direktorat Jenderal Bimbingan Masyarakat Kristen",
            "A/B: [x]?*",
            "ringkasan",
        ],
        taken=["Ringkasan", "Semua unit"],
    )
    assert names[0] == "Kanwil Kalimantan Selatan"
    assert names[1] == "Kanwil Kalimantan Selatan (2)"
    assert names[2] == "Ditjen Bimas Kristen"
    assert all(len(n) <= 31 and not set(n) & set("[]:*?/\\") for n in names)
    assert len({n.casefold() for n in names} | {"ringkasan", "semua unit"}) == len(names) + 2


def test_cli_writes_the_file_and_refuses_bad_parameters(period, national, tmp_path):
    out = tmp_path / "kesiapan.xlsx"
    size = readiness_export.readiness_cli(period_year=2026, fmt="xlsx", out=str(out), kind="ptkin")
    assert size == out.stat().st_size > 0
    rows = list(load_workbook(out)["Semua unit"].iter_rows(min_row=2, values_only=True))
    assert {row[1] for row in rows} == {"UIN-WS", "STAIN-X"}
    with pytest.raises(ValueError, match="Periode 1999 tidak ditemukan"):
        readiness_export.readiness_cli(period_year=1999, fmt="pdf", out=str(out))
    with pytest.raises(ValueError, match="Format tidak dikenal"):
        readiness_export.readiness_cli(period_year=2026, fmt="docx", out=str(out))
    with pytest.raises(ValueError, match="Tahap tidak dikenal"):
        readiness_export.readiness_cli(period_year=2026, fmt="csv", out=str(out), stage="x")


def test_filename_names_the_period_and_the_filters(period):
    assert readiness_export.readiness_filename(ReadinessFilters(period), "pdf") == (
        "laporan-kesiapan-2026.pdf"
    )
    filters = ReadinessFilters(period, province="DI Yogyakarta", kind="kanwil", stage="penilaian")
    assert readiness_export.readiness_filename(filters, "csv") == (
        "laporan-kesiapan-2026-di-yogyakarta-kanwil-penilaian.csv"
    )

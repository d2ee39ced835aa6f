"""`lke_score FILE [--lke YEAR] [--json]`: the worksheet's numbers from the command line."""

import json
from pathlib import Path

import pytest
from django.core.management import CommandError, call_command

CASES = Path(__file__).parent / "cases"


@pytest.mark.parametrize("name", ["worked-example", "random-high", "random-mid", "random-sparse"])
def test_json_output_equals_the_expected_breakdown(lke, capsys, name):
    call_command("lke_score", str(CASES / f"{name}.json"), "--json")
    printed = json.loads(capsys.readouterr().out)
    assert printed == json.loads((CASES / f"{name}.expected.json").read_text())


def test_table_output_is_indonesian_and_names_failed_rules(lke, capsys):
    call_command("lke_score", str(CASES / "worked-example.json"), "--lke", "2021")
    out = capsys.readouterr().out
    assert "NILAI TOTAL 95.69" in out
    assert "WBK: memenuhi syarat" in out
    assert "Hasil II: pelayanan prima (IPKP): 15.31 < 15.75" in out


def test_invalid_entries_exit_2_with_one_line_each(lke, tmp_path, capsys):
    bad = tmp_path / "bad.json"
    bad.write_text(
        json.dumps(
            {
                "answers": {"P1.1.a": "Mungkin", "Z9.9.z": "A", "R1.1.a": -5},
                "hasil": {"H1.1.a": 7},
            }
        )
    )
    with pytest.raises(CommandError) as error:
        call_command("lke_score", str(bad))
    assert error.value.returncode == 2
    lines = capsys.readouterr().err.strip().splitlines()
    assert len(lines) == 4
    assert lines[0].startswith("P1.1.a: label 'Mungkin' not offered")


def test_unknown_lke_year_exits_2(lke, capsys):
    with pytest.raises(CommandError) as error:
        call_command("lke_score", str(CASES / "worked-example.json"), "--lke", "2014")
    assert error.value.returncode == 2

"""`manage.py ikm_score FILE [--json]`: the IKM of a file of responses, the same computation
as the pages and the reports; bad input gives one line per problem and exit status 2."""

import json

import pytest
from django.core.management import CommandError, call_command


def _run(tmp_path, content, *args):
    path = tmp_path / "responses.json"
    path.write_text(content if isinstance(content, str) else json.dumps(content))
    call_command("ikm_score", str(path), *args)


def test_json_output_has_full_precision_and_the_published_ikm(tmp_path, capsys):
    _run(tmp_path, {"responses": [[4, 3, None, 4, 4, 3, 3, 2, 4],
                                  [3, 3, 3, 3, 3, 3, 3, 3, 3], [None] * 9]}, "--json")  # fmt: skip
    out = json.loads(capsys.readouterr().out)
    assert out == {
        "respondents": 2,
        "nrr": {
            "U1": 3.5,
            "U2": 3.0,
            "U3": 3.0,
            "U4": 3.5,
            "U5": 3.5,
            "U6": 3.0,
            "U7": 3.0,
            "U8": 2.5,
            "U9": 3.5,
        },  # fmt: skip
        "ikm_unit": 19 / 6,
        "ikm": 79.17,
        "mutu": "B",
        "kinerja": "Baik",
    }


def test_the_table_names_each_unsur_with_its_interval(tmp_path, capsys):
    _run(tmp_path, {"responses": [[4, 4, 4, 4, 4, 4, 4, 4, 1]]})
    out = capsys.readouterr().out
    assert "U9 Sarana dan prasarana" in out and "1.0000  D" in out
    assert "IKM: 91.67 · mutu A (Sangat baik)" in out


@pytest.mark.parametrize(
    ("content", "lines"),
    [
        ("{not json", ["not valid JSON"]),
        ({"answers": []}, ['expected a JSON object with a list under "responses"']),
        ({"responses": [[0, 1, 1, 1, 1, 1, 1, 1, 1], [1] * 8]},
         ["responses[0][0] (U1): 0 is not 1-4 or null",
          "responses[1]: expected a list of 9 values (null or 1-4)"]),
    ],
)  # fmt: skip
def test_bad_input_is_one_line_per_problem_and_exit_2(tmp_path, capsys, content, lines):
    with pytest.raises(CommandError) as failed:
        _run(tmp_path, content)
    assert failed.value.returncode == 2
    err = capsys.readouterr().err.splitlines()
    assert len(err) == len(lines)
    for line, expected in zip(err, lines, strict=True):
        assert expected in line

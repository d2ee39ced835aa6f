"""The shipped LKE 90/2021 loads complete and scores like the regulator's worksheet."""

import json
from pathlib import Path

import pytest
import yaml
from django.core.management import CommandError, call_command

from areas import scoring
from areas.instrument_db import instrument_for
from areas.models import LkeVersion, Option, PredicateRule, Question

CASES = sorted(Path(__file__).parent.joinpath("cases").glob("*.expected.json"))


def test_load_lke_ships_all_113_items_and_every_predicate_rule(lke):
    assert lke.questions.count() == 113
    assert lke.questions.filter(code__startswith="P").count() == 87
    assert lke.questions.filter(code__startswith="R").count() == 23
    rules = set(lke.predicate_rules.values_list("predicate", "metric"))
    assert ("WBBM", "prior_predicate") in rules
    assert len(rules) == 15
    assert Option.objects.filter(question__version=lke, criteria="").count() == 0
    assert not lke.areas.filter(purpose="").exists()
    assert not lke.areas.filter(examples="").exists()


def test_load_lke_twice_changes_nothing(lke):
    counts = (LkeVersion.objects.count(), Question.objects.count(), PredicateRule.objects.count())
    call_command("load_lke", verbosity=0)
    assert (
        LkeVersion.objects.count(),
        Question.objects.count(),
        PredicateRule.objects.count(),
    ) == counts


@pytest.mark.parametrize("expected_path", CASES, ids=lambda p: p.name.split(".")[0])
def test_stored_instrument_scores_each_case_exactly(lke, expected_path):
    case = json.loads(
        expected_path.with_name(expected_path.name.replace(".expected", "")).read_text()
    )
    result = scoring.score(
        instrument_for(lke), case["answers"], case.get("hasil"), case.get("prior_predicate")
    )
    assert result.as_dict() == json.loads(expected_path.read_text())


def test_loading_an_invalid_instrument_reports_each_violation_and_saves_nothing(
    db, tmp_path, capsys
):
    from areas.instrument_yaml import DEFAULT_PATH

    data = yaml.safe_load(DEFAULT_PATH.read_text())
    data["pemenuhan"][0]["indicators"][0]["weight"] = 0.9  # area 1 no longer sums to 4
    data["reform"][0]["indicators"][0]["questions"][0]["type"] = "abc"  # R1.1.a loses its %
    broken = tmp_path / "lke-broken.yaml"
    broken.write_text(yaml.safe_dump(data, allow_unicode=True))
    with pytest.raises(CommandError, match="problem"):
        call_command("load_lke", file=broken, name="Rusak", verbosity=0)
    errors = capsys.readouterr().err
    assert "pemenuhan area 1: indicator weights sum to 4.4, area weight is 4.0" in errors
    assert "R1.1.a: only percent questions take raw inputs and a formula" in errors
    assert not LkeVersion.objects.exists()


def test_every_item_ships_its_required_evidence(lke):
    assert not lke.questions.filter(required_evidence="").exists()
    assert lke.questions.get(code="P1.1.a").evidence_items[0].startswith("SK Tim Kerja")

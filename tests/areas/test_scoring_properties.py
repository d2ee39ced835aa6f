"""Properties of the LKE scoring engine that must hold for any valid set of answers."""

from decimal import Decimal

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from areas.instrument import QuestionSpec
from areas.instrument_yaml import default_instrument
from areas.scoring import hasil_points, question_score, score

INSTRUMENT = default_instrument()
# No example database: these tests must not leave a .hypothesis/ directory in the tree.
SETTINGS = settings(
    max_examples=150, deadline=None, database=None, suppress_health_check=[HealthCheck.too_slow]
)

counts = st.integers(min_value=0, max_value=500)
percents = st.decimals(min_value=0, max_value=150, places=2)
survey_indices = st.decimals(min_value=1, max_value=4, places=2)


def answer_for(question: QuestionSpec) -> st.SearchStrategy[object]:
    if question.options:
        return st.sampled_from([o.label for o in question.options])
    raw_inputs = st.fixed_dictionaries(dict.fromkeys(question.inputs, counts))
    return st.one_of(percents, percents.map(float), raw_inputs.map(lambda i: {"inputs": i}))


def hasil_for(code: str) -> st.SearchStrategy[object]:
    item = INSTRUMENT.index.hasil[code]
    if item.options:
        return st.sampled_from([o.label for o in item.options])
    return survey_indices


def maybe(strategy: st.SearchStrategy[object]) -> st.SearchStrategy[object]:
    return st.one_of(st.none(), strategy)  # None: not answered yet


answer_sets = st.fixed_dictionaries({q.code: maybe(answer_for(q)) for q in INSTRUMENT.questions})
hasil_sets = st.fixed_dictionaries({h.code: maybe(hasil_for(h.code)) for h in INSTRUMENT.hasil})
priors = st.sampled_from([None, "WBK", "WBBM"])


@SETTINGS
@given(answers=answer_sets, hasil=hasil_sets, prior=priors)
def test_total_stays_within_0_and_100(answers, hasil, prior) -> None:
    result = score(INSTRUMENT, answers, hasil, prior)

    assert 0 <= result.total <= 100
    assert all(0 <= a.percent <= 100 for a in result.areas)


@SETTINGS
@given(answers=answer_sets, hasil=hasil_sets)
def test_parts_add_up_exactly(answers, hasil) -> None:
    result = score(INSTRUMENT, answers, hasil)

    assert sum((a.total for a in result.areas), Decimal(0)) == result.pengungkit
    assert result.pemenuhan + result.reform == result.pengungkit
    assert sum((a.pemenuhan for a in result.areas), Decimal(0)) == result.pemenuhan
    assert result.pengungkit + result.hasil == result.total
    assert (
        sum(result.hasil_detail[k] for k in ("ipak", "capaian"))
        == (result.hasil_detail["birokrasi_bersih"])
    )


@SETTINGS
@given(data=st.data(), answers=answer_sets, hasil=hasil_sets)
def test_improving_one_answer_never_lowers_the_total(data, answers, hasil) -> None:
    question = data.draw(st.sampled_from(INSTRUMENT.questions), label="question")
    first, second = data.draw(answer_for(question)), data.draw(answer_for(question))
    low, high = sorted((first, second), key=lambda a: question_score(INSTRUMENT, question.code, a))

    worse = score(INSTRUMENT, answers | {question.code: low}, hasil)
    better = score(INSTRUMENT, answers | {question.code: high}, hasil)
    unanswered = score(INSTRUMENT, answers | {question.code: None}, hasil)

    assert unanswered.total <= worse.total <= better.total


@SETTINGS
@given(data=st.data(), answers=answer_sets, hasil=hasil_sets)
def test_improving_one_hasil_item_never_lowers_the_total(data, answers, hasil) -> None:
    code = data.draw(st.sampled_from([h.code for h in INSTRUMENT.hasil]), label="hasil item")
    first, second = data.draw(hasil_for(code)), data.draw(hasil_for(code))
    low, high = sorted((first, second), key=lambda a: hasil_points(INSTRUMENT, code, a))

    worse = score(INSTRUMENT, answers, hasil | {code: low})
    better = score(INSTRUMENT, answers, hasil | {code: high})

    assert worse.total <= better.total

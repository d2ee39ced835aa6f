"""The worksheet never loses what a person typed, proven in a real browser: a note typed and a
tab clicked at once is saved; a choice made offline is kept on the device and saved by itself
when the connection returns; letters and out-of-range numbers are refused with the reason
while the saved answer stays; the Indonesian decimal comma is taken; and an item that may not
be changed says so instead of pretending to save."""

import pytest
from playwright.sync_api import expect

from assessments.assessment import Layer, Status
from assessments.models import Answer, ItemReturn
from tests.assessments.helpers import MANUAL_INDEX_NOTE, attach_survey_report
from tests.e2e.conftest import NEEDS_BROWSER

pytestmark = [pytest.mark.e2e, NEEDS_BROWSER, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def open_assessment(assessment):
    assessment.status = Status.PEMBANGUNAN
    assessment.save()
    return assessment


def _worksheet(person, assessment, tab="1"):
    person.goto(f"/assessments/{assessment.pk}/worksheet/?tab={tab}")
    expect(person.page.locator("#worksheet")).to_be_visible()


def _card(page, question):
    return page.locator(f"form[data-question='{question.pk}']")


def _saved(assessment, question):
    return Answer.objects.filter(assessment=assessment, question=question, layer=Layer.SELF).first()


def test_a_note_typed_then_a_tab_clicked_at_once_is_saved(signed_in, open_assessment, lke, step):
    operator = signed_in("operator")
    question = lke.questions.filter(indicator__area__number=1).order_by("pk").first()
    with step("autosave-01-note-then-tab", operator) as page:
        _worksheet(operator, open_assessment)
        _card(page, question).locator("textarea[name=note]").fill("Notulen rapat 3 Maret")
        page.wait_for_timeout(50)  # well inside the typing pause: nothing sent yet
        page.locator("#worksheet-tab a[role=tab]", has_text="Area 2").click()
        expect(page.locator("#worksheet-tab a[role=tab].active")).to_contain_text("Area 2")
        # A web-first assertion, not a string predicate: Playwright polls a string with eval,
        # which the portal's CSP (no 'unsafe-eval') refuses once the first check is false.
        expect(page.locator("#unsaved-banner")).to_be_hidden()
    with step("autosave-02-back-after-reload", operator) as page:
        _worksheet(operator, open_assessment)
        expect(_card(page, question).locator("textarea[name=note]")).to_have_value(
            "Notulen rapat 3 Maret"
        )
    assert _saved(open_assessment, question).note == "Notulen rapat 3 Maret"
    operator.assert_clean()


def test_a_choice_made_offline_is_saved_when_the_connection_returns(
    signed_in, open_assessment, lke, step
):
    operator = signed_in("operator")
    first, second = lke.questions.filter(answer_type="yes_no").order_by("pk")[:2]
    tab = str(first.indicator.area.number)
    with step("autosave-03-offline", operator) as page:
        _worksheet(operator, open_assessment, tab=tab)
        page.context.set_offline(True)
        _card(page, first).locator("input[type=radio][value='Ya']").check()
        expect(page.locator("#unsaved-banner")).to_contain_text("1 perubahan belum tersimpan")
        expect(_card(page, first).locator("[data-save-state]")).to_contain_text("tidak ada koneksi")
        assert _saved(open_assessment, first) is None
    with step("autosave-04-back-online", operator) as page:
        page.context.set_offline(False)  # the browser says it is online: sent at once
        expect(page.locator("#unsaved-banner")).to_be_hidden(timeout=15000)
        expect(_card(page, first).locator("[data-save-state]")).to_contain_text("Tersimpan")
    assert _saved(open_assessment, first).value == "Ya"
    with step("autosave-05-crash-while-offline", operator) as page:
        page.context.set_offline(True)
        _card(page, second).locator("input[type=radio][value='Ya']").check()
        expect(page.locator("#unsaved-banner")).to_be_visible()
    page.close()  # the tab is gone before the change could leave the device
    assert _saved(open_assessment, second) is None
    operator.page = page.context.new_page()
    operator.page.context.set_offline(False)
    with step("autosave-06-restored-and-sent", operator) as page:
        _worksheet(operator, open_assessment, tab=tab)
        expect(_card(page, second).locator("input[value='Ya']")).to_be_checked()
        expect(page.locator("#unsaved-banner")).to_be_hidden(timeout=15000)
    assert _saved(open_assessment, second).value == "Ya"
    operator.problems.clear()  # the browser logs the requests refused while offline


def test_wrong_numbers_are_refused_with_the_reason_and_the_saved_answer_stays(
    signed_in, open_assessment, lke, step, personas
):
    operator = signed_in("operator")
    index = lke.questions.filter(answer_type="survey_index").order_by("pk").first()
    counts = lke.questions.exclude(inputs=[]).exclude(formula="").order_by("pk").first()
    Answer.objects.create(
        assessment=open_assessment, question=index, layer=Layer.SELF, value=3.0,
        score=0, updated_by=personas["operator"], note=MANUAL_INDEX_NOTE,
    )  # fmt: skip
    attach_survey_report(open_assessment, index, personas["operator"])  # typed: its report
    with step("autosave-07-index-out-of-range", operator) as page:
        _worksheet(operator, open_assessment, tab="hasil")
        field = _card(page, index).locator("input[name=value]")
        expect(field).to_have_value("3")  # 3.0 stored, written as typed
        field.fill("4,5")
        field.press("Tab")
        state = _card(page, index).locator("[data-save-state]")
        expect(state).to_contain_text("antara 1 dan 4")
        expect(state).to_contain_text("Jawaban tersimpan tidak berubah")
        expect(_card(page, index).locator("input[name=value]")).to_have_value("4,5")
    assert _saved(open_assessment, index).value == 3.0
    with step("autosave-08-decimal-comma", operator) as page:
        field = _card(page, index).locator("input[name=value]")
        field.fill("3,5")
        field.press("Tab")
        expect(_card(page, index).locator("[data-save-state]")).to_contain_text("Tersimpan")
        expect(_card(page, index).locator("input[name=value]")).to_have_value("3,5")
    assert _saved(open_assessment, index).value == 3.5
    with step("autosave-09-letters-in-a-count", operator) as page:
        _worksheet(operator, open_assessment, tab=str(counts.indicator.area.number))
        first = _card(page, counts).locator("input[name^=input_]").first
        for field in _card(page, counts).locator("input[name^=input_]").all():
            field.fill("7")
            field.press("Tab")
        expect(_card(page, counts).locator("[data-save-state]")).to_contain_text("Tersimpan")
        first = _card(page, counts).locator("input[name^=input_]").first
        first.fill("tujuh")
        first.press("Tab")
        expect(_card(page, counts).locator("[data-save-state]")).to_contain_text("bilangan bulat")
        expect(first).to_have_value("tujuh")  # what was typed stays to be corrected
    assert _saved(open_assessment, counts).value == {"inputs": dict.fromkeys(counts.inputs, 7)}
    operator.assert_clean()


def test_after_a_return_the_other_items_are_read_only_with_the_reason(
    signed_in, open_assessment, lke, step, personas
):
    returned, other = lke.questions.filter(indicator__area__number=1).order_by("pk")[:2]
    open_assessment.status = Status.RETURNED_PRELIMINARY
    open_assessment.save()
    ItemReturn.objects.create(
        assessment=open_assessment, question=returned, layer=Layer.PRELIMINARY,
        note="Lengkapi SK.", created_by=personas["reviewer"],
    )  # fmt: skip
    operator = signed_in("operator")
    with step("autosave-10-returned-only", operator) as page:
        _worksheet(operator, open_assessment)
        expect(_card(page, other).locator("input[name=value]").first).to_be_disabled()
        expect(_card(page, other)).to_contain_text("hanya butir yang dikembalikan")
        expect(_card(page, returned).locator("input[name=value]").first).to_be_enabled()
    operator.assert_clean()


def test_the_tab_bar_counts_a_new_answer_at_once(signed_in, open_assessment, lke, step):
    operator = signed_in("operator")
    question = lke.questions.filter(answer_type="yes_no").order_by("pk").first()
    tab = str(question.indicator.area.number)
    with step("autosave-11-tab-count", operator) as page:
        _worksheet(operator, open_assessment, tab=tab)
        count = page.locator(f"#worksheet-tab a[data-tab='{tab}'] .tab-count")
        answered, total = map(int, count.inner_text().split("/"))
        expect(page.locator(f"#worksheet-tab a[data-tab='{tab}']")).to_contain_text(
            question.indicator.area.name
        )
        _card(page, question).locator("input[type=radio][value='Ya']").check()
        expect(count).to_have_text(f"{answered + 1}/{total}")
    operator.assert_clean()


def test_typing_on_in_the_next_field_while_the_card_comes_back_is_kept(
    signed_in, open_assessment, lke, step
):
    """The first count's answer replaces the card while the person is already in the second
    count: the new card takes the focus back, so what they type next is saved, not lost."""
    operator = signed_in("operator")
    counts = lke.questions.exclude(inputs=[]).exclude(formula="").order_by("pk").first()
    with step("autosave-12-focus-kept-across-a-save", operator) as page:
        _worksheet(operator, open_assessment, tab=str(counts.indicator.area.number))
        held = []
        # Hold the first save's answer until the person has moved to the second count.
        page.route(f"**/answers/{counts.pk}/", lambda route: held.append(route))
        first, second = _card(page, counts).locator("input[name^=input_]").all()[:2]
        first.fill("7")
        first.press("Tab")
        expect(second).to_be_focused()
        for _ in range(50):  # the save is on its way and held
            if held:
                break
            page.wait_for_timeout(100)
        assert len(held) == 1
        held[0].continue_()
        page.unroute(f"**/answers/{counts.pk}/")
        expect(_card(page, counts).locator("[data-save-state]")).to_contain_text("Tidak disimpan")
        page.keyboard.type("7")  # into whatever has the focus now
        for field in _card(page, counts).locator("input[name^=input_]").all()[2:]:
            field.fill("7")
        page.keyboard.press("Tab")
        expect(_card(page, counts).locator("[data-save-state]")).to_contain_text("Tersimpan")
    assert _saved(open_assessment, counts).value == {"inputs": dict.fromkeys(counts.inputs, 7)}

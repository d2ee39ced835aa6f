"""A reviewer in a real browser: one click accepts the unit's answers for a whole area, the
keyboard moves between items, an item shows its history (where the answer came from) and
takes a comment, all without leaving the tab."""

import pytest
from playwright.sync_api import expect

from areas.models import HASIL_SECTIONS
from assessments.models import Answer, ItemComment, Layer
from tests.e2e.conftest import NEEDS_BROWSER

pytestmark = [pytest.mark.e2e, NEEDS_BROWSER, pytest.mark.django_db(transaction=True)]


def test_a_reviewer_accepts_an_area_in_one_action(signed_in, personas, in_preliminary, lke, step):
    reviewer, reviewer_user = signed_in("reviewer"), personas["reviewer"]
    area_1 = lke.questions.filter(indicator__area__number=1).exclude(
        indicator__section__in=HASIL_SECTIONS
    )
    with step("review-01-accept-area", reviewer) as page:
        reviewer.goto(f"/assessments/{in_preliminary.pk}/worksheet/?tab=1&filter=unanswered")
        page.get_by_role("button", name="Setujui nilai unit untuk semua butir Area 1").click()
        expect(page.locator("#worksheet-tab [role=status]").first).to_contain_text("Disetujui:")
        expect(page.locator("#worksheet-tab")).to_contain_text(
            "Tidak ada butir untuk saringan ini."
        )
        assert "filter=unanswered" in page.url
    copied = Answer.objects.filter(assessment=in_preliminary, layer=Layer.PRELIMINARY)
    assert sorted(copied.values_list("question__code", flat=True)) == sorted(
        area_1.values_list("code", flat=True)
    )
    with step("review-02-keyboard-and-history", reviewer) as page:
        reviewer.goto(f"/assessments/{in_preliminary.pk}/worksheet/?tab=1")
        page.locator("h1").click()
        page.keyboard.press("j")
        page.keyboard.press("j")
        cards = page.locator("article[id^='q-']")
        second = cards.nth(1)
        expect(second).to_be_focused()
        page.keyboard.press("k")
        expect(cards.nth(0)).to_be_focused()
        cards.nth(0).get_by_text("Riwayat jawaban dan pengembalian").click()
        expect(cards.nth(0).locator(".history-slot")).to_contain_text("disetujui dari Mandiri")
    with step("review-03-comment-on-the-item", reviewer) as page:
        card = page.locator("article[id^='q-']").nth(0)
        card.get_by_text("Diskusi (0)").click()
        card.locator("textarea[name=body]").fill("Mohon unggah SK yang ditandatangani.")
        card.get_by_role("button", name="Kirim komentar").click()
        card = page.locator("article[id^='q-']").nth(0)
        expect(card.locator(".item-comments")).to_contain_text("Mohon unggah SK")
        expect(card.locator(".item-comments summary")).to_contain_text("Diskusi (1)")
    assert ItemComment.objects.get().author == reviewer_user
    reviewer.assert_clean()

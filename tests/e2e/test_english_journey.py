"""Every word translated: a person who switches the portal to English reads no Indonesian on
its pages, apart from what is Indonesian by nature and marked so (lang="id": the LKE's own
wording, the instrument's evidence list, names). Proven in the browser on the pages an
operator and a reviewer use: home, the assessment, the worksheet with an item's evidence and
discussion open, the inbox, the queue."""

import re

import pytest
from playwright.sync_api import expect

from assessments import notices
from assessments.models import Layer, Status, TransitionEvent
from assessments.workflow import TRANSITIONS
from tests.assessments.helpers import answer_all
from tests.e2e.conftest import NEEDS_BROWSER

pytestmark = [pytest.mark.e2e, NEEDS_BROWSER, pytest.mark.django_db(transaction=True)]

# Everyday Indonesian words a page in English must not show (the UI's own vocabulary).
INDONESIAN = re.compile(
    r"\b(dan|yang|untuk|belum|tidak|sudah|dengan|atau|dari|pada|ini|akan|butir|penilaian|"
    r"unggah|simpan|tersimpan|lihat|catatan|lapisan|jawaban|nilai|data dukung|lembar kerja|"
    r"batas|tahap|menunggu|oleh|semua|saring|kirim|riwayat|diskusi|setujui|beranda|keluar|"
    r"masuk|geser|dikembalikan|perbaikan|lolos)\b",
    re.IGNORECASE,
)
VISIBLE_TEXT = """() => {
  document.querySelectorAll('details').forEach(d => { d.open = true; });
  const body = document.body.cloneNode(true);
  body.querySelectorAll('[lang=id], script, style, template, [hidden]').forEach(e => e.remove());
  return body.innerText;
}"""


def _indonesian_left(page) -> list[str]:
    page.wait_for_load_state("networkidle")
    return [
        line.strip() for line in page.evaluate(VISIBLE_TEXT).splitlines() if INDONESIAN.search(line)
    ]


def _switch_to_english(person):
    page = person.page
    person.goto("/")
    page.select_option("select[name=language]", "en")
    page.locator("footer form button[type=submit]").click()
    expect(page.locator("html")).to_have_attribute("lang", "en")


@pytest.fixture
def building(assessment, personas):
    assessment.status = Status.PEMBANGUNAN
    assessment.save()
    answer_all(assessment, Layer.SELF, personas["operator"], through_service=False)
    event = TransitionEvent.objects.create(
        assessment=assessment, transition="confirm_declaration",
        from_status=TRANSITIONS["confirm_declaration"].sources[0], to_status=Status.PEMBANGUNAN,
        note="", by=personas["pimpinan"],
    )  # fmt: skip
    notices.transition_made(event_id=event.pk)
    return assessment


def test_the_operator_and_the_reviewer_read_english_only(signed_in, building, step):
    operator = signed_in("operator")
    pk = building.pk
    with step("english-01-operator", operator) as page:
        operator.goto(f"/assessments/{pk}/worksheet/?tab=1")
        assert _indonesian_left(page)  # the check sees Indonesian when there is some
        _switch_to_english(operator)
        pages = {}
        for path in ("/", f"/assessments/{pk}/", f"/assessments/{pk}/worksheet/?tab=1",
                     "/notifications/"):  # fmt: skip
            operator.goto(path)
            if "worksheet" in path:
                page.locator("details[data-evidence] > summary").first.click()
                expect(page.locator(".evidence-panel").first).to_be_visible()
            pages[path] = _indonesian_left(page)
        assert pages == dict.fromkeys(pages, []), pages
        expect(page.locator("main")).to_contain_text("Declaration confirmed")

    reviewer = signed_in("reviewer")
    building.status = Status.PRELIMINARY_REVIEW
    building.save()
    with step("english-02-reviewer", reviewer) as page:
        _switch_to_english(reviewer)
        pages = {}
        for path in ("/queue/", f"/assessments/{pk}/worksheet/?tab=1"):
            reviewer.goto(path)
            pages[path] = _indonesian_left(page)
        assert pages == dict.fromkeys(pages, []), pages
    operator.assert_clean()
    reviewer.assert_clean()

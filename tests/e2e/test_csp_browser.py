"""The Content Security Policy in a real browser: the pages each role uses most, and what htmx
and Bootstrap do on them, raise no `securitypolicyviolation` (nor a script error or a server
error), and progress bars, now sized by classes instead of style="", still show their width.

Each person is signed in with a session of their own (`signed_in` in conftest.py); the role
journey proves the login form. No screenshots: these tests are about the policy, not the look."""

import pytest
from django.conf import settings

from areas.models import Question
from assessments.models import Answer, Layer, Status
from assessments.worksheet import tally
from reports.models import JobStatus, ReportJob, ReportKind
from tests.assessments.helpers import answer_all
from tests.assessments.test_evidence_files import make_pdf
from tests.e2e.conftest import NEEDS_BROWSER, expect
from tests.factories import AssessmentFactory

pytestmark = [
    pytest.mark.e2e,
    NEEDS_BROWSER,
    pytest.mark.django_db(transaction=True),
]

BAR_RATIOS = """(bars) => bars.map((bar) => ({
  percent: Number(bar.parentElement.getAttribute('aria-valuenow')),
  width: bar.getBoundingClientRect().width,
  ratio: bar.getBoundingClientRect().width / bar.parentElement.getBoundingClientRect().width,
}))"""


def progress_bars(person, selector):
    """Each progress bar's stated percent, drawn width and share of its track."""
    return person.page.eval_on_selector_all(selector, BAR_RATIOS)


def answer_partly(assessment, by, unanswered_prefix):
    """Every self-assessment item answered except those whose code starts with the prefix."""
    answer_all(assessment, Layer.SELF, by, through_service=False)
    Answer.objects.filter(
        assessment=assessment, layer=Layer.SELF, question__code__startswith=unanswered_prefix
    ).delete()
    tally.rebuild([assessment.pk])  # as every writer of answers outside the services does


def assert_widths_match(bars):
    assert bars, "no progress bar on the page"
    for bar in bars:
        assert abs(bar["ratio"] - bar["percent"] / 100) < 0.02, bar
    assert any(bar["percent"] > 0 and bar["width"] > 0 for bar in bars), bars


def test_operator_worksheet_tabs_answers_and_evidence_raise_no_violation(
    signed_in, assessment, personas, storage
):
    assessment.status = Status.PEMBANGUNAN
    assessment.save()
    answer_partly(assessment, personas["operator"], unanswered_prefix="P1.")
    operator = signed_in("operator")
    page = operator.page

    operator.goto(f"/assessments/{assessment.pk}/worksheet/", until_idle=True)
    tabs = progress_bars(operator, "#worksheet-tab .progress-tab .progress-bar")
    assert_widths_match(tabs)
    assert 0 < tabs[0]["percent"] < 100  # area 1 is partly answered
    operator.assert_clean()

    # the autosave script: a radio answer saves itself and swaps the item in
    first = page.locator("#worksheet-tab form[data-autosave] input[type=radio]").first
    item = page.locator("#worksheet-tab article[id^=q-]").first
    first.check()
    expect(item).to_contain_text("Tersimpan")
    # htmx: another tab replaces the sheet and pushes the URL
    page.get_by_role("tab", name="Area 2").click()
    page.wait_for_url("**tab=2**")
    expect(page.get_by_role("tab", name="Area 2")).to_have_attribute("aria-selected", "true")
    assert_widths_match(progress_bars(operator, "#worksheet-tab .progress-tab .progress-bar"))
    # Bootstrap: the account dropdown
    page.locator("#mainnav .dropdown-toggle").click()
    expect(page.locator("#mainnav .dropdown-menu")).to_be_visible()
    operator.assert_clean()

    # the evidence widget: its progress bars are sized from JavaScript (CSSOM, allowed)
    question = Question.objects.filter(version=assessment.period.lke_version).first()
    operator.goto(f"/assessments/{assessment.pk}/evidence/?question={question.pk}", until_idle=True)
    page.set_input_files(
        f"#evidence-files-q{question.pk}",
        files=[{"name": "notulen.pdf", "mimeType": "application/pdf", "buffer": make_pdf()}],
    )
    page.click(f"#evidence-panel-q{question.pk} > .card-body > form button[type=submit]")
    page.wait_for_selector(".evidence-list li:has-text('notulen.pdf')")
    page.wait_for_function(  # done: 100 %, once Bootstrap's width transition has run
        """() => [...document.querySelectorAll('.evidence-progress .progress-bar')].some(
          (bar) => bar.getBoundingClientRect().width > 0 && bar.getBoundingClientRect().width
            === bar.parentElement.getBoundingClientRect().width)"""
    )
    operator.assert_clean()


def test_reviewer_queue_shows_progress_without_violation(signed_in, period, tree, personas):
    waiting = AssessmentFactory(
        period=period, unit=tree.madrasah_a, status=Status.PRELIMINARY_REVIEW
    )
    answer_partly(waiting, personas["admin"], unanswered_prefix="P1.")
    reviewer = signed_in("reviewer")

    reviewer.goto("/queue/", until_idle=True)
    bars = progress_bars(reviewer, "table .progress .progress-bar")
    assert_widths_match(bars)
    assert len(bars) == 1 and 0 < bars[0]["percent"] < 100
    reviewer.assert_clean()


def test_admin_dashboard_reports_and_unit_tree_raise_no_violation(
    signed_in, assessment, personas, tree
):
    answer_partly(assessment, personas["operator"], unanswered_prefix="P1.")
    job = ReportJob.objects.create(
        kind=ReportKind.LHE,
        params={"assessment": assessment.pk},
        requested_by=personas["admin"],
        status=JobStatus.RUNNING,
        progress=40,
    )
    admin = signed_in("admin")
    page = admin.page

    admin.goto("/dashboard/", until_idle=True)
    assert page.locator("svg[role=img]").count() >= 3
    filled = page.eval_on_selector_all(
        "svg rect", "rects => rects.filter(r => r.getBoundingClientRect().width > 0).length"
    )
    assert filled > 0
    admin.assert_clean()

    admin.goto("/reports/", until_idle=True)
    admin.assert_clean()
    admin.goto(f"/reports/{job.pk}/", until_idle=True)
    assert_widths_match(progress_bars(admin, "#job-status .progress-bar"))
    with page.expect_response(lambda r: r.url.endswith(f"/reports/{job.pk}/")):
        pass  # htmx polls the job every 2 s and swaps the status in
    page.wait_for_load_state("networkidle")
    assert_widths_match(progress_bars(admin, "#job-status .progress-bar"))
    admin.assert_clean()

    admin.goto("/units/", until_idle=True)
    with page.expect_response(lambda r: "/units/?q=" in r.url):
        page.fill("#id_q", "Sleman")  # htmx search as you type
    expect(page.locator("#unit-rows")).to_contain_text(tree.kankemenag_b.name)
    admin.goto(f"/units/{tree.kanwil_a.code}/", until_idle=True)
    admin.assert_clean()

    # The Django admin runs under the same policy.
    admin.goto("/" + settings.ADMIN_URL, until_idle=True)
    admin.goto("/" + settings.ADMIN_URL + "units/user/", until_idle=True)
    page.locator("#result_list tbody input.action-select").first.check()
    expect(page.locator(".action-counter")).to_contain_text("1")
    admin.assert_clean()

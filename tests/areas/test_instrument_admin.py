"""Administrators amend the instrument through drafts; published versions never change."""

from decimal import Decimal

import pytest
from django.urls import reverse

from areas import services
from areas.models import LkeVersion, Option, Question


def _entries(*rows, initial: int = 0) -> dict:
    """The evidence dictionary part of the question form: (label, min_count[, flags...])."""
    data = {"evidence-TOTAL_FORMS": len(rows), "evidence-INITIAL_FORMS": initial}
    for i, (label, count, *flags) in enumerate(rows):
        data |= {f"evidence-{i}-label": label, f"evidence-{i}-min_count": count}
        data |= {f"evidence-{i}-{flag}": "on" for flag in flags}
    return data


@pytest.fixture
def draft(lke, personas):
    return services.version_copy(version=lke, by=personas["admin"])


def test_copy_makes_a_complete_draft(lke, draft):
    assert draft.is_draft and draft.based_on == lke
    assert draft.questions.count() == 113
    assert (
        Option.objects.filter(question__version=draft).count()
        == Option.objects.filter(question__version=lke).count()
    )
    assert draft.predicate_rules.count() == 15


def test_published_version_is_read_only(lke):
    question = lke.questions.get(code="P1.1.a")
    with pytest.raises(services.InstrumentError, match="sudah terbit"):
        services.question_update(
            question=question, text="Diubah", guidance="", options=[], requirements=[]
        )
    assert Question.objects.get(pk=question.pk).text != "Diubah"


def test_published_version_edit_pages_are_forbidden(client_for, lke):
    question = lke.questions.get(code="P1.1.a")
    response = client_for("admin").get(reverse("areas:question_edit", args=[question.pk]))
    assert response.status_code == 403


def test_admin_edits_a_question_and_its_options_in_a_draft(client_for, draft):
    question = draft.questions.get(code="P1.1.b")
    options = list(question.options.all())
    data = {
        "text": "Tim kerja dipilih melalui prosedur yang jelas",
        "guidance": "Lihat SK Tim",
        "options-TOTAL_FORMS": len(options),
        "options-INITIAL_FORMS": len(options),
        **_entries(("SK Tim Kerja", 1), ("Notulen", 1)),
    }
    for i, option in enumerate(options):
        data[f"options-{i}-id"] = option.pk
        data[f"options-{i}-score"] = "0.6" if option.label == "B" else option.score
        data[f"options-{i}-criteria"] = f"Kriteria {option.label}"
    response = client_for("admin").post(reverse("areas:question_edit", args=[question.pk]), data)
    assert response.status_code == 302
    question.refresh_from_db()
    assert question.evidence_items == ["SK Tim Kerja", "Notulen"]
    b = question.options.get(label="B")
    assert (b.score, b.criteria) == (Decimal("0.6"), "Kriteria B")


def test_option_score_above_one_is_refused_with_a_message(client_for, draft):
    question = draft.questions.get(code="P1.1.a")
    option = question.options.get(label="Ya")
    data = {
        "text": question.text, "guidance": "", **_entries(),
        "options-TOTAL_FORMS": 2, "options-INITIAL_FORMS": 2,
        "options-0-id": option.pk, "options-0-score": "2", "options-0-criteria": "",
        "options-1-id": question.options.get(label="Tidak").pk, "options-1-score": "0",
        "options-1-criteria": "",
    }  # fmt: skip
    response = client_for("admin").post(reverse("areas:question_edit", args=[question.pk]), data)
    assert response.status_code == 200
    assert "lebih kecil dari atau sama dengan 1" in response.content.decode()
    assert Option.objects.get(pk=option.pk).score == 1


def test_publish_refuses_a_draft_whose_weights_do_not_add_up(client_for, draft):
    indicator = draft.indicators.filter(section="pemenuhan").first()
    services.indicator_update(indicator=indicator, name=indicator.name, weight=Decimal("9"))
    response = client_for("admin").post(
        reverse("areas:version_publish", args=[draft.pk]), follow=True
    )
    page = response.content.decode()
    assert "belum dapat diterbitkan" in page
    assert "indicator weights sum to" in page
    assert LkeVersion.objects.get(pk=draft.pk).is_draft


def test_publish_a_sound_draft_makes_it_read_only(client_for, draft):
    client_for("admin").post(reverse("areas:version_publish", args=[draft.pk]))
    draft.refresh_from_db()
    assert not draft.is_draft and draft.published_at is not None
    with pytest.raises(services.InstrumentError):
        services.version_delete_draft(version=draft)


def test_rules_minimums_are_edited_in_a_draft(client_for, draft):
    rules = list(draft.predicate_rules.exclude(metric="prior_predicate").order_by("position"))
    data = {"rules-TOTAL_FORMS": len(rules), "rules-INITIAL_FORMS": len(rules)}
    for i, rule in enumerate(rules):
        data[f"rules-{i}-id"] = rule.pk
        data[f"rules-{i}-minimum"] = (
            "80" if (rule.predicate, rule.metric) == ("WBK", "total") else rule.minimum
        )
    client_for("admin").post(reverse("areas:rules_edit", args=[draft.pk]), data)
    assert draft.predicate_rules.get(predicate="WBK", metric="total").minimum == 80


def test_tree_page_shows_every_question_code(client_for, lke, django_assert_max_num_queries):
    client = client_for("operator")
    client.get(reverse("home"))
    with django_assert_max_num_queries(12):
        response = client.get(reverse("areas:version", args=[lke.pk]))
    page = response.content.decode()
    assert all(code in page for code in lke.questions.values_list("code", flat=True))


def test_drafts_are_invisible_to_non_admins(client_for, draft):
    assert client_for("tpi").get(reverse("areas:version", args=[draft.pk])).status_code == 404


def test_export_download_is_an_xlsx_attachment(client_for, lke):
    response = client_for("reviewer").get(reverse("areas:version_export", args=[lke.pk]))
    assert response["Content-Disposition"].startswith("attachment;")
    assert response.content[:2] == b"PK"

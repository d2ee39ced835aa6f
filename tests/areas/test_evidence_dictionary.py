"""The evidence dictionary (kamus eviden) of the instrument: every loader gives each item its
entries (one per line of required evidence), an administrator edits them in a draft only, and a
copy or an XLSX round trip keeps every rule."""

import io

import pytest
from django.urls import reverse
from openpyxl import load_workbook

from areas import services
from areas.instrument_xlsx import export_version
from areas.instrument_xlsx_import import import_version
from areas.models import EvidenceRequirement


def _rules(question):
    return [
        (e.label, e.min_count, e.must_be_in_period, e.must_be_signed, e.carry_over_allowed)
        for e in question.evidence_requirements.all()
    ]


@pytest.fixture
def draft(lke, personas):
    return services.version_copy(version=lke, by=personas["admin"])


def test_the_loaded_instrument_has_one_entry_per_required_document(lke):
    question = lke.questions.get(code="P1.1.a")
    assert [label for label, *_rest in _rules(question)] == question.evidence_items
    assert {rules[1:] for rules in _rules(question)} == {(1, False, False, False)}
    without = lke.questions.exclude(required_evidence="").filter(evidence_requirements=None)
    assert not without.exists()


def _form(question, *rows):
    options = list(question.options.all())
    data = {
        "text": question.text, "guidance": "",
        "options-TOTAL_FORMS": len(options), "options-INITIAL_FORMS": len(options),
        "evidence-TOTAL_FORMS": len(rows), "evidence-INITIAL_FORMS": 0,
    }  # fmt: skip
    for i, option in enumerate(options):
        data |= {f"options-{i}-id": option.pk, f"options-{i}-score": option.score}
    for i, (label, count, *flags) in enumerate(rows):
        data |= {f"evidence-{i}-label": label, f"evidence-{i}-min_count": count}
        data |= {f"evidence-{i}-{flag}": "on" for flag in flags}
    return data


def test_admin_edits_the_entries_of_a_draft_item(client_for, draft):
    question = draft.questions.get(code="P1.1.a")
    url = reverse("areas:question_edit", args=[question.pk])
    client = client_for("admin")
    page = client.get(url).content.decode()
    assert 'id="evidence-dictionary"' in page and "Kamus eviden" in page
    data = _form(
        question,
        ("SK Tim Kerja ZI", 1, "must_be_signed", "carry_over_allowed"),
        ("", 1),  # a cleared row is dropped
        ("Laporan monitoring triwulan", 4, "must_be_in_period"),
    )
    assert client.post(url, data).status_code == 302
    question.refresh_from_db()
    assert _rules(question) == [
        ("SK Tim Kerja ZI", 1, False, True, True),
        ("Laporan monitoring triwulan", 4, True, False, False),
    ]
    assert question.evidence_items == ["SK Tim Kerja ZI", "Laporan monitoring triwulan"]


def test_a_count_below_one_is_refused_and_nothing_changes(client_for, draft):
    question = draft.questions.get(code="P1.1.a")
    before = _rules(question)
    response = client_for("admin").post(
        reverse("areas:question_edit", args=[question.pk]), _form(question, ("SK", 0))
    )
    assert response.status_code == 200
    assert "lebih besar dari atau sama dengan 1" in response.content.decode()
    assert _rules(question) == before


def test_a_published_versions_entries_cannot_be_edited(client_for, lke):
    question = lke.questions.get(code="P1.1.a")
    before = _rules(question)
    url = reverse("areas:question_edit", args=[question.pk])
    assert client_for("admin").post(url, _form(question, ("Lain", 1))).status_code == 403
    with pytest.raises(services.InstrumentError, match="sudah terbit"):
        services.question_update(
            question=question, text=question.text, guidance="", options=[],
            requirements=[{"label": "Lain", "min_count": 1}],
        )  # fmt: skip
    assert _rules(question) == before


def test_a_copy_and_an_xlsx_round_trip_keep_every_rule(lke, draft, personas):
    question = draft.questions.get(code="P1.1.a")
    services.question_update(
        question=question, text=question.text, guidance="", options=[],
        requirements=[
            {"label": "SK Tim Kerja", "min_count": 2, "must_be_in_period": True,
             "must_be_signed": True, "carry_over_allowed": True},
        ],
    )  # fmt: skip
    expected = _rules(question)
    copy = services.version_copy(version=draft, by=personas["admin"])
    assert _rules(copy.questions.get(code="P1.1.a")) == expected
    imported = import_version(export_version(draft), by=None)
    assert _rules(imported.questions.get(code="P1.1.a")) == expected
    assert EvidenceRequirement.objects.filter(question__version=imported).count() == (
        EvidenceRequirement.objects.filter(question__version=draft).count()
    )


def test_an_edited_tree_text_wins_over_the_dictionary_sheet_and_keeps_known_rules(draft):
    question = draft.questions.get(code="P1.1.a")
    first = question.evidence_items[0]
    services.question_update(
        question=question, text=question.text, guidance="", options=[],
        requirements=[{"label": first, "min_count": 3}],
    )  # fmt: skip
    workbook = load_workbook(io.BytesIO(export_version(draft)))
    tree = workbook["tree"]
    header = [c.value for c in tree[1]]
    row = next(r for r in tree.iter_rows(min_row=2) if r[header.index("code")].value == "P1.1.a")
    row[header.index("required_evidence")].value = f"{first}\nNotulen baru"
    out = io.BytesIO()
    workbook.save(out)
    imported = import_version(out.getvalue(), by=None)
    assert _rules(imported.questions.get(code="P1.1.a")) == [
        (first, 3, False, False, False),
        ("Notulen baru", 1, False, False, False),
    ]

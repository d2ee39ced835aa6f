"""The worksheet's item card (Jinja2, assessments/worksheet/card.py) reads as the rest of the
portal does: in the reader's language, with what people typed escaped, on the tab and alone."""

from django.urls import reverse

from assessments.models import Layer
from assessments.worksheet.services import answer_save


def _worksheet(client, assessment, tab="1"):
    return client.get(reverse("assessments:worksheet", args=[assessment.pk]) + f"?tab={tab}")


def test_the_card_speaks_indonesian_and_english(client_for, in_preliminary):
    client = client_for("reviewer")
    page = _worksheet(client, in_preliminary).content.decode()
    assert "Riwayat jawaban dan pengembalian" in page and "Tandai dikembalikan" in page
    client.post(reverse("set_language"), {"language": "en", "next": "/"})
    page = _worksheet(client, in_preliminary).content.decode()
    assert "History of answers and returns" in page and "Mark as returned" in page
    assert "Riwayat jawaban dan pengembalian" not in page


def test_what_people_typed_is_escaped_on_the_card(client_for, in_preliminary, personas):
    question = in_preliminary.period.lke_version.questions.get(code="P1.1.b")
    answer_save(
        assessment=in_preliminary,
        question=question,
        layer=Layer.PRELIMINARY,
        by=personas["reviewer"],
        value="B",
        note='<script>alert("x")</script>',
        revision=None,
    )
    page = _worksheet(client_for("reviewer"), in_preliminary).content.decode()
    assert "<script>alert" not in page
    assert "&lt;script&gt;alert(&#34;x&#34;)&lt;/script&gt;" in page


def test_a_saved_card_comes_back_alone_with_its_form_and_token(client_for, in_preliminary):
    question = in_preliminary.period.lke_version.questions.get(code="P1.1.b")
    client = client_for("reviewer")
    url = reverse("assessments:answer_save", args=[in_preliminary.pk, question.pk])
    response = client.post(url, {"value": "A", "note": "", "revision": ""}, HTTP_HX_REQUEST="true")
    card = response.content.decode()
    assert response.status_code == 200
    assert card.lstrip().startswith(f'<article id="q-{question.pk}"')
    assert 'data-save-state="saved"' in card and 'value="A" checked' in card
    assert card.count('name="csrfmiddlewaretoken"') >= 2  # the answer form and the return form

"""Refusals and failures are pages of the portal, in the reader's language, with a way back:
403 (a role that may not), 404 (nothing there, or outside one's scope), a CSRF failure (a form
open too long) and 500."""

import pytest
from django.test import Client, RequestFactory
from django.urls import reverse
from django.views.defaults import server_error

pytestmark = pytest.mark.django_db


def _in_english(client):
    client.cookies["django_language"] = "en"
    return client


def test_a_refused_page_is_the_portals_403(client_for):
    response = client_for("operator").get(reverse("assessments:period_create"))
    assert response.status_code == 403
    html = response.content.decode()
    assert "Akses ditolak" in html and "Kembali ke beranda" in html and "ZI Portal" in html


def test_a_missing_page_is_the_portals_404_in_english_too(client_for):
    client = _in_english(client_for("operator"))
    response = client.get("/tidak-ada/")
    assert response.status_code == 404
    html = response.content.decode()
    assert "Page not found" in html and "Back to the home page" in html


def test_a_stale_form_is_explained(personas):
    client = Client(enforce_csrf_checks=True)
    client.force_login(personas["operator"])
    response = client.post(reverse("notifications:read_all"))
    assert response.status_code == 403
    assert "Formulir kedaluwarsa" in response.content.decode()


def test_a_server_error_is_a_page_with_a_way_back():
    response = server_error(RequestFactory().get("/"))
    assert response.status_code == 500
    html = response.content.decode()
    assert "Terjadi kesalahan" in html and 'href="/"' in html


def test_the_language_menu_names_each_language_in_its_own_words(client_for):
    html = _in_english(client_for("operator")).get(reverse("home")).content.decode()
    assert ">Bahasa Indonesia</option>" in html and ">English</option>" in html

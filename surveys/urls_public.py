"""The public survey (no login): the form behind a unit's QR code and its thank-you page."""

from django.urls import path

from surveys import views_public

urlpatterns = [
    path("survei/<slug:token>/", views_public.take, name="take"),
    path("survei/<slug:token>/terima-kasih/", views_public.thanks, name="thanks"),
]

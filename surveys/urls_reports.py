from django.urls import path

from surveys import views_reports

urlpatterns = [
    path("hasil-survei/<int:pk>/", views_reports.results, name="results"),
    path("hasil-survei/<int:pk>/tindak-lanjut/", views_reports.follow_up, name="follow_up"),
]

from django.urls import path

from units import views_second_factor as views

app_name = "second_factor"

urlpatterns = [
    path("akun/faktor-kedua/verifikasi/", views.verify, name="verify"),
    path("akun/faktor-kedua/daftar/", views.enrol, name="enrol"),
    path("akun/keamanan/", views.security, name="security"),
    path("akun/faktor-kedua/matikan/", views.disable, name="disable"),
    path("akun/faktor-kedua/kode-pemulihan/", views.recovery_codes, name="recovery_codes"),
    path("people/<int:pk>/faktor-kedua/reset/", views.reset, name="reset"),
]

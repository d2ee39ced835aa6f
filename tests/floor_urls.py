"""The URLconf with the bench's floor on (ZI_BENCH_FLOOR=1), for tests/test_bench_floor.py."""

from django.urls import path

from core import views
from zi_portal.urls import urlpatterns as portal

urlpatterns = [
    *portal,
    path("bench/floor/ok/", views.floor_view, name="bench_floor_view"),
    path("bench/floor/layout/", views.floor_layout, name="bench_floor_layout"),
]

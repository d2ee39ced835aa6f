"""Dashboard server time at national scale (target: p95 < 1 s, at most 20 queries).

Seeds 5,000 units and the demo period, then gives every unit an assessment in a second, open
period with its whole self layer answered (≈ 565k answers, bulk-inserted from a few
precomputed answer sets), and times GET /dashboard/ as Admin nasional, TPI and the Jateng
reviewer (p50/p95 of 20 requests each), counting the queries of one request.

    .venv/bin/python bench/dashboard.py
    BENCH_DATABASE_URL=postgres://postgres@127.0.0.1:5432/zi_bench_dashboard \
        .venv/bin/python bench/dashboard.py
"""

import datetime
import json
import random
import sys
import time

from common import answer_patterns, setup_django, timed

engine = setup_django()

from django.core.management import call_command  # noqa: E402
from django.db import connection, transaction  # noqa: E402
from django.test import Client  # noqa: E402
from django.urls import NoReverseMatch, include, path, reverse  # noqa: E402

from areas.instrument_db import instrument_for  # noqa: E402
from assessments.models import Answer, Assessment, Period, Stage  # noqa: E402
from assessments.worksheet import tally  # noqa: E402
from reports.dashboards import dashboard_data  # noqa: E402
from units.models import Unit, User  # noqa: E402

UNITS = 5000
PATTERNS = 16  # distinct answer sets, reused across assessments (set-up speed)
REPEAT = 20
TARGETS = {"p95_ms": 1000, "queries": 20}
STATUSES = [  # (status, share): every stage represented
    ("pencanangan", 0.08), ("pembangunan", 0.17), ("submitted", 0.05),
    ("preliminary_review", 0.10), ("tpi_review", 0.20), ("returned_tpi", 0.05),
    ("tpi_failed", 0.05), ("tpi_passed", 0.15), ("proposed", 0.10), ("granted", 0.05),
]  # fmt: skip
PERSONAS = {"admin": "admin@demo.id", "tpi": "tpi@demo.id", "reviewer": "kanwil.jateng@demo.id"}


def _urlconf() -> None:
    """Serve the dashboard even before zi_portal/urls.py includes reports.urls_dashboards."""
    try:
        reverse("dashboards:home")
    except NoReverseMatch:
        from django.conf import settings
        from django.urls import clear_url_caches

        from zi_portal import urls as root

        module = sys.modules[__name__]
        module.urlpatterns = [*root.urlpatterns, path("", include("reports.urls_dashboards"))]
        settings.ROOT_URLCONF = __name__
        clear_url_caches()


def build() -> dict:
    timings = {}
    start = time.perf_counter()
    call_command("migrate", verbosity=0)
    call_command("load_lke", verbosity=0)
    call_command("seed_demo", units=UNITS, verbosity=0)
    timings["seed_s"] = round(time.perf_counter() - start, 1)
    demo = Period.objects.order_by("-year").first()
    version = demo.lke_version
    instrument = instrument_for(version)
    patterns = answer_patterns(
        instrument, dict(version.questions.values_list("code", "id")), random.Random(7), PATTERNS
    )
    admin = User.objects.get(email=PERSONAS["admin"])
    today = datetime.date.today()
    # Pembangunan due in 5 days, internal assessment in 10: both inside the risk window.
    offsets = {Stage.PENCANANGAN: -60, Stage.PEMBANGUNAN: 5, Stage.PENILAIAN: 10,
               Stage.PENGUSULAN: 60, Stage.EVALUASI: 120}  # fmt: skip
    start = time.perf_counter()
    with transaction.atomic():
        period = Period.objects.create(
            year=demo.year + 1, name=f"Periode bench {demo.year + 1}", lke_version=version,
            **{f"deadline_{s}": today + datetime.timedelta(days=d) for s, d in offsets.items()},
        )  # fmt: skip
        statuses = [s for s, share in STATUSES for _ in range(round(share * 1000))]
        units = list(Unit.objects.order_by("pk").values_list("pk", flat=True))
        Assessment.objects.bulk_create(
            [
                Assessment(period=period, unit_id=unit_id, status=statuses[i % len(statuses)],
                           target_predicate="WBK")
                for i, unit_id in enumerate(units)
            ],
            batch_size=1000,
        )  # fmt: skip
        batch = []
        for i, pk in enumerate(period.assessments.order_by("pk").values_list("pk", flat=True)):
            batch += [
                Answer(assessment_id=pk, question_id=qid, layer="self", value=value, score=score,
                       updated_by=admin)
                for qid, value, score in patterns[i % PATTERNS]
            ]  # fmt: skip
            if len(batch) >= 20000:
                Answer.objects.bulk_create(batch, batch_size=5000)
                batch = []
        Answer.objects.bulk_create(batch, batch_size=5000)
        tally.rebuild(period.assessments.values_list("pk", flat=True))
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("ANALYZE")
    timings["answers_s"] = round(time.perf_counter() - start, 1)
    timings["assessments"] = Assessment.objects.count()
    timings["answers"] = Answer.objects.count()
    return timings


def measure(email: str) -> dict:
    client = Client()
    client.force_login(User.objects.get(email=email))
    url = reverse("dashboards:home")
    response = client.get(url)  # warm up (instrument caches, session)
    assert response.status_code == 200, response.status_code
    queries = []

    def count(execute, sql, params, many, context):
        queries.append(sql)
        return execute(sql, params, many, context)

    with connection.execute_wrapper(count):  # counts whatever DEBUG is
        client.get(url)
    dash = dashboard_data(User.objects.get(email=email), {})
    result = timed(lambda: client.get(url), REPEAT)
    result |= {"queries": len(queries), "assessments": dash.total, "at_risk": len(dash.at_risk)}
    return result


def main() -> None:
    _urlconf()
    results = {"database": engine, "setup": build()}
    print(json.dumps(results["setup"]), flush=True)
    for persona, email in PERSONAS.items():
        results[persona] = measure(email)
    print(json.dumps(results, indent=2))
    for persona in PERSONAS:
        r = results[persona]
        ok = r["p95_ms"] < TARGETS["p95_ms"] and r["queries"] <= TARGETS["queries"]
        print(
            f"{persona:<9} p50 {r['p50_ms']:>7} ms  p95 {r['p95_ms']:>7} ms  "
            f"{r['queries']:>2} queries  {'ok' if ok else 'MISSED'}"
        )


if __name__ == "__main__":
    main()

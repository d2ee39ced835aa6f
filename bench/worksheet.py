"""Worksheet page and autosave server time with 5,000 units (issue: p95 < 300 ms / 100 ms).

BENCH_DATABASE_URL=postgres://postgres@127.0.0.1:5432/zi_bench .venv/bin/python bench/worksheet.py
"""

import json
import statistics
import time

from common import ROOT, setup_django, timed

engine = setup_django()

from django.core.management import call_command  # noqa: E402
from django.test import Client  # noqa: E402

from assessments.models import Answer, Assessment, Status  # noqa: E402
from units.models import User  # noqa: E402


def autosave_timings(client, assessment, question, url, repeat=40):
    """Real saves: each post names the current revision (read outside the timing)."""
    samples = []
    labels = [o.label for o in question.options.all()]
    for i in range(repeat):
        answer = Answer.objects.filter(assessment=assessment, question=question, layer="self")
        revision = answer.values_list("revision", flat=True).first()
        data = {"value": labels[i % len(labels)], "revision": revision or ""}
        start = time.perf_counter()
        response = client.post(url, data, HTTP_HX_REQUEST="true")
        samples.append((time.perf_counter() - start) * 1000)
        assert b"Tersimpan" in response.content, response.content[:500]
    samples.sort()
    return {
        "p50_ms": round(statistics.median(samples), 1),
        "p95_ms": round(samples[int(len(samples) * 0.95)], 1),
        "n": repeat,
    }


def main():
    call_command("migrate", verbosity=0)
    call_command("load_lke", verbosity=0)
    call_command("seed_demo", units=5000, verbosity=0)
    client = Client()
    operator = User.objects.get(email="operator.semarang@demo.id")
    client.force_login(operator)
    own = Assessment.objects.get(unit__memberships__user=operator, status=Status.PEMBANGUNAN)
    url = f"/assessments/{own.pk}/worksheet/"
    client.get(url)
    results = {"database": engine}
    results["worksheet_tab"] = timed(lambda: client.get(url, {"tab": "5"}), 40)
    question = own.period.lke_version.questions.get(code="P5.1.a")
    save = f"/assessments/{own.pk}/answers/{question.pk}/"
    results["autosave"] = autosave_timings(client, own, question, save)
    tpn = Client()
    tpn.force_login(User.objects.get(email="tpn@demo.id"))
    proposed = Assessment.objects.filter(status=Status.PROPOSED).first()
    results["worksheet_tab_4_layers"] = timed(
        lambda: tpn.get(f"/assessments/{proposed.pk}/worksheet/", {"tab": "5"}), 40
    )
    results["summary_4_layers"] = timed(lambda: tpn.get(f"/assessments/{proposed.pk}/summary/"), 40)
    reviewer = Client()
    reviewer.force_login(User.objects.get(email="kanwil.jateng@demo.id"))
    results["reviewer_queue"] = timed(lambda: reviewer.get("/queue/"), 40)
    print(json.dumps(results, indent=2))
    out = ROOT / "bench" / "results-worksheet.json"
    out.write_text(json.dumps(results, indent=2))


if __name__ == "__main__":
    main()

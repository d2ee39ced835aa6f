"""The drill's database (bench/drill.py runs this in a child process with the drill's settings):
the LKE and seed_demo's hierarchy, accounts and demo period, then the drill's own people:

- `operators` operators, each of a unit of Kanwil Jawa Tengah's subtree that had no assessment
  in the demo period, each given one in `pembangunan` (the operator writes the self layer);
- `reviewers` Kanwil Jawa Tengah reviewers (they see those assessments), one admin at Pusat.

All share one password (hashed once: hashing it per user would cost seconds). Prints one JSON
line with the accounts and, per operator, its assessment and the option items it autosaves.

    DATABASE_URL=... .venv/bin/python bench/drill_seed.py OPERATORS REVIEWERS
"""

from __future__ import annotations

import json
import os
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
PASSWORD = "Drill-ZI-2026!x"  # noqa: S105 (a throw-away database on loopback)
ITEMS_PER_OPERATOR = 6  # option items each operator autosaves (its own: no conflicts)


def seed(operators: int, reviewers: int) -> dict:
    from django.contrib.auth.hashers import make_password
    from django.core.management import call_command
    from django.db import transaction

    from assessments.models import Assessment, Period, Status
    from units import demo_data
    from units.models import Membership, Role, Unit, User

    timings = {}
    start = time.perf_counter()
    call_command("migrate", verbosity=0)
    timings["migrate_s"] = round(time.perf_counter() - start, 1)
    start = time.perf_counter()
    call_command("load_lke", verbosity=0)
    call_command("seed_demo", verbosity=0)
    timings["seed_s"] = round(time.perf_counter() - start, 1)

    period = Period.objects.select_related("lke_version").order_by("-year").first()
    kanwil = Unit.objects.get(
        code=next(p for p in demo_data.PROVINCES if p.code == "33").kanwil_code
    )
    taken = period.assessments.values_list("unit_id", flat=True)
    units = list(kanwil.descendants(include_self=False).exclude(pk__in=taken).order_by("path"))
    if len(units) < operators:
        sys.exit(f"only {len(units)} free units under {kanwil.code}; lower DRILL_OPERATORS")
    questions = list(
        period.lke_version.questions.filter(options__isnull=False).distinct().order_by("pk")
    )[:ITEMS_PER_OPERATOR]
    items = [
        {"question": q.pk, "labels": list(q.options.values_list("label", flat=True))}
        for q in questions
    ]
    password = make_password(PASSWORD)
    pusat = Unit.objects.get(parent__isnull=True)
    people = {"operators": [], "reviewers": [], "admin": "drill.admin@drill.id"}
    with transaction.atomic():
        for i, unit in enumerate(units[:operators]):
            email = f"drill.op{i:03d}@drill.id"
            user = User.objects.create(
                email=email, full_name=f"Operator Drill {i}", password=password
            )
            Membership.objects.create(user=user, unit=unit, role=Role.OPERATOR)
            assessment = Assessment.objects.create(
                period=period, unit=unit, status=Status.PEMBANGUNAN, target_predicate="WBK"
            )
            people["operators"].append(
                {"email": email, "assessment": assessment.pk, "items": items}
            )
        for i in range(reviewers):
            email = f"drill.rev{i:03d}@drill.id"
            user = User.objects.create(
                email=email, full_name=f"Reviewer Drill {i}", password=password
            )
            Membership.objects.create(user=user, unit=kanwil, role=Role.REVIEWER)
            people["reviewers"].append({"email": email})
        admin = User.objects.create(
            email=people["admin"], full_name="Admin Drill", password=password
        )
        Membership.objects.create(user=admin, unit=pusat, role=Role.ADMIN)
    return {
        "password": PASSWORD,
        "period_year": period.year,
        "reviewed": list(
            Assessment.objects.filter(period=period, unit__path__startswith=kanwil.path)
            .order_by("pk")
            .values_list("pk", flat=True)[:40]
        ),
        "timings": timings,
        **people,
    }


if __name__ == "__main__":
    sys.path.insert(0, str(ROOT))
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "zi_portal.settings")
    import django

    django.setup()
    print(json.dumps(seed(int(sys.argv[1]), int(sys.argv[2]))))

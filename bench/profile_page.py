"""Profile one page in-process against a database built by bench/national.py (investigation aid).

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/zi_bench .venv/bin/python \
        bench/profile_page.py admin@demo.id /dashboard/ [--repeat 20] [--top 30] [--sql]

Production settings (DEBUG off, cached templates); the user is signed in with force_login.
Prints the server time and this process's CPU time per request, the number of queries, the
slowest queries with --sql, and the cProfile functions with the most cumulative time
(PROFILE_SORT=tottime: the most own time; --top 0: no profile).
"""

import argparse
import cProfile
import os
import pstats
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "zi_portal.settings")
os.environ.setdefault("DJANGO_DEBUG", "0")
os.environ.setdefault("DJANGO_SECRET_KEY", "bench-only-secret")
os.environ.setdefault("DJANGO_SECURE_SSL_REDIRECT", "0")
os.environ.setdefault("DJANGO_ALLOWED_HOSTS", "testserver")
os.environ.setdefault("ZI_VAR_DIR", tempfile.mkdtemp(prefix="zi-profile-"))


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("email")
    parser.add_argument("path")
    parser.add_argument("--repeat", type=int, default=20)
    parser.add_argument("--top", type=int, default=30)
    parser.add_argument("--sql", action="store_true")
    args = parser.parse_args()
    if "DATABASE_URL" not in os.environ:
        sys.exit("set DATABASE_URL to a database built by bench/national.py")

    import django

    django.setup()
    from django.conf import settings
    from django.db import connection
    from django.test import Client
    from django.test.utils import CaptureQueriesContext

    from units.models import User

    settings.STORAGES["staticfiles"]["BACKEND"] = (
        "django.contrib.staticfiles.storage.StaticFilesStorage"
    )
    client = Client()
    client.force_login(User.objects.get(email=args.email))
    response = client.get(args.path)
    assert response.status_code == 200, response.status_code
    with CaptureQueriesContext(connection) as queries:
        client.get(args.path)
    print(f"{len(queries)} queries")
    if args.sql:
        for q in sorted(queries, key=lambda q: -float(q["time"]))[:8]:
            print(f"  {q['time']} s  {q['sql'][:400]}")
    cpu, start = time.process_time(), time.perf_counter()
    each = []
    for _ in range(args.repeat):
        one = time.process_time()
        client.get(args.path)
        each.append(time.process_time() - one)
    each.sort()
    quarter = each[: max(1, len(each) // 4)]
    print(
        f"{(time.perf_counter() - start) * 1000 / args.repeat:.1f} ms per request, "
        f"{(time.process_time() - cpu) * 1000 / args.repeat:.1f} ms CPU of this process "
        f"(fastest quarter {1000 * sum(quarter) / len(quarter):.1f}"
        " ms: steadier on a shared machine)"
    )
    if not args.top:
        return
    profile = cProfile.Profile()
    start = time.perf_counter()
    profile.enable()
    for _ in range(args.repeat):
        client.get(args.path)
    profile.disable()
    print(f"{(time.perf_counter() - start) * 1000 / args.repeat:.1f} ms per request (profiled)")
    order = os.environ.get("PROFILE_SORT", "cumulative")  # or tottime
    if os.environ.get("PROFILE_DUMP"):
        profile.dump_stats(os.environ["PROFILE_DUMP"])
    pstats.Stats(profile).sort_stats(order).print_stats(args.top)


if __name__ == "__main__":
    main()

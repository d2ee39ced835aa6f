"""Database for the national bench: seed_demo's hierarchy and demo period, then every unit
gets an assessment in that period, and every assessment gets full answers in all four layers
and one evidence row per item (all pointing at one small stored PDF), written with COPY.

Run by bench/national.py in a child process (one per database):

    BENCH_DATABASE_URL=postgres://postgres@127.0.0.1:5432/zi_bench \
        .venv/bin/python bench/national_data.py 5000

Prints one JSON line: set-up timings, row counts and the ids the load generator needs.
"""

from __future__ import annotations

import contextlib
import hashlib
import io
import json
import random
import sys
import time

from common import answer_patterns, pdf_bytes, setup_django

PATTERNS = 24  # distinct answer sets, reused across assessments (set-up speed)
STATUSES = [  # (status, share) of the assessments added to the demo period
    ("pencanangan", 0.08), ("pembangunan", 0.17), ("submitted", 0.05),
    ("preliminary_review", 0.10), ("tpi_review", 0.20), ("returned_tpi", 0.05),
    ("tpi_failed", 0.05), ("tpi_passed", 0.15), ("proposed", 0.10), ("granted", 0.05),
]  # fmt: skip
LAYERS = ("self", "preliminary", "tpi", "tpn")
SHARED_FILE = "evidence/bench/bukti-bersama.pdf"
COPY_CHUNK = 200_000  # rows per COPY statement


def _pdf_bytes() -> bytes:
    return pdf_bytes()


def _text(value) -> str:
    """A value in COPY's text format."""
    if value is None:
        return r"\N"
    return (
        str(value)
        .replace("\\", "\\\\")
        .replace("\t", "\\t")
        .replace("\n", "\\n")
        .replace("\r", "\\r")
    )


def _copy(table: str, columns: list[str], lines) -> int:
    """COPY text lines (already escaped, tab-separated, newline-terminated) in chunks."""
    from django.db import connection

    sql = f"COPY {table} ({', '.join(columns)}) FROM STDIN"
    total, buffer, count = 0, io.StringIO(), 0
    with connection.cursor() as cursor:
        for line in lines:
            buffer.write(line)
            count += 1
            if count == COPY_CHUNK:
                buffer.seek(0)
                cursor.copy_expert(sql, buffer)
                total += count
                buffer, count = io.StringIO(), 0
        if count:
            buffer.seek(0)
            cursor.copy_expert(sql, buffer)
            total += count
    return total


@contextlib.contextmanager
def _bulk_load(*tables: str):
    """Secondary indexes and unique constraints dropped during the load and rebuilt after it,
    foreign-key triggers off (as a superuser only): several times faster than maintaining
    them row by row. The rows written are consistent by construction."""
    from django.db import connection

    saved = []
    with connection.cursor() as cursor:
        cursor.execute("SELECT rolsuper FROM pg_roles WHERE rolname = current_user")
        superuser = cursor.fetchone()[0]
        cursor.execute("SET LOCAL maintenance_work_mem = '256MB'")
        for table in tables:
            cursor.execute(
                "SELECT conname, pg_get_constraintdef(oid) FROM pg_constraint "
                "WHERE conrelid = %s::regclass AND contype = 'u'",
                [table],
            )
            uniques = cursor.fetchall()
            cursor.execute(
                "SELECT indexname, indexdef FROM pg_indexes WHERE tablename = %s AND indexname "
                "NOT IN (SELECT conname FROM pg_constraint WHERE conrelid = %s::regclass)",
                [table, table],
            )
            indexes = cursor.fetchall()
            for name, _definition in uniques:
                cursor.execute(f'ALTER TABLE {table} DROP CONSTRAINT "{name}"')
            for name, _definition in indexes:
                cursor.execute(f'DROP INDEX "{name}"')
            if superuser:
                cursor.execute(f"ALTER TABLE {table} DISABLE TRIGGER ALL")
            saved.append((table, uniques, indexes))
    yield
    with connection.cursor() as cursor:
        for table, uniques, indexes in saved:
            if superuser:
                cursor.execute(f"ALTER TABLE {table} ENABLE TRIGGER ALL")
            for _name, definition in indexes:
                cursor.execute(definition)
            for name, definition in uniques:
                cursor.execute(f'ALTER TABLE {table} ADD CONSTRAINT "{name}" {definition}')


def _add_assessments(period) -> None:
    from assessments.models import Assessment
    from units.models import Unit

    taken = set(period.assessments.values_list("unit_id", flat=True))
    # Spread evenly (not in blocks), so that even 50 units have every status.
    statuses = [
        status
        for _key, status in sorted(
            ((k + 0.5) / (share * 100), status)
            for status, share in STATUSES
            for k in range(round(share * 100))
        )
    ]
    units = Unit.objects.exclude(pk__in=taken).order_by("pk").values_list("pk", flat=True)
    Assessment.objects.bulk_create(
        [
            Assessment(
                period=period, unit_id=unit_id, status=statuses[i % len(statuses)],
                target_predicate="WBBM" if i % 10 == 0 else "WBK",
            )
            for i, unit_id in enumerate(units)
        ],
        batch_size=2000,
    )  # fmt: skip


def _answers(period, patterns, users: dict[str, int], now: str) -> int:
    ids = list(period.assessments.order_by("pk").values_list("pk", flat=True))
    # Each layer's lines per pattern, without the assessment id that starts them.
    tails = {
        layer: [
            [
                f"\t{qid}\t{layer}\t{_text(json.dumps(value))}\t{_text(score)}\t\t1"
                f"\t{users[layer]}\t{now}\n"
                for qid, value, score in pattern
            ]
            for pattern in patterns
        ]
        for layer in LAYERS
    }

    def lines():
        for i, pk in enumerate(ids):
            for k, layer in enumerate(LAYERS):
                for tail in tails[layer][(i * 7 + k * 5) % len(patterns)]:
                    yield f"{pk}{tail}"

    columns = [
        "assessment_id", "question_id", "layer", "value", "score", "note", "revision",
        "updated_by_id", "updated_at",
    ]  # fmt: skip
    return _copy("assessments_answer", columns, lines())


def _evidence(period, questions: dict[str, int], operator: int, now: str) -> int:
    from django.core.files.base import ContentFile
    from django.core.files.storage import default_storage

    from assessments.models import Evidence

    data = _pdf_bytes()
    if not default_storage.exists(SHARED_FILE):
        default_storage.save(SHARED_FILE, ContentFile(data))
    digest = hashlib.sha256(data).hexdigest()
    ids = list(period.assessments.order_by("pk").values_list("pk", flat=True))
    fields = {f.column: f for f in Evidence._meta.concrete_fields if f.column != "id"}
    fixed = {
        "kind": "answer", "field_visit_id": None, "file": SHARED_FILE, "url": "",
        "size": len(data), "content_type": "application/pdf", "sha256": digest,
        "description": "Data dukung", "covers_period": str(period.year), "scan_status": "clean",
        "verdict": "unchecked", "verdict_note": "", "verdict_by_id": None,
        "uploaded_by_id": operator, "uploaded_at": now, "removed_at": None,
        "removed_by_id": None, "source_id": None,
    }  # fmt: skip
    columns = list(fields)
    per_question = {
        qid: "\t".join(
            _text(qid) if c == "question_id"
            else _text(f"bukti-{code}.pdf") if c == "original_name"
            else "{pk}" if c == "assessment_id"
            else _text(fixed[c])
            for c in columns
        ) + "\n"
        for code, qid in questions.items()
    }  # fmt: skip

    def lines():
        for pk in ids:
            for template in per_question.values():
                yield template.replace("{pk}", str(pk), 1)

    return _copy("assessments_evidence", columns, lines())


def build(units: int) -> dict:
    from django.core.management import call_command
    from django.db import connection, transaction
    from django.utils import timezone

    from areas.instrument_db import instrument_for
    from assessments.models import Answer, Assessment, Evidence, Period, Status
    from assessments.permissions import scope_filter
    from assessments.worksheet import tally
    from units.models import Unit, User

    timings = {}
    start = time.perf_counter()
    call_command("migrate", verbosity=0)
    call_command("load_lke", verbosity=0)
    timings["migrate_s"] = round(time.perf_counter() - start, 1)
    start = time.perf_counter()
    call_command("seed_demo", units=units, verbosity=0)
    timings["seed_demo_s"] = round(time.perf_counter() - start, 1)

    start = time.perf_counter()
    period = Period.objects.select_related("lke_version").order_by("-year").first()
    version = period.lke_version
    questions = dict(version.questions.values_list("code", "id"))
    patterns = answer_patterns(instrument_for(version), questions, random.Random(units), PATTERNS)
    emails = {"self": "operator.semarang@demo.id", "preliminary": "kanwil.jateng@demo.id",
              "tpi": "tpi@demo.id", "tpn": "tpn@demo.id"}  # fmt: skip
    users = {layer: User.objects.get(email=email).pk for layer, email in emails.items()}
    now = timezone.now().isoformat()
    with transaction.atomic():
        _add_assessments(period)
        with connection.cursor() as cursor:  # the demo's partial answers and links make way
            for table in ("assessments_answer", "assessments_evidence"):
                kind = " AND kind = 'answer'" if table.endswith("evidence") else ""
                cursor.execute(
                    f"DELETE FROM {table} WHERE assessment_id IN "  # noqa: S608 (constants)
                    f"(SELECT id FROM assessments_assessment WHERE period_id = %s){kind}",
                    [period.pk],
                )
            # Check the deleted rows' foreign keys now (evidence refers to evidence): ALTER
            # TABLE refuses a table with deferred checks pending.
            cursor.execute("SET CONSTRAINTS ALL IMMEDIATE")
        with _bulk_load("assessments_answer", "assessments_evidence"):
            answers = _answers(period, patterns, users, now)
            evidence = _evidence(period, questions, users["self"], now)
        # COPY wrote past worksheet.services: the dashboards' tally is computed once here.
        tally.rebuild(period.assessments.values_list("pk", flat=True))
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE")
    timings["fill_s"] = round(time.perf_counter() - start, 1)

    own = Assessment.objects.get(period=period, unit__memberships__user_id=users["self"])
    option_questions = list(
        version.questions.filter(options__isnull=False)
        .distinct()
        .order_by("pk")
        .values_list("pk", "code")[:8]
    )
    labels = {
        pk: list(version.questions.get(pk=pk).options.values_list("label", flat=True))
        for pk, _code in option_questions
    }
    revisions = dict(
        Answer.objects.filter(assessment=own, layer="self").values_list("question_id", "revision")
    )
    jateng = Unit.objects.get(memberships__user_id=users["preliminary"])
    # The mix's Kanwil reviewer scores an assessment in its preliminary review (bench/mix.py).
    reviewer = User.objects.get(pk=users["preliminary"])
    review = (
        Assessment.objects.filter(scope_filter(reviewer), period=period)
        .filter(status=Status.PRELIMINARY_REVIEW)
        .order_by("pk")
        .first()
    )
    review_revisions = dict(
        Answer.objects.filter(assessment=review, layer="preliminary").values_list(
            "question_id", "revision"
        )
    )
    return {
        "units": Unit.objects.count(),
        "assessments": period.assessments.count(),
        "answers": answers,
        "evidence_rows": evidence,
        "answers_in_db": Answer.objects.filter(assessment__period=period).count(),
        "evidence_in_db": Evidence.objects.filter(assessment__period=period).count(),
        "timings": timings,
        "ids": {
            "own_assessment": own.pk,
            "own_status": own.status,
            "proposed_assessment": period.assessments.filter(status=Status.PROPOSED)
            .order_by("pk")
            .values_list("pk", flat=True)
            .first(),
            "autosave": [
                {"question": pk, "labels": labels[pk], "revision": revisions.get(pk)}
                for pk, _code in option_questions
            ],
            "review": review.pk,
            "review_autosave": [
                {"question": pk, "labels": labels[pk], "revision": review_revisions.get(pk)}
                for pk, _code in option_questions
            ],
            "upload_question": option_questions[0][0],
            "kanwil_code": jateng.code,
            "pusat_code": Unit.objects.get(parent__isnull=True).code,
            "granted_assessment": period.assessments.filter(status=Status.GRANTED)
            .order_by("pk")
            .values_list("pk", flat=True)
            .first(),
            "period_year": period.year,
        },
    }


if __name__ == "__main__":
    setup_django()
    print(json.dumps(build(int(sys.argv[1]))))

"""Shared personas: who uses the portal, each in a small tree of two provinces.

Pusat ─┬─ Kanwil A ── Kankemenag A ── MIN A
       └─ Kanwil B ── Kankemenag B
"""

from dataclasses import dataclass

import pytest
from django.conf import settings
from django.utils import translation

from tests.factories import MembershipFactory, UnitFactory, UserFactory
from units.models import Role, Unit, UnitKind, User

PASSWORD = "Rahasia-123!"


@pytest.fixture(autouse=True)
def portal_language():
    """Each test starts in the portal's language: a request through Django's test client runs
    in the test's thread, and LocaleMiddleware leaves its language (e.g. English after a
    switch) active there for whatever runs next in the same worker."""
    translation.activate(settings.LANGUAGE_CODE)
    yield
    translation.activate(settings.LANGUAGE_CODE)


@dataclass
class Tree:
    pusat: Unit
    kanwil_a: Unit
    kankemenag_a: Unit
    madrasah_a: Unit
    kanwil_b: Unit
    kankemenag_b: Unit


@pytest.fixture
def tree(db) -> Tree:
    pusat = UnitFactory(code="PUSAT", name="Kementerian Agama", kind=UnitKind.PUSAT)
    kanwil_a = UnitFactory(
        code="KWA", name="Kanwil Jawa Tengah", kind=UnitKind.KANWIL, parent=pusat
    )
    kk_a = UnitFactory(
        code="KKA", name="Kankemenag Kota Semarang", kind=UnitKind.KANKEMENAG, parent=kanwil_a
    )
    min_a = UnitFactory(
        code="MINA",
        name="MIN 1 Kota Semarang",
        kind=UnitKind.MADRASAH,
        parent=kk_a,
        madrasah_level="MIN",
    )
    kanwil_b = UnitFactory(
        code="KWB",
        name="Kanwil DI Yogyakarta",
        kind=UnitKind.KANWIL,
        parent=pusat,
        province="DI Yogyakarta",
    )
    kk_b = UnitFactory(
        code="KKB",
        name="Kankemenag Kabupaten Sleman",
        kind=UnitKind.KANKEMENAG,
        parent=kanwil_b,
        province="DI Yogyakarta",
    )
    return Tree(pusat, kanwil_a, kk_a, min_a, kanwil_b, kk_b)


def _person(email: str, role: str, unit: Unit) -> User:
    user = UserFactory(email=email)
    MembershipFactory(user=user, unit=unit, role=role)
    return user


@pytest.fixture
def personas(tree) -> dict[str, User | None]:
    """Every role the portal knows, plus an outsider with no role and an anonymous visitor."""
    return {
        "anonymous": None,
        "outsider": UserFactory(email="outsider@example.id"),
        "operator": _person("operator.a@example.id", Role.OPERATOR, tree.kankemenag_a),
        "operator_b": _person("operator.b@example.id", Role.OPERATOR, tree.kankemenag_b),
        "pimpinan": _person("pimpinan.a@example.id", Role.PIMPINAN, tree.kankemenag_a),
        "reviewer": _person("reviewer.a@example.id", Role.REVIEWER, tree.kanwil_a),
        "tpi": _person("tpi@example.id", Role.TPI, tree.pusat),
        "tpn": _person("tpn@example.id", Role.TPN, tree.pusat),
        "admin": _admin(tree.pusat),
    }


def _admin(pusat: Unit) -> User:
    user = _person("admin@example.id", Role.ADMIN, pusat)
    user.is_staff = user.is_superuser = True  # Biro Ortala also runs the Django admin
    user.save()
    return user


@pytest.fixture
def client_for(client, personas):
    def login(name: str):
        user = personas[name]
        if user is not None:
            client.force_login(user)
        return client

    return login


@pytest.fixture
def lke(db):
    """The shipped LKE 90/2021, loaded as a published version."""
    from django.core.management import call_command

    from areas.models import LkeVersion

    call_command("load_lke", verbosity=0)
    return LkeVersion.objects.get(status="published")


@pytest.fixture
def instruments(db):
    """The shipped survey instruments (IKM, SPKP, SPAK), as the data migration loads them: a
    test that flushes the database (the live server's) takes them away for the next tests."""
    from surveys.instruments import load_shipped

    load_shipped()


@pytest.fixture
def period(lke):
    from tests.factories import PeriodFactory

    return PeriodFactory(year=2026, lke_version=lke)


@pytest.fixture
def assessment(period, tree):
    """Kankemenag Kota Semarang's assessment (unit A), in Pencanangan."""
    from tests.factories import AssessmentFactory

    return AssessmentFactory(period=period, unit=tree.kankemenag_a)


@pytest.fixture
def in_preliminary(assessment, personas):
    """Unit A's assessment with every item answered by the unit, now with the Kanwil reviewer."""
    from assessments.models import Layer, Status
    from tests.assessments.helpers import answer_all

    assessment.status = Status.PEMBANGUNAN
    assessment.save()
    answer_all(assessment, Layer.SELF, personas["operator"], through_service=False)
    assessment.status = Status.PRELIMINARY_REVIEW
    assessment.save()
    return assessment


@pytest.fixture
def assessment_b(period, tree):
    """Kankemenag Kabupaten Sleman's assessment (unit B): outside unit A's people's scope."""
    from tests.factories import AssessmentFactory

    return AssessmentFactory(period=period, unit=tree.kankemenag_b)


@pytest.fixture(autouse=True)
def _fresh_cache():
    """Cached settings (e.g. the evidence upload limits) never leak from one test to another."""
    from django.core.cache import cache

    cache.clear()
    yield
    cache.clear()


@pytest.fixture
def eager_celery():
    """Celery tasks (e.g. notification e-mails) run in the request instead of being queued."""
    from zi_portal.celery import app

    previous = app.conf.task_always_eager
    app.conf.task_always_eager = True
    yield
    app.conf.task_always_eager = previous


@pytest.fixture
def storage(settings, tmp_path):
    """A private storage of the test's own (evidence, reports), so that leftovers can be
    counted."""
    settings.STORAGES = {
        **settings.STORAGES,
        "default": {
            "BACKEND": "django.core.files.storage.FileSystemStorage",
            "OPTIONS": {"location": str(tmp_path / "private")},
        },
    }
    return tmp_path / "private"


# ---------------------------------------------------------------- real components on loopback


@pytest.fixture(scope="session")
def moto_server():
    """One moto S3 server for the whole run (bench/loopback.py); each test gets a bucket."""
    from bench import loopback

    _skip_if_missing(loopback.moto_s3_available)
    with loopback.moto_s3() as server:
        yield server


@pytest.fixture
def s3_store(settings, moto_server):
    """The default storage on a fresh bucket of the real moto server, through django-storages,
    as zi_portal/settings.py configures it from ZI_S3_*. Returns the server with that bucket."""
    import dataclasses
    import uuid

    bucket = moto_server.create_bucket(f"zi-test-{uuid.uuid4().hex[:12]}")
    store = dataclasses.replace(moto_server, bucket=bucket)
    settings.ZI_S3_BUCKET = bucket
    settings.STORAGES = {
        **settings.STORAGES,
        "default": {
            "BACKEND": "storages.backends.s3.S3Storage",
            "OPTIONS": store.storage_options(),
        },
    }
    return store


@pytest.fixture
def real_clamd(settings):
    """A real clamd (Debian clamav-daemon) with the EICAR-only database; CLAMAV_URL points at
    it. `real_clamd.stop()` takes it down mid-test."""
    from bench import loopback

    _skip_if_missing(loopback.clamd_binary)
    with loopback.clamd() as server:
        settings.CLAMAV_URL = server.url
        yield server


def _skip_if_missing(check) -> None:
    """Skip (with the package to install) only when the component is not installed; CI installs
    them, so CI never skips."""
    from bench.loopback import ComponentMissing

    try:
        check()
    except ComponentMissing as missing:
        pytest.skip(str(missing))

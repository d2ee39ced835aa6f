import datetime

import factory

from units.models import Membership, Role, Unit, UnitKind, User
from units.services import unit_create


class UnitFactory(factory.django.DjangoModelFactory):
    """Units go through the service so the materialised path is right."""

    class Meta:
        model = Unit

    code = factory.Sequence(lambda n: f"U{n:05d}")
    name = factory.Sequence(lambda n: f"Unit {n}")
    kind = UnitKind.PUSAT
    parent = None
    province = "Jawa Tengah"

    @classmethod
    def _create(cls, model_class, *args, **kwargs):
        return unit_create(**kwargs)


class UserFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = User
        skip_postgeneration_save = True

    email = factory.Sequence(lambda n: f"user{n}@example.id")
    full_name = factory.Faker("name", locale="id_ID")
    password = factory.PostGenerationMethodCall("set_password", "Rahasia-123!")

    @factory.post_generation
    def saved(obj, create, extracted, **kwargs):
        if create:
            obj.save()


class MembershipFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Membership

    user = factory.SubFactory(UserFactory)
    unit = factory.SubFactory(UnitFactory)
    role = Role.OPERATOR


class PeriodFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = "assessments.Period"

    year = factory.Sequence(lambda n: 2026 + n)
    name = factory.LazyAttribute(lambda p: f"Periode ZI {p.year}")
    lke_version = None  # pass the published LkeVersion (fixture `lke`)
    deadline_pencanangan = factory.LazyAttribute(lambda p: datetime.date(p.year, 2, 28))
    deadline_pembangunan = factory.LazyAttribute(lambda p: datetime.date(p.year, 4, 30))
    deadline_penilaian = factory.LazyAttribute(lambda p: datetime.date(p.year, 5, 31))
    deadline_pengusulan = factory.LazyAttribute(lambda p: datetime.date(p.year, 6, 30))
    deadline_evaluasi = factory.LazyAttribute(lambda p: datetime.date(p.year, 11, 30))


class AssessmentFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = "assessments.Assessment"

    period = factory.SubFactory(PeriodFactory)
    unit = factory.SubFactory(UnitFactory)
    target_predicate = "WBK"


def shipped_instrument(kind: str):
    """The current published instrument of `kind`. The shipped ones come with a data
    migration, which a test that flushes the database (the live server's) takes away: loaded
    again here (idempotent)."""
    from surveys.instruments import current, load_shipped

    load_shipped()
    return current(kind)


class SurveyFactory(factory.django.DjangoModelFactory):
    """A survey of a unit in a period (pass `period`), open through 2026 with the current
    published instrument of `kind` (IKM by default)."""

    class Meta:
        model = "surveys.Survey"
        exclude = ["kind"]

    kind = "ikm"
    unit = factory.SubFactory(UnitFactory)
    instrument = factory.LazyAttribute(lambda s: shipped_instrument(s.kind))
    name = "Semester I 2026"
    opens_on = datetime.date(2026, 1, 1)
    closes_on = datetime.date(2026, 12, 31)
    token = factory.Sequence(lambda n: f"survey{n:08d}")

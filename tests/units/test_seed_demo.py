from django.core.management import call_command

from units.models import Membership, Role, Unit, User


def _counts():
    return Unit.objects.count(), User.objects.count(), Membership.objects.count()


def test_seed_demo_twice_gives_the_same_counts(db):
    call_command("seed_demo", verbosity=0)
    first = _counts()
    call_command("seed_demo", verbosity=0)
    assert _counts() == first
    assert 550 <= first[0] <= 700  # "about 600 units"


def test_demo_accounts_have_their_roles_and_units(db):
    call_command("seed_demo", password="Lain-Sandi-2026!", verbosity=0)
    operator = User.objects.get(email="operator.semarang@demo.id")
    membership = operator.memberships.get()
    assert membership.role == Role.OPERATOR
    assert membership.unit.name == "Kantor Kementerian Agama Kota Semarang"
    assert membership.unit.parent.name.endswith("Jawa Tengah")
    sleman = User.objects.get(email="operator.sleman@demo.id").memberships.get().unit
    assert sleman.parent.province == "DI Yogyakarta"
    assert operator.check_password("Lain-Sandi-2026!")


def test_small_seed_is_still_a_consistent_tree(db):
    call_command("seed_demo", units=50, verbosity=0)
    assert Unit.objects.count() == 50
    for unit in Unit.objects.exclude(parent=None).select_related("parent"):
        assert unit.path.startswith(unit.parent.path)

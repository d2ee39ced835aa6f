"""Demo data: a realistic Kemenag unit hierarchy and the fixed demo accounts. Idempotent."""

from __future__ import annotations

from collections.abc import Iterator

from django.core.management.base import BaseCommand
from django.db import transaction

from assessments.demo import seed_period
from units import demo_data
from units.models import Membership, Role, Unit, UnitKind, User
from units.unit_import import UnitRow, units_import

DEFAULT_PASSWORD = "Demo-ZI-2026!"  # noqa: S105  (published demo password, see README)
JATENG, DIY = "33", "34"

# email, full name, NIP, role, unit code (None = Pusat), superuser
DEMO_ACCOUNTS = [
    ("admin@demo.id", "Admin Nasional Biro Ortala", "198001012005011001", Role.ADMIN, None, True),
    ("tpn@demo.id", "Penilai TPN KemenPAN-RB", "", Role.TPN, None, False),
    ("tpi@demo.id", "Auditor TPI Itjen", "198205152008012002", Role.TPI, None, False),
    (
        "kanwil.jateng@demo.id",
        "Reviewer Kanwil Jawa Tengah",
        "197903202006041003",
        Role.REVIEWER,
        "kanwil:" + JATENG,
        False,
    ),
    (
        "operator.semarang@demo.id",
        "Operator Kankemenag Kota Semarang",
        "199002102015032004",
        Role.OPERATOR,
        "kankemenag:Kota Semarang",
        False,
    ),
    (
        "pimpinan.semarang@demo.id",
        "Kepala Kankemenag Kota Semarang",
        "197507072000031005",
        Role.PIMPINAN,
        "kankemenag:Kota Semarang",
        False,
    ),
    (
        "operator.sleman@demo.id",
        "Operator Kankemenag Kabupaten Sleman",
        "199108082016041006",
        Role.OPERATOR,
        "kankemenag:Kabupaten Sleman",
        False,
    ),
]


def _province(code: str) -> demo_data.Province:
    return next(p for p in demo_data.PROVINCES if p.code == code)


def _kankemenag_code(province: demo_data.Province, index: int) -> str:
    return demo_data.kankemenag_code(province, index + 1)  # the seeder counts from 0


def _kankemenag_row(province, index, line) -> UnitRow:
    kabkota = province.kabkota[index]
    return UnitRow(
        line,
        _kankemenag_code(province, index),
        demo_data.kankemenag_name(kabkota),
        UnitKind.KANKEMENAG,
        province.kanwil_code,
        province.name,
    )


def _madrasah_row(province, parent, kabkota, level, number, line) -> UnitRow:
    return UnitRow(
        line,
        demo_data.madrasah_code(parent, level, number),
        demo_data.madrasah_name(level, number, kabkota),
        level,
        parent,
        province.name,
    )


def _kanwil_row(province, line) -> UnitRow:
    return UnitRow(
        line,
        province.kanwil_code,
        demo_data.kanwil_name(province),
        UnitKind.KANWIL,
        demo_data.PUSAT[0],
        province.name,
    )


FEATURED = [(JATENG, "Kota Semarang"), (DIY, "Kabupaten Sleman")]
FEATURED_KANKEMENAG = {
    _kankemenag_code(_province(p), _province(p).kabkota.index(k)) for p, k in FEATURED
}


def demo_rows(limit: int | None) -> list[UnitRow]:
    """The hierarchy in an order where every parent precedes its children and the units of the
    demo accounts come first, so any prefix of it is a valid tree."""
    return list(_take(_demo_rows(), limit))


def _take(rows: Iterator[UnitRow], limit: int | None) -> Iterator[UnitRow]:
    for count, row in enumerate(rows):
        if limit is not None and count >= limit:
            return
        yield row


def _demo_rows() -> Iterator[UnitRow]:
    line = iter(range(1, 10**7))
    pusat_code, pusat_name = demo_data.PUSAT
    yield UnitRow(next(line), pusat_code, pusat_name, UnitKind.PUSAT, "", "DKI Jakarta")
    for code, name in demo_data.ESELON1:
        yield UnitRow(next(line), code, name, UnitKind.ESELON1, pusat_code, "DKI Jakarta")
    featured = FEATURED
    for province_code, _kabkota in featured:
        yield _kanwil_row(_province(province_code), next(line))
    for province_code, kabkota in featured:
        province = _province(province_code)
        yield _kankemenag_row(province, province.kabkota.index(kabkota), next(line))
    for province_code, kabkota in featured:
        province = _province(province_code)
        parent = _kankemenag_code(province, province.kabkota.index(kabkota))
        for level in demo_data.MADRASAH_LEVELS:
            yield _madrasah_row(province, parent, kabkota, level, 1, next(line))
    for province in demo_data.PROVINCES:
        if province.code not in (JATENG, DIY):
            yield _kanwil_row(province, next(line))
    for province in demo_data.PROVINCES:
        for index in range(len(province.kabkota)):
            if _kankemenag_code(province, index) not in FEATURED_KANKEMENAG:
                yield _kankemenag_row(province, index, next(line))
    for code, name, province_code, faculties in demo_data.PTKIN:
        province_name = _province(province_code).name
        yield UnitRow(next(line), code, name, UnitKind.PTKIN, "E1-PENDIS", province_name)
        for number, faculty in enumerate(faculties, start=1):
            yield UnitRow(
                next(line),
                demo_data.fakultas_code(code, number),
                f"{faculty} {name}",
                UnitKind.FAKULTAS,
                code,
                province_name,
            )
    yield from _madrasah_and_kua(line)


def _madrasah_and_kua(line) -> Iterator[UnitRow]:
    """Madrasah (one of each level per Kankemenag per round), then KUA, until the limit."""
    offices = [
        (province, index)
        for province in demo_data.PROVINCES
        for index in range(len(province.kabkota))
    ]
    for number in range(1, 50):
        for province, index in offices:
            kabkota = province.kabkota[index]
            parent = _kankemenag_code(province, index)
            for level in demo_data.MADRASAH_LEVELS:
                if number == 1 and parent in FEATURED_KANKEMENAG:
                    continue  # already listed among the featured units
                yield _madrasah_row(province, parent, kabkota, level, number, next(line))
        for province, index in offices:
            parent = _kankemenag_code(province, index)
            yield UnitRow(
                next(line),
                demo_data.kua_code(parent, number),
                demo_data.kua_name(number, province.kabkota[index]),
                UnitKind.KUA,
                parent,
                province.name,
            )


class Command(BaseCommand):
    help = "Create the demo unit hierarchy and demo accounts (idempotent)."

    def add_arguments(self, parser):
        parser.add_argument(
            "--units",
            type=int,
            default=None,
            help="Number of units (default: the full hierarchy without madrasah, about 630).",
        )
        parser.add_argument("--password", default=DEFAULT_PASSWORD)
        parser.add_argument(
            "--list-accounts", action="store_true", help="Only print the demo accounts."
        )

    def handle(self, *args, units, password, list_accounts, **options):
        if list_accounts:
            self._print_accounts()
            return
        limit = units if units is not None else _base_count()
        rows = demo_rows(limit)
        existing = set(Unit.objects.values_list("code", flat=True))
        new_rows = [row for row in rows if row.code not in existing]
        report = units_import(rows=new_rows)
        if not report.ok:
            for error in report.errors:
                self.stderr.write(str(error))
            raise SystemExit(1)
        self._seed_accounts(password)
        period = seed_period()
        if period is not None:
            self.stdout.write(
                f"Demo period {period.year}: {period.assessments.count()} assessments."
            )
        self.stdout.write(
            f"Units: {Unit.objects.count()} ({report.created} new). "
            f"Demo accounts: {len(DEMO_ACCOUNTS)}."
        )

    @transaction.atomic
    def _seed_accounts(self, password: str) -> None:
        for email, name, nip, role, unit_ref, superuser in DEMO_ACCOUNTS:
            user, _ = User.objects.get_or_create(
                email=email, defaults={"full_name": name, "nip": nip}
            )
            user.set_password(password)
            user.is_staff = user.is_superuser = superuser
            user.save()
            Membership.objects.get_or_create(user=user, unit=_resolve(unit_ref), role=role)

    def _print_accounts(self) -> None:
        for email, _name, _nip, role, unit_ref, _superuser in DEMO_ACCOUNTS:
            unit = _resolve(unit_ref)
            self.stdout.write(f"  {email:<28} {Role(role).label:<22} {unit.name}")


def _base_count() -> int:
    return (
        1
        + len(demo_data.ESELON1)
        + len(demo_data.PROVINCES)
        + sum(len(p.kabkota) for p in demo_data.PROVINCES)
        + sum(1 + len(ptkin[3]) for ptkin in demo_data.PTKIN)
        + len(FEATURED) * len(demo_data.MADRASAH_LEVELS)
    )


def _resolve(unit_ref: str | None) -> Unit:
    if unit_ref is None:
        return Unit.objects.get(code=demo_data.PUSAT[0])
    kind, _, key = unit_ref.partition(":")
    province = _province(JATENG if key in (JATENG, "Kota Semarang") else DIY)
    if kind == "kanwil":
        return Unit.objects.get(code=province.kanwil_code)
    return Unit.objects.get(code=_kankemenag_code(province, province.kabkota.index(key)))

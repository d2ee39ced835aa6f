"""NIP: Nomor Induk Pegawai, the 18-digit civil-servant number (PP 11/2017 on ASN management).

Layout: birth date YYYYMMDD (8) + appointment YYYYMM (6) + sex 1/2 (1) + sequence (3).
"""

import datetime

from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _


def validate_nip(value: str) -> None:
    if not (len(value) == 18 and value.isascii() and value.isdigit()):
        raise ValidationError(_("NIP harus terdiri dari 18 digit angka."), code="nip_format")
    try:
        birth = datetime.date(int(value[0:4]), int(value[4:6]), int(value[6:8]))
        appointed = datetime.date(int(value[8:12]), int(value[12:14]), 1)
    except ValueError:
        raise ValidationError(
            _("NIP tidak valid: tanggal lahir atau TMT pengangkatan tidak dikenal."),
            code="nip_date",
        ) from None
    if appointed <= birth:
        raise ValidationError(
            _("NIP tidak valid: TMT pengangkatan sebelum tanggal lahir."), code="nip_order"
        )
    if value[14] not in "12":
        raise ValidationError(
            _("NIP tidak valid: digit ke-15 (jenis kelamin) harus 1 atau 2."), code="nip_sex"
        )

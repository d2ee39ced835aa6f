"""What decompressing an uploaded ZIP may cost, counted before and while it is read: the
directory's declarations refused early and cheaply (entries, encryption, methods, ratio,
declared total, overlapping entries), then each member really decompressed under the budget.
Used by the evidence packages' inspection (assessments.evidence.packages) and by every XLSX
upload opened whole (core.xlsx), so a small file that inflates to gigabytes is refused in
milliseconds."""

from __future__ import annotations

import copy
import io
import zipfile
from dataclasses import dataclass
from typing import NoReturn

from django.conf import settings
from django.utils.translation import gettext_lazy as _

MB = 1024 * 1024
CHUNK = MB
# Below this size a member cannot hurt whatever its compression ratio.
RATIO_FLOOR = 1024 * 1024

NOT_VALID = _("Tipe berkas tidak diizinkan: isinya bukan %(label)s yang sah.")
ENCRYPTED = _("Berkas terenkripsi atau berkata sandi tidak dapat diterima.")
TOO_MANY = _("Berkas ditolak: isinya terlalu banyak bagian (lebih dari %(n)s).")
BOMB = _("Berkas ditolak: isi arsipnya mencurigakan (ukuran setelah diekstrak terlalu besar).")
SIZE_LIE = _("Berkas ditolak: ukuran bagian di dalam arsipnya tidak sesuai dengan catatannya.")


class ContentRefused(Exception):
    """The file is not (only) what its type says; the message is for the user."""

    def __init__(self, message: str):
        super().__init__(message)
        self.message = message


def refuse(message, **params) -> NoReturn:
    raise ContentRefused(str(message % params) if params else str(message))


@dataclass
class Budget:
    """What decompressing a package may cost, counted in real bytes as they come out."""

    remaining: int
    ratio: int
    entries: int


def zip_budget() -> Budget:
    return Budget(
        remaining=int(getattr(settings, "ZI_EVIDENCE_ZIP_MAX_UNCOMPRESSED", 200 * MB)),
        ratio=int(getattr(settings, "ZI_EVIDENCE_ZIP_MAX_RATIO", 100)),
        entries=int(getattr(settings, "ZI_EVIDENCE_ZIP_MAX_ENTRIES", 5000)),
    )


def check_directory(infos, archive_size: int, budget, label: str) -> None:
    """What the ZIP directory declares, refused early and cheaply; the real sizes are counted
    again while each member is decompressed."""
    max_entries, max_ratio, max_total = budget.entries, budget.ratio, budget.remaining
    if len(infos) > max_entries:
        refuse(TOO_MANY, n=max_entries)
    total = compressed = 0
    for info in infos:
        if info.flag_bits & 0x1:
            refuse(ENCRYPTED)
        if info.compress_type not in (0, 8):  # stored, deflated: all that office suites write
            refuse(NOT_VALID, label=label)
        if info.file_size > RATIO_FLOOR and info.file_size > max_ratio * max(info.compress_size, 1):
            refuse(BOMB)
        total += info.file_size
        compressed += info.compress_size
        if total > max_total:
            refuse(BOMB)
    if compressed > archive_size:  # overlapping entries: the "non-recursive" ZIP bomb
        refuse(BOMB)


def check_unpacked(content: bytes, max_unpacked: int) -> None:
    """A ZIP about to be parsed whole (an uploaded XLSX that openpyxl opens) refused with
    ContentRefused when it would cost more than `max_unpacked` bytes decompressed: its
    directory first (entries, ratio, declared total), then every member really decompressed
    under that budget. A file that is not a ZIP raises zipfile's and zlib's own errors."""
    defaults = zip_budget()
    budget = Budget(remaining=max_unpacked, ratio=defaults.ratio, entries=defaults.entries)
    with zipfile.ZipFile(io.BytesIO(content)) as archive:
        infos = archive.infolist()
        check_directory(infos, len(content), budget, "XLSX")
        for info in infos:
            if not info.is_dir():
                read_member(archive, info, budget)


def read_member(archive, info: zipfile.ZipInfo, budget: Budget) -> bytes:
    """Decompress one member for real, counting every byte against the budget, and return its
    first bytes. zipfile stops at the size the directory declares (and checks the CRC of only
    that much), so the member is opened with a copy declaring more than the budget: a member
    claiming 1,000 bytes that inflates to 300 MB is then caught as it inflates."""
    probe = copy.copy(info)
    probe.file_size = budget.remaining + 1
    head, real = b"", 0
    with archive.open(probe) as member:
        while chunk := member.read(CHUNK):
            head = (head + chunk[:16])[:16] if len(head) < 16 else head
            real += len(chunk)
            inflated = real > RATIO_FLOOR and real > budget.ratio * max(info.compress_size, 1)
            if real > budget.remaining or inflated:
                refuse(BOMB)
    if real != info.file_size:
        refuse(SIZE_LIE)
    budget.remaining -= real
    return head

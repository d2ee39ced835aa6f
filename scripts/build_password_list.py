"""Build units/data/common-passwords.txt.gz: the obvious passwords of this portal's audience.

Django's CommonPasswordValidator already refuses its own list of 20,000 breached passwords
(English-language leaks). This list adds what that one lacks for Kementerian Agama staff:
Indonesian and Kemenag words (kemenag, bismillah, merdeka, madrasah, zonaintegritas, ...), joined
in pairs as people join them (adminkemenag, kemenagri), each bare and with the suffixes people
add to pass a length or character rule (years 2020-2030, 123, !, @...). The output is sorted and
gzipped without a timestamp, so running the script again gives the same bytes:

    .venv/bin/python scripts/build_password_list.py          # writes the file
    .venv/bin/python scripts/build_password_list.py --check  # fails if the file is stale

units.passwords.BreachedPasswordValidator reads it; it also compares the password's stem (the
password lower-cased, leetspeak undone, trailing digits and punctuation stripped) with the base
words, so a suffix missing from SUFFIXES below does not get a base word through.
"""

from __future__ import annotations

import gzip
import io
import sys
from pathlib import Path

OUTPUT = Path(__file__).resolve().parent.parent / "units" / "data" / "common-passwords.txt.gz"

# Words a Kemenag employee reaches for first: the ministry, its units and programmes, faith,
# the nation, the integrity-zone programme itself, and Indonesian everyday passwords.
BASE_WORDS = """
kemenag kementerianagama kemenagri kementrianagama depag departemenagama agama
kanwil kankemenag kanwilkemenag kua madrasah madrasahhebat mts mtsn man min ptkin uin iain
satker satuankerja pusat daerah pns asn aparatur pegawai honorer nip
zonaintegritas zi wbk wbbm wilayahbebaskorupsi birokrasibersih pmpzi lke tpi tpn reformasi
reformasibirokrasi integritas antikorupsi bersih melayani ikhlasberamal ikhlas beramal
ziportal portal portalzi sipeg simpeg
bismillah alhamdulillah subhanallah astaghfirullah insyaallah inshaallah mashaallah allahuakbar
assalamualaikum islam muslim iman taqwa takwa sholat salat quran alquran sunnah berkah barokah
rahasia katasandi sandi kunci masuk login admin administrator operator pengguna user rahasiaku
indonesia indonesiaraya merdeka garuda pancasila nusantara bhinneka jayalah jaya sukses maju
cinta sayang sayangku cintaku kasih bahagia semangat selamat selamatpagi
jakarta bandung surabaya yogyakarta jogja medan makassar semarang aceh
""".split()  # noqa: SIM905  (a block of words reads and diffs better than a list)

# Prefixes people glue to a base word ("admin" + "kemenag"), and words glued after it.
JOINERS_BEFORE = ["admin", "password", "pass", "sandi", "operator", "kemenag", "zi"]
JOINERS_AFTER = ["ri", "jaya", "hebat", "maju", "bisa", "admin", "pusat", "indonesia"]

YEARS = [str(year) for year in range(2020, 2031)]
# A few of the suffixes people add to pass a length or character rule; the validator strips
# trailing digits and punctuation anyway, so these only make the file useful on its own.
SUFFIXES = ["", "1", "12", "123", "1234", "!", "@", "123!", *YEARS]


def stems() -> set[str]:
    words = set(BASE_WORDS)
    for word in BASE_WORDS:
        words.update(f"{before}{word}" for before in JOINERS_BEFORE if before != word)
        words.update(f"{word}{after}" for after in JOINERS_AFTER if after != word)
    return words


def entries() -> list[str]:
    return sorted({stem + suffix for stem in stems() for suffix in SUFFIXES})


def build() -> bytes:
    text = "\n".join(entries()) + "\n"
    out = io.BytesIO()
    with gzip.GzipFile(filename="", mode="wb", fileobj=out, mtime=0) as compressed:
        compressed.write(text.encode())
    return out.getvalue()


def main(argv: list[str]) -> int:
    data = build()
    if "--check" in argv:
        if not OUTPUT.exists() or OUTPUT.read_bytes() != data:
            print(f"{OUTPUT} is stale: run scripts/build_password_list.py", file=sys.stderr)
            return 1
        return 0
    OUTPUT.parent.mkdir(parents=True, exist_ok=True)
    OUTPUT.write_bytes(data)
    print(f"{OUTPUT}: {len(entries())} passwords")
    return 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))

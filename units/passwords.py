"""Passwords that resist the obvious (issue 20 part 4), checked without any network call.

BreachedPasswordValidator refuses a password whose *stem* is an obvious choice for this
audience: the password lower-cased, with trailing (and leading) digits and punctuation stripped,
separators removed and leetspeak undone (0→o, 1→i or l, 3→e, 4→a, 5→s, 7→t, @→a, $→s). The
obvious choices are the list shipped in units/data/common-passwords.txt.gz (built by
scripts/build_password_list.py: Indonesian and Kemenag words and their usual joins) plus the
person's own: the portal's name, their e-mail's parts, name, NIP, and the names and codes of
the units they belong to. "Kemenag2026!", "B1sm1ll4h@123" and "zona-integritas!" are refused;
a password in which such a word is only a part ("Demo-ZI-2026!") is not: the rule is about
the whole stem, as guessing lists are. Django's CommonPasswordValidator (its own 20,000
breached passwords) and the minimum length of 12 run beside it (settings).
"""

from __future__ import annotations

import gzip
import re
from functools import cache
from pathlib import Path

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

LIST_PATH = Path(__file__).resolve().parent / "data" / "common-passwords.txt.gz"
# A stem this short is a digit run with a few letters (a NIP, a birth date, "ab123456789012").
MIN_STEM = 4
_EDGES = re.compile(r"^[\W\d_]+|[\W\d_]+$")
_SEPARATORS = re.compile(r"[\s\-_.,;:]+")
_LEET = str.maketrans({"0": "o", "3": "e", "4": "a", "5": "s", "7": "t", "@": "a", "$": "s"})
PORTAL_WORDS = {"ziportal", "portalzi", "zonaintegritas", "kemenag"}


@cache
def obvious_passwords(path: Path = LIST_PATH) -> frozenset[str]:
    with gzip.open(path, "rt", encoding="utf-8") as lines:
        return frozenset(line.strip() for line in lines if line.strip())


def stems(password: str) -> set[str]:
    """The forms of the password's stem compared with the list ("1" read as i and as l)."""
    lowered = _EDGES.sub("", password.lower())
    joined = _SEPARATORS.sub("", lowered).translate(_LEET)
    return {joined.replace("1", "i"), joined.replace("1", "l")}


def personal_words(user) -> set[str]:
    """The words a person's own password must not be: their e-mail, name, NIP and units."""
    if user is None:
        return set()
    words: set[str] = set()
    email = (getattr(user, "email", "") or "").lower()
    local, _at, domain = email.partition("@")
    words.update({local, _SEPARATORS.sub("", local), domain.split(".")[0]})
    words.update(re.split(r"[\W_]+", local))
    name = (getattr(user, "full_name", "") or "").lower()
    words.update({_SEPARATORS.sub("", name), *name.split()})
    nip = getattr(user, "nip", "") or ""
    if nip:
        words.update({nip, nip[:8], nip[8:14]})
    if getattr(user, "pk", None):
        for code, unit_name in user.memberships.values_list("unit__code", "unit__name"):
            words.update({code.lower(), _SEPARATORS.sub("", unit_name.lower())})
    return {word for word in words if len(word) >= 3}


class BreachedPasswordValidator:
    """AUTH_PASSWORD_VALIDATORS entry: see the module's docstring."""

    def __init__(self, path: str | None = None):
        self.path = Path(path) if path else LIST_PATH

    def validate(self, password: str, user=None) -> None:
        found = stems(password)
        if any(len(stem) < MIN_STEM for stem in found):
            raise ValidationError(
                _("Kata sandi ini hampir seluruhnya angka dan tanda baca; mudah ditebak."),
                code="password_mostly_digits",
            )
        obvious = obvious_passwords(self.path) | PORTAL_WORDS | personal_words(user)
        if found & obvious:
            raise ValidationError(
                _(
                    "Kata sandi ini terlalu mudah ditebak (kata umum, nama portal, unit, "
                    "email atau NIP Anda, dengan angka atau simbol di belakangnya)."
                ),
                code="password_obvious",
            )

    def get_help_text(self) -> str:
        return _(
            "Kata sandi Anda tidak boleh berupa kata umum (misalnya kemenag, bismillah, "
            "merdeka), nama portal atau unit, email atau NIP Anda, ditambah angka atau simbol."
        )

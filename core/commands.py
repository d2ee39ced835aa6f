"""What the portal's commands share: for those that score a JSON file (`lke_score`,
`ikm_score`), reading the file as a JSON object and refusing bad input with one line per problem
and exit status 2; for those that act as someone (`render_report`, `lke_workbook`), finding the
account named by --as."""

from __future__ import annotations

import json
from pathlib import Path
from typing import NoReturn

from django.core.management.base import BaseCommand, CommandError
from django.utils.translation import gettext as _


class JsonFileCommand(BaseCommand):
    # What the file must hold, said in the refusal: "a JSON object with answers and hasil".
    expected = "a JSON object"

    def read_json_object(self, file: Path, *, required: str = "") -> dict:
        try:
            data = json.loads(file.read_text(encoding="utf-8"))
        except FileNotFoundError:
            self.fail([f"{file}: file not found"])
        except (ValueError, UnicodeDecodeError) as error:
            self.fail([f"{file}: not valid JSON ({error})"])
        if not isinstance(data, dict) or (required and required not in data):
            self.fail([f"{file}: expected {self.expected}"])
        return data

    def fail(self, lines: list[str]) -> NoReturn:
        for line in lines:
            self.stderr.write(line)
        raise CommandError(
            f"{len(lines)} invalid entr{'y' if len(lines) == 1 else 'ies'}", returncode=2
        )

    @staticmethod
    def dumps(value) -> str:
        return json.dumps(value, indent=1, ensure_ascii=False)


def fail(message: str) -> NoReturn:
    raise CommandError(message, returncode=2)


def find_reader(email: str):
    """The account a file is made for, or None (nobody in particular) without --as."""
    if not email:
        return None
    from django.contrib.auth import get_user_model

    user = get_user_model().objects.filter(email__iexact=email.strip(), is_active=True).first()
    if user is None:
        fail(_("Akun %(email)s tidak dikenal atau tidak aktif.") % {"email": email})
    return user

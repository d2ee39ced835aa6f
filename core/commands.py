"""What the portal's commands that score a JSON file share (`lke_score`, `ikm_score`): reading
the file as a JSON object, and refusing bad input with one line per problem and exit status 2."""

from __future__ import annotations

import json
from pathlib import Path
from typing import NoReturn

from django.core.management.base import BaseCommand, CommandError


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

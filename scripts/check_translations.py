"""Fail when the English catalogue lacks a translation or keeps a fuzzy one (CI, make messages)."""

import re
import sys
from pathlib import Path

PO = Path(__file__).resolve().parent.parent / "locale/en/LC_MESSAGES/django.po"


def entries(text: str):
    for block in text.split("\n\n")[1:]:  # the first block is the header
        if block.startswith("#~") or "msgid" not in block:
            continue
        yield block


def main() -> int:
    problems = []
    for block in entries(PO.read_text(encoding="utf-8")):
        msgid = re.search(r'msgid "(.*)"', block).group(1)
        strings = re.findall(r'msgstr(?:\[\d\])? ((?:".*"\n?)+)', block + "\n")
        empty = any(not "".join(re.findall(r'"(.*)"', s)) for s in strings)
        if "#, fuzzy" in block or "fuzzy" in block.split("msgid")[0] or empty:
            problems.append(msgid or block.splitlines()[-1])
    for msgid in problems:
        print(f"untranslated or fuzzy in {PO.name}: {msgid}", file=sys.stderr)
    print(f"{PO}: {'incomplete' if problems else 'complete'}")
    return 1 if problems else 0


if __name__ == "__main__":
    sys.exit(main())

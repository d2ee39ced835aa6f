from pathlib import Path

import yaml
from django.core.management.base import BaseCommand, CommandError

from areas.instrument_db import version_from_instrument
from areas.instrument_yaml import DEFAULT_PATH, load_instrument_yaml, validate_instrument
from areas.models import LkeVersion, VersionStatus


class Command(BaseCommand):
    help = "Load an LKE instrument from YAML as a published version (default: LKE 90/2021)."

    def add_arguments(self, parser):
        parser.add_argument("--file", type=Path, default=DEFAULT_PATH)
        parser.add_argument(
            "--evidence",
            type=Path,
            default=DEFAULT_PATH.with_name("lke-2021-evidence.yaml"),
            help="YAML of required evidence per question code (empty to skip).",
        )
        parser.add_argument("--name", default="LKE PermenPAN-RB 90/2021")
        parser.add_argument("--regulation", default="PermenPAN-RB 90/2021")
        parser.add_argument("--year", type=int, default=2021)
        parser.add_argument("--draft", action="store_true", help="Load as a draft.")

    def handle(self, *args, file, evidence, name, regulation, year, draft, **options):
        if LkeVersion.objects.filter(name=name, year=year).exists():
            self.stdout.write(f"{name} is already loaded.")
            return
        if not file.is_file():
            raise CommandError(f"File not found: {file}")
        instrument = load_instrument_yaml(file)
        problems = validate_instrument(instrument)
        for problem in problems:
            self.stderr.write(problem)
        if problems:
            raise CommandError(f"{len(problems)} problem(s) in {file}; nothing loaded.")
        required = yaml.safe_load(evidence.read_text()) if evidence and evidence.is_file() else {}
        unknown = sorted(
            set(required)
            - {q.code for q in instrument.questions}
            - {h.code for h in instrument.hasil}
        )
        if unknown:
            raise CommandError(f"Unknown codes in {evidence}: {', '.join(unknown)}")
        version = version_from_instrument(
            instrument,
            required_evidence=required,
            name=name,
            regulation=regulation,
            year=year,
            status=VersionStatus.DRAFT if draft else VersionStatus.PUBLISHED,
        )
        self.stdout.write(
            self.style.SUCCESS(
                f"Loaded {version.name}: {version.questions.count()} scored items, "
                f"{version.predicate_rules.count()} predicate rules."
            )
        )

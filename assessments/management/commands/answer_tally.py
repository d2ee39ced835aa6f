"""Check or rebuild the dashboards' tally of the answers: `answer_tally [--rebuild]
[--assessment ID ...]`. Without --rebuild it compares what is kept with the answers, prints
each difference and exits 1 when there is one."""

from django.core.management.base import BaseCommand, CommandError

from assessments.worksheet import tally


class Command(BaseCommand):
    help = (
        "Compare the dashboards' tally (points and answered items per assessment, layer and "
        "area) with the answers; --rebuild recomputes it from the answers."
    )

    def add_arguments(self, parser):
        parser.add_argument("--rebuild", action="store_true", help="Recompute from the answers.")
        parser.add_argument(
            "--assessment", type=int, action="append", help="Only this assessment (repeatable)."
        )

    def handle(self, *args, rebuild: bool, assessment: list[int] | None, **options):
        if rebuild:
            rows = tally.rebuild(assessment)
            self.stdout.write(f"tally rebuilt: {rows} rows")
            return
        differences = tally.differences(assessment)
        for (pk, layer, part), kept, fresh in differences:
            self.stdout.write(
                f"assessment {pk} layer {layer} part {part}: kept {kept[0]} / {kept[1]}, "
                f"answers give {fresh[0]} / {fresh[1]}"
            )
        if differences:
            raise CommandError(
                f"{len(differences)} tally rows differ from the answers (run with --rebuild)",
                returncode=1,
            )
        self.stdout.write("tally matches the answers")

from django.core.management.base import BaseCommand

from surveys.demo import seed_surveys


class Command(BaseCommand):
    help = "Demo surveys with responses in the demo period (after seed_demo; idempotent)."

    def handle(self, *args, **options):
        made = seed_surveys()
        self.stdout.write(f"Demo surveys: {made} new.")

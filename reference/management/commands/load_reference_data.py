from django.core.management.base import BaseCommand

from reference.services import reference_data_load


class Command(BaseCommand):
    help = "Load the county's districts, localities, former children's centres, bases and budget (idempotent)."

    def handle(self, *args, **options):
        report = reference_data_load()
        if not report.changed:
            self.stdout.write("Reference data already up to date: nothing changed.")
            return
        for label, counts in (("created", report.created), ("updated", report.updated)):
            for model, n in sorted(counts.items()):
                self.stdout.write(f"{model}: {n} {label}")

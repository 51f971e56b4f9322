"""Import open cases from a previous provider's CSV file: every row or nothing (docs/import-format.md)."""

from pathlib import Path

from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand, CommandError

from ecfs.errors import ApplicationError
from imports.models import ImportBatch
from imports.services import open_cases_import


class Command(BaseCommand):
    help = "Import open cases from a previous provider's CSV file: every row, or nothing when any row is wrong."

    def add_arguments(self, parser):
        parser.add_argument("csv_file", type=Path)
        parser.add_argument("--actor", required=True, help="Email address of the service admin running the import.")
        parser.add_argument("--dry-run", action="store_true", help="Check the file and report; import nothing.")

    def handle(self, *args, csv_file: Path, actor: str, dry_run: bool, **options):
        user = get_user_model().objects.filter(email__iexact=actor.strip()).first()
        if user is None:
            raise CommandError(f"No user has the email address {actor}.")
        try:
            data = csv_file.read_bytes()
        except OSError as error:
            raise CommandError(f"Cannot read {csv_file}: {error.strerror}") from error

        def progress(stage: str, done: int, total: int) -> None:
            width = 30
            filled = width * done // total if total else width
            self.stderr.write(f"\r{stage:<9} [{'#' * filled}{'.' * (width - filled)}] {done}/{total}", ending="")
            if done == total:
                self.stderr.write("")

        try:
            report = open_cases_import(
                data=data,
                file_name=csv_file.name,
                actor=user,
                channel=ImportBatch.Channel.COMMAND,
                dry_run=dry_run,
                progress=progress,
            )
        except ApplicationError as error:
            raise CommandError(error.message) from error
        for line in report.lines()[:-1]:
            self.stdout.write(line)
        if not report.ok:
            raise CommandError(report.summary)
        self.stdout.write(self.style.SUCCESS(report.summary))

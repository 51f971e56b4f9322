from datetime import date

from django.core.management.base import BaseCommand, CommandError
from django.utils import timezone

from privacy.retention import families_due, referrals_due
from privacy.services import referral_retention_run, retention_run


class Command(BaseCommand):
    help = (
        "Anonymise families, and referrals never linked to a family, past their retention date (the nightly job "
        "does this); --dry-run lists them."
    )

    def add_arguments(self, parser):
        parser.add_argument("--dry-run", action="store_true", help="List what would be anonymised; change nothing.")
        parser.add_argument("--today", help="Run as if today were this date (YYYY-MM-DD).")

    def handle(self, *args, dry_run, today, **options):
        try:
            today = date.fromisoformat(today) if today else timezone.localdate()
        except ValueError as error:
            raise CommandError(f"--today must be a date like 2026-04-01: {error}") from error
        if dry_run:
            due = families_due(today=today)
            for item in due:
                self.stdout.write(f"{item.family.reference}\tkept until {item.keep_until:%Y-%m-%d}\t{item.rule}")
            referrals = referrals_due(today=today)
            for item in referrals:
                self.stdout.write(
                    f"{item.referral.reference}\treferral never linked to a family, kept until "
                    f"{item.keep_until:%Y-%m-%d}\t{item.rule}"
                )
            self.stdout.write(
                f"{len(due)} families and {len(referrals)} referrals would be anonymised (dry run: nothing changed)."
            )
            return
        results = retention_run(today=today)
        for result in results:
            status = "anonymised" if result.anonymised else f"skipped ({result.reason})"
            self.stdout.write(f"{result.family}\t{status}")
        referrals = referral_retention_run(today=today)
        for result in referrals:
            status = "anonymised" if result.anonymised else f"skipped ({result.reason})"
            self.stdout.write(f"{result.referral}\treferral {status}")
        self.stdout.write(
            f"{sum(r.anonymised for r in results)} families and {sum(r.anonymised for r in referrals)} referrals "
            "anonymised."
        )

from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from ecfs.errors import ApplicationError
from reporting.services import period_for, return_generate


class Command(BaseCommand):
    help = "Generate (or refresh) the draft return for a period and write its PDF: --period 2026-08 or 2026-Q2."

    def add_arguments(self, parser):
        parser.add_argument("--period", required=True, help="YYYY-MM for a month, YYYY-Qn for a financial quarter")
        parser.add_argument("--out", help="write the PDF here as well")

    def handle(self, *args, **options):
        try:
            period = period_for("", options["period"])
        except ApplicationError as error:
            raise CommandError(error.message) from error
        generated = return_generate(period=period)
        self.stdout.write(f"{generated} for {period.title}")
        if options["out"]:
            out = Path(options["out"])
            with generated.pdf.open("rb") as pdf:
                out.write_bytes(pdf.read())
            self.stdout.write(f"PDF: {out.resolve()}")
        else:
            self.stdout.write(f"PDF: {generated.pdf.path}")
        self.stdout.write(f"SHA-256: {generated.pdf_sha256}")

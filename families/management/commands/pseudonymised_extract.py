import os
from pathlib import Path

from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand, CommandError

from ecfs.audit.actions import AuditAction
from ecfs.audit.services import audit_record
from ecfs.errors import ApplicationError
from families.extracts import pseudonymised_extract, salt_check


class Command(BaseCommand):
    help = (
        "Write a pseudonymised CSV extract (one row per person) for analysis or data sharing. "
        "The salt is read from an environment variable, never from the command line."
    )

    def add_arguments(self, parser):
        parser.add_argument("--out", required=True, help="the CSV file to write")
        parser.add_argument(
            "--salt-env", default="EXTRACT_SALT", help="environment variable holding the salt (default EXTRACT_SALT)"
        )
        parser.add_argument("--actor", required=True, help="email of the user responsible for the extract (audited)")

    def handle(self, *args, **options):
        salt_env = options["salt_env"]
        try:
            salt = salt_check(os.environ.get(salt_env, ""))
        except ApplicationError as error:
            raise CommandError(f"{error.message} (environment variable {salt_env})") from error
        actor = get_user_model().objects.filter(email__iexact=options["actor"], is_active=True).first()
        if actor is None:
            raise CommandError(f"No active user with the email {options['actor']}.")
        out = Path(options["out"])
        # Owner-only permissions: the file is pseudonymised, not anonymised.
        descriptor = os.open(out, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
        with os.fdopen(descriptor, "w", newline="", encoding="utf-8") as stream:
            result = pseudonymised_extract(out=stream, salt=salt)
        audit_record(
            actor=actor,
            action=AuditAction.EXTRACT_PSEUDONYMISED,
            obj=actor,
            summary=f"Pseudonymised extract: {result.rows} people in {result.families} families",
            changes={"rows": result.rows, "families": result.families, "file": out.name, "salt_env": salt_env},
        )
        self.stdout.write(f"{result.rows} rows ({result.families} families) written to {out.resolve()}")

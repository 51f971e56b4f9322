from django.core.management.base import BaseCommand, CommandError

from ecfs.demo import DEMO_PASSWORD, demo_staff_seed
from ecfs.errors import ApplicationError


class Command(BaseCommand):
    help = "Create demo staff for every role at every base (idempotent) and print their logins."

    def handle(self, *args, **options):
        try:
            logins = demo_staff_seed()
        except ApplicationError as error:
            raise CommandError(error.message) from error
        width = max(len(login.email) for login in logins)
        self.stdout.write("")
        self.stdout.write(f"Demo logins (password for every account: {DEMO_PASSWORD})")
        self.stdout.write(f"{'Role':<24} {'Email':<{width}}  {'Name':<22} Where")
        for login in logins:
            self.stdout.write(f"{login.role:<24} {login.email:<{width}}  {login.name:<22} {login.where}")
        self.stdout.write("")

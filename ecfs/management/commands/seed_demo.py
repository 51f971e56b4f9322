from django.core.management.base import BaseCommand, CommandError

from ecfs.demo import DEMO_PASSWORD, demo_seed
from ecfs.demo_families import demo_families_summary
from ecfs.demo_support import demo_support_summary
from ecfs.errors import ApplicationError


class Command(BaseCommand):
    help = (
        "Create demo staff for every role at every base, demo families and referrals in every state, and their "
        "support: plans, contacts, group courses, the fund and returns (idempotent); print the logins and what is "
        "there."
    )

    def handle(self, *args, **options):
        try:
            logins, families, support = demo_seed()
        except ApplicationError as error:
            raise CommandError(error.message) from error
        width = max(len(login.email) for login in logins)
        self.stdout.write("")
        self.stdout.write(f"Demo logins (password for every account: {DEMO_PASSWORD})")
        self.stdout.write(f"{'Role':<24} {'Email':<{width}}  {'Name':<22} Where")
        for login in logins:
            self.stdout.write(f"{login.role:<24} {login.email:<{width}}  {login.name:<22} {login.where}")
        self.stdout.write("")
        self.stdout.write(demo_families_summary(families))
        self.stdout.write(demo_support_summary(support))
        self.stdout.write("")

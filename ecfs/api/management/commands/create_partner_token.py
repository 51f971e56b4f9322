from django.core.management.base import BaseCommand, CommandError

from ecfs.api.services import partner_system_create
from ecfs.errors import ApplicationError


class Command(BaseCommand):
    help = "Register a partner system that may send referrals, and print its token once."

    def add_arguments(self, parser):
        parser.add_argument("name", help='The partner system, e.g. "Health visiting service"')

    def handle(self, *args, name, **options):
        try:
            partner, token = partner_system_create(name=name)
        except ApplicationError as error:
            raise CommandError(error.message) from error
        self.stdout.write(f"Partner system: {partner.name} ({partner.uuid})")
        self.stdout.write(f"Token: {token}")
        self.stdout.write("Give this token to the partner now: it is stored only as a hash and cannot be shown again.")

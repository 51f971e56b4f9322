from django.core.management.base import BaseCommand, CommandError

from devdata.demo import DEMO_PASSWORD, demo_seed
from devdata.demo_advice import demo_advice_seed, demo_advice_summary
from devdata.demo_community import demo_community_seed, demo_community_summary
from devdata.demo_development import demo_development_seed, demo_development_summary
from devdata.demo_families import demo_families_summary
from devdata.demo_frontdoor import demo_frontdoor_seed, demo_frontdoor_summary
from devdata.demo_notifications import demo_notifications_seed, demo_notifications_summary
from devdata.demo_partnership import demo_partnership_seed, demo_partnership_summary
from devdata.demo_privacy import demo_privacy_seed, demo_privacy_summary
from devdata.demo_registration import demo_registration_seed, demo_registration_summary
from devdata.demo_support import demo_returns_seed, demo_support_summary
from devdata.demo_voice import demo_voice_seed, demo_voice_summary
from devdata.demo_workforce import demo_workforce_seed, demo_workforce_summary
from ecfs.errors import ApplicationError


class Command(BaseCommand):
    help = (
        "Create demo staff for every role at every base, demo families and referrals in every state, and their "
        "support: plans, contacts, group courses, the fund and returns (idempotent); print the logins and what is "
        "there."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--scale",
            help="instead of the small demo, bulk-load F times county scale (about 50,000 families and a million "
            "contacts at 'county' or 1; 0.01 is 1%%) for benchmarks: see docs/performance.md",
        )

    def handle(self, *args, **options):
        if options["scale"]:
            self._scale(options["scale"])
            return
        try:
            logins, families, support = demo_seed()
            privacy = demo_privacy_seed()
            requests = demo_frontdoor_seed()
            advice = demo_advice_seed()
            community = demo_community_seed()
            registration = demo_registration_seed()
            development = demo_development_seed()
            partnership = demo_partnership_seed()
            workforce = demo_workforce_seed()
            voice = demo_voice_seed()
            notifications = demo_notifications_seed()
            # Last, so that every section of the returns has the demo's records to count.
            returns = demo_returns_seed()
        except ApplicationError as error:
            raise CommandError(error.message) from error
        width = max(len(login.email) for login in logins)
        self.stdout.write("")
        self.stdout.write(f"Demo logins (password for every account: {DEMO_PASSWORD})")
        self.stdout.write(f"{'Role':<24} {'Email':<{width}}  {'Name':<22} Where")
        for login in logins:
            self.stdout.write(f"{login.role:<24} {login.email:<{width}}  {login.name:<22} {login.where}")
        self.stdout.write(
            "Team managers, commissioners and the service admin set up an authenticator app at their first sign-in "
            "(any TOTP app: scan the QR code or type the key) and are shown 10 recovery codes. Workers are not asked "
            "unless they turn it on at 'Your account'."
        )
        self.stdout.write("")
        self.stdout.write(demo_families_summary(families))
        self.stdout.write(demo_support_summary(support))
        self.stdout.write(demo_privacy_summary(privacy))
        self.stdout.write(demo_frontdoor_summary(requests))
        self.stdout.write(demo_advice_summary(advice))
        self.stdout.write(demo_community_summary(community))
        self.stdout.write(demo_registration_summary(registration))
        self.stdout.write(demo_development_summary(development))
        self.stdout.write(demo_partnership_summary(partnership))
        self.stdout.write(demo_workforce_summary(workforce))
        self.stdout.write(demo_voice_summary(voice))
        self.stdout.write(demo_notifications_summary(notifications))
        self.stdout.write(f"Demo returns submitted: {', '.join(returns) or 'none'}")
        self.stdout.write("")

    def _scale(self, value: str) -> None:
        from devdata.demo import refuse_unless_demo_key
        from devdata.scale import parse_scale, scale_seed

        try:
            factor = parse_scale(value)
            refuse_unless_demo_key()
        except ValueError:
            raise CommandError(f"--scale {value}: give a positive number such as 0.01, or 'county'") from None
        except ApplicationError as error:
            raise CommandError(error.message) from error
        counts = scale_seed(factor=factor, stdout=self.stdout)
        self.stdout.write("Loaded: " + ", ".join(f"{name} {n:,}" for name, n in counts.items()))

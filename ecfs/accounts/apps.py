from django.apps import AppConfig
from django.conf import settings
from django.core.exceptions import ImproperlyConfigured


class AccountsConfig(AppConfig):
    name = "ecfs.accounts"
    label = "accounts"
    verbose_name = "Accounts"

    def ready(self):
        from ecfs.roles import Role

        unknown = set(settings.ECFS_MFA_REQUIRED_ROLES) - set(Role.values)
        if unknown:
            raise ImproperlyConfigured(
                f"ECFS_MFA_REQUIRED_ROLES names unknown roles {sorted(unknown)}: use some of {sorted(Role.values)}"
            )

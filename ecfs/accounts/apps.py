from django.apps import AppConfig


class AccountsConfig(AppConfig):
    name = "ecfs.accounts"
    label = "accounts"
    verbose_name = "Accounts"

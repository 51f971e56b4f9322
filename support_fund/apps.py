from django.apps import AppConfig


class SupportFundConfig(AppConfig):
    name = "support_fund"

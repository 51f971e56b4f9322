from django.apps import AppConfig


class PartnershipConfig(AppConfig):
    name = "partnership"
    verbose_name = "Partnership: team around the family meetings and onward referrals"

    def ready(self):
        from families.support.selectors import week_source_register

        from .selectors import week_items

        week_source_register(week_items)

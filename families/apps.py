from django.apps import AppConfig


class FamiliesConfig(AppConfig):
    name = "families"

    def ready(self):
        from ecfs.audit.visibility import visible_families_register

        from .selectors import family_list

        # The audit trail shows a family's details only to those who may see the family.
        visible_families_register(lambda user: family_list(user=user).values_list("pk", flat=True))

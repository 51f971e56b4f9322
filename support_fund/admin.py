from django.contrib import admin

from .models import FundLimits, FundSource


@admin.register(FundLimits)
class FundLimitsAdmin(admin.ModelAdmin):
    list_display = ["max_per_payment", "max_per_family_12_months", "modified_at"]

    def has_add_permission(self, request):
        return not FundLimits.objects.exists()

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(FundSource)
class FundSourceAdmin(admin.ModelAdmin):
    list_display = ["name", "kind", "priority"]

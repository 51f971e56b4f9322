from django.contrib import admin

from .models import BudgetActual, ContractBudgetLine, KpiTarget


@admin.register(KpiTarget)
class KpiTargetAdmin(admin.ModelAdmin):
    list_display = ["code", "direction", "value"]


@admin.register(BudgetActual)
class BudgetActualAdmin(admin.ModelAdmin):
    list_display = ["line", "financial_year", "quarter", "amount"]
    list_filter = ["financial_year", "quarter"]


@admin.register(ContractBudgetLine)
class ContractBudgetLineAdmin(admin.ModelAdmin):
    list_display = ["name", "ecfs_indicative_pct", "ecfs_indicative_gbp"]

    def has_delete_permission(self, request, obj=None):
        return False

from django.contrib import admin

from .models import ImportBatch


@admin.register(ImportBatch)
class ImportBatchAdmin(admin.ModelAdmin):
    """Batches hold counts and error positions only; imported records and reviews are case records (not here)."""

    list_display = ["file_name", "status", "channel", "rows_total", "rows_imported", "rows_for_review", "created_at"]
    list_filter = ["status", "channel"]
    readonly_fields = [field.name for field in ImportBatch._meta.fields]

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False

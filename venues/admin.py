from django.contrib import admin

from .models import GroupProgramme, Venue


@admin.register(Venue)
class VenueAdmin(admin.ModelAdmin):
    list_display = ["name", "district", "role", "kind", "has_building", "status"]
    list_filter = ["district", "role", "kind", "status"]
    search_fields = ["name", "postcode"]
    list_select_related = ["district"]


@admin.register(GroupProgramme)
class GroupProgrammeAdmin(admin.ModelAdmin):
    """The programme catalogue is configuration; courses, enrolments and registers are case records (not here)."""

    list_display = ["name", "evidence_based", "sessions_count", "target_group", "is_active"]
    list_filter = ["evidence_based", "is_active"]
    search_fields = ["name", "target_group"]
    readonly_fields = ["uuid"]

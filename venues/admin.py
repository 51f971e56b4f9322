from django.contrib import admin

from .models import Venue


@admin.register(Venue)
class VenueAdmin(admin.ModelAdmin):
    list_display = ["name", "district", "role", "kind", "has_building", "status"]
    list_filter = ["district", "role", "kind", "status"]
    search_fields = ["name", "postcode"]
    list_select_related = ["district"]

from django.contrib import admin

from .models import Base, District, Locality, StaffProfile, Team


@admin.register(District)
class DistrictAdmin(admin.ModelAdmin):
    list_display = ["name", "bases_from_oct_2019", "onsite_group_sessions_pct_2018", "targeted_group_sessions_pct_2018"]
    prepopulated_fields = {"slug": ["name"]}


@admin.register(Locality)
class LocalityAdmin(admin.ModelAdmin):
    list_display = ["name", "district", "under_5", "need_index"]
    list_filter = ["district"]
    ordering = ["-need_index"]


@admin.register(Base)
class BaseAdmin(admin.ModelAdmin):
    list_display = ["name", "district", "venue"]
    list_filter = ["district"]
    list_select_related = ["district", "venue"]


@admin.register(Team)
class TeamAdmin(admin.ModelAdmin):
    list_display = ["name", "base", "manager"]
    list_filter = ["base__district"]
    list_select_related = ["base", "manager"]
    autocomplete_fields = ["manager"]


@admin.register(StaffProfile)
class StaffProfileAdmin(admin.ModelAdmin):
    list_display = ["user", "team", "job_title"]
    list_filter = ["team__base__district", "team"]
    list_select_related = ["user", "team"]
    autocomplete_fields = ["user"]
    search_fields = ["user__email", "user__first_name", "user__last_name"]

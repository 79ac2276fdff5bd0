from django.contrib import admin

from accounts.admin_site import ScopedModelAdmin

from .models import Team


@admin.register(Team)
class TeamAdmin(ScopedModelAdmin):
    list_display = ("name", "ward", "hamlet", "is_active")
    list_filter = ("is_active",)
    list_select_related = ("ward", "hamlet")
    search_fields = ("name", "hamlet__name")
    autocomplete_fields = ("ward", "hamlet")

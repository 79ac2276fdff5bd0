from django.contrib import admin

from accounts.admin_site import ScopedModelAdmin, ScopedTabularInline

from .models import Member, Membership, Team


class MembershipInline(ScopedTabularInline):
    model = Membership
    extra = 0
    fields = ("member", "team", "role", "joined_on", "left_on")


class TeamMembershipInline(MembershipInline):
    autocomplete_fields = ("member",)
    fields = ("member", "role", "joined_on", "left_on")


class MemberMembershipInline(MembershipInline):
    fields = ("team", "role", "joined_on", "left_on")


@admin.register(Team)
class TeamAdmin(ScopedModelAdmin):
    list_display = ("name", "kind", "ward", "hamlet", "founded_on", "is_active")
    list_filter = ("kind", "is_active")
    list_select_related = ("ward", "hamlet")
    search_fields = ("name", "hamlet__name")
    autocomplete_fields = ("ward", "hamlet")
    date_hierarchy = "founded_on"
    inlines = [TeamMembershipInline]


@admin.register(Member)
class MemberAdmin(ScopedModelAdmin):
    list_display = ("full_name", "phone", "affiliation", "ward")
    list_filter = ("affiliation",)
    list_select_related = ("ward",)
    search_fields = ("full_name", "phone")
    autocomplete_fields = ("ward",)
    raw_id_fields = ("user",)
    inlines = [MemberMembershipInline]

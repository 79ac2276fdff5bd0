from django import forms
from django.apps import apps
from django.contrib import admin
from django.utils.module_loading import import_string
from django.utils.translation import gettext_lazy as _

from accounts.admin_site import (
    ScopedHistoryAdmin,
    ScopedImportExportMixin,
    ScopedModelAdmin,
    ScopedTabularInline,
)
from accounts.models import Role

from .models import Member, Membership, ServicePoint, Shift, SupportStaff, Team
from .resources import MemberResource, TeamResource

ONLY_USED = admin.RelatedOnlyFieldListFilter
# Apps downstream of teams (training) show their rows on the member's page;
# teams cannot import them, so each names its inlines, as dotted paths, in
# this attribute of its AppConfig.
MEMBER_INLINES = "member_admin_inlines"


def contributed_inlines(attribute: str) -> list[type[admin.options.InlineModelAdmin]]:
    """The inlines the installed apps name in ``attribute`` of their AppConfig."""
    return [
        import_string(path)
        for config in apps.get_app_configs()
        for path in getattr(config, attribute, ())
    ]


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
class TeamAdmin(ScopedImportExportMixin, ScopedModelAdmin):
    resource_classes = [TeamResource]
    list_display = ("name", "kind", "ward", "hamlet", "founded_on", "is_active")
    list_filter = ("kind", "is_active", ("hamlet", ONLY_USED), ("ward", ONLY_USED))
    list_select_related = ("ward", "hamlet")
    search_fields = ("name", "hamlet__name")
    autocomplete_fields = ("ward", "hamlet")
    inlines = [TeamMembershipInline]


@admin.register(Member)
class MemberAdmin(ScopedHistoryAdmin, ScopedImportExportMixin, ScopedModelAdmin):
    resource_classes = [MemberResource]
    list_display = ("full_name", "phone", "affiliation", "ward")
    list_filter = ("affiliation", ("teams", ONLY_USED), ("ward", ONLY_USED))
    list_select_related = ("ward",)
    search_fields = ("search_text",)
    search_rank_field = "full_name"
    search_help_text = _("Name or phone; accents and case do not matter.")
    autocomplete_fields = ("ward",)
    raw_id_fields = ("user",)
    inlines = [MemberMembershipInline]

    def __init__(self, model, admin_site):
        super().__init__(model, admin_site)
        # Per instance, when the admin registers it: the apps are loaded by
        # then, and the class itself stays as teams wrote it.
        self.inlines = [*self.inlines, *contributed_inlines(MEMBER_INLINES)]


@admin.register(ServicePoint)
class ServicePointAdmin(ScopedModelAdmin):
    list_display = ("name", "kind", "hamlet", "address", "ward", "is_active")
    list_filter = ("kind", "is_active", ("ward", ONLY_USED))
    list_select_related = ("ward", "hamlet")
    search_fields = ("name", "address")
    autocomplete_fields = ("ward", "hamlet")


class ShiftForm(forms.ModelForm):
    class Meta:
        model = Shift
        fields = ("service_point", "date", "period", "members", "note")

    def clean(self):
        cleaned = super().clean()
        point = cleaned.get("service_point")
        outsiders = [
            member
            for member in cleaned.get("members") or ()
            if point and member.ward_id != point.ward_id
        ]
        if outsiders:
            self.add_error(
                "members",
                _("Only members of the service point's ward can be on duty: %(names)s.")
                % {"names": ", ".join(member.full_name for member in outsiders)},
            )
        return cleaned


@admin.register(Shift)
class ShiftAdmin(ScopedModelAdmin):
    form = ShiftForm
    list_display = ("date", "period", "service_point", "on_duty")
    list_filter = ("period", ("service_point", ONLY_USED))
    list_select_related = ("service_point",)
    search_fields = ("service_point__name", "note")
    autocomplete_fields = ("service_point", "members")
    date_hierarchy = "date"

    def get_queryset(self, request):
        return super().get_queryset(request).prefetch_related("members")

    @admin.display(description=_("members on duty"))
    def on_duty(self, shift):
        return ", ".join(member.full_name for member in shift.members.all())


@admin.register(SupportStaff)
class SupportStaffAdmin(ScopedHistoryAdmin, ScopedModelAdmin):
    # The province assigns IT support to its communes; ward officials read
    # who theirs are.
    edit_roles = (Role.PROVINCE,)
    list_display = (
        "full_name",
        "organisation",
        "organisation_name",
        "phone",
        "starts_on",
        "ends_on",
        "ward",
    )
    list_filter = ("organisation", ("ward", ONLY_USED))
    list_select_related = ("ward",)
    search_fields = ("search_text",)
    search_help_text = _("Name, phone or organisation; accents and case do not matter.")
    autocomplete_fields = ("ward",)
    date_hierarchy = "starts_on"
    fields = (
        "ward",
        "full_name",
        "organisation",
        "organisation_name",
        "phone",
        "starts_on",
        "ends_on",
    )

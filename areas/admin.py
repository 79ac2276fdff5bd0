from django.contrib import admin

from accounts.admin_site import ScopedImportExportMixin, ScopedModelAdmin
from accounts.models import Role

from .models import Hamlet, Province, Ward
from .resources import HamletResource


class OfficialListAdmin(ScopedModelAdmin):
    """Provinces and wards come from the official list (load_areas), not forms."""

    edit_roles = ()

    def has_add_permission(self, request, *args):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(Province)
class ProvinceAdmin(OfficialListAdmin):
    # The province decides for its own ward officials: province staff change
    # that one setting of their province, nothing of the official list.
    edit_roles = (Role.PROVINCE,)
    list_display = ("code", "name", "kind", "ward_officials_mfa_required")
    list_filter = ("kind", "ward_officials_mfa_required")
    search_fields = ("code", "name", "codename")
    readonly_fields = ("code", "name", "kind", "codename")
    fields = ("code", "name", "kind", "codename", "ward_officials_mfa_required")


@admin.register(Ward)
class WardAdmin(OfficialListAdmin):
    list_display = ("code", "name", "kind", "province")
    list_filter = ("kind", "province")
    list_select_related = ("province",)
    search_fields = ("code", "name", "codename")
    readonly_fields = ("code", "name", "kind", "codename", "province")


@admin.register(Hamlet)
class HamletAdmin(ScopedImportExportMixin, ScopedModelAdmin):
    resource_classes = [HamletResource]
    edit_roles = (Role.WARD,)
    list_display = ("name", "kind", "ward", "is_active")
    list_filter = ("kind", "is_active")
    list_select_related = ("ward",)
    search_fields = ("name",)
    autocomplete_fields = ("ward",)

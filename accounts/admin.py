from django.contrib import admin
from django.contrib.auth.admin import UserAdmin
from django.contrib.auth.forms import UserChangeForm, UserCreationForm
from django.utils.translation import gettext_lazy as _

from .admin_site import ScopedModelAdmin
from .models import Role, User
from .scope import Level, scope_for

# Which accounts an official manages: ward officials those of their wards'
# teams, province staff the ward officials of their province. Nobody below
# national level creates or edits an account of their own level or above.
GRANTABLE_ROLES = {
    Level.NATIONAL: list(Role),
    Level.PROVINCE: [Role.WARD],
    Level.WARD: [Role.TEAM_LEADER, Role.TEAM_MEMBER],
}


def grantable_roles(user) -> list[Role]:
    return GRANTABLE_ROLES.get(scope_for(user).level, [])


class PlatformUserCreationForm(UserCreationForm):
    class Meta(UserCreationForm.Meta):
        model = User
        fields = ("username", "role", "province", "ward", "team")


class PlatformUserChangeForm(UserChangeForm):
    class Meta(UserChangeForm.Meta):
        model = User


@admin.register(User)
class PlatformUserAdmin(ScopedModelAdmin, UserAdmin):
    edit_roles = (Role.WARD, Role.PROVINCE)
    form = PlatformUserChangeForm
    add_form = PlatformUserCreationForm
    list_display = ("username", "role", "province", "ward", "team", "is_active")
    list_filter = ("role", "is_active")
    list_select_related = ("province", "ward", "team")
    search_fields = ("username", "first_name", "last_name")
    autocomplete_fields = ("province", "ward", "team")
    ordering = ("username",)
    readonly_fields = ("last_login", "date_joined")
    area_fieldset = (
        _("Role and area"),
        {
            "fields": ("role", "province", "ward", "team"),
            "description": _(
                "Province staff need a province, ward officials a ward, team "
                "leaders and members a team; the wider areas are filled in."
            ),
        },
    )
    add_fieldsets = (
        (
            None,
            {
                "classes": ("wide",),
                "fields": ("username", "password1", "password2"),
            },
        ),
        area_fieldset,
    )

    def get_fieldsets(self, request, obj=None):
        if obj is None:
            return self.add_fieldsets
        fieldsets = [
            (None, {"fields": ("username", "password")}),
            (_("Personal info"), {"fields": ("first_name", "last_name", "email")}),
            self.area_fieldset,
            (_("Status"), {"fields": ("is_active", "last_login", "date_joined")}),
        ]
        if scope_for(request.user).is_national:
            fieldsets.append(
                (
                    _("Permissions"),
                    {"fields": ("is_superuser", "groups", "user_permissions")},
                )
            )
        return fieldsets

    def has_change_permission(self, request, obj=None):
        allowed = super().has_change_permission(request, obj)
        return allowed and (obj is None or obj.role in grantable_roles(request.user))

    def has_delete_permission(self, request, obj=None):
        # Accounts are switched off (active unticked), not deleted: the
        # history of what they recorded keeps its author.
        return scope_for(request.user).is_national

    def formfield_for_choice_field(self, db_field, request, **kwargs):
        if db_field.name == "role":
            kwargs["choices"] = [
                (role.value, role.label) for role in grantable_roles(request.user)
            ]
        return super().formfield_for_choice_field(db_field, request, **kwargs)

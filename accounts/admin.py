from django.contrib import admin
from django.contrib.auth.admin import UserAdmin
from django.contrib.auth.forms import UserChangeForm, UserCreationForm
from django.utils.translation import gettext_lazy as _

from .admin_site import ScopedModelAdmin
from .models import Role, User
from .scope import Level, scope_for

# Which roles an official may hand out: never wider than their own.
GRANTABLE_ROLES = {
    Level.NATIONAL: list(Role),
    Level.PROVINCE: [Role.PROVINCE, Role.WARD, Role.TEAM_LEADER, Role.TEAM_MEMBER],
    Level.WARD: [Role.WARD, Role.TEAM_LEADER, Role.TEAM_MEMBER],
}


class PlatformUserCreationForm(UserCreationForm):
    class Meta(UserCreationForm.Meta):
        model = User
        fields = ("username", "role", "province", "ward", "team")


class PlatformUserChangeForm(UserChangeForm):
    class Meta(UserChangeForm.Meta):
        model = User


@admin.register(User)
class PlatformUserAdmin(ScopedModelAdmin, UserAdmin):
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

    def formfield_for_choice_field(self, db_field, request, **kwargs):
        if db_field.name == "role":
            allowed = GRANTABLE_ROLES.get(scope_for(request.user).level, [])
            kwargs["choices"] = [(role.value, role.label) for role in allowed]
        return super().formfield_for_choice_field(db_field, request, **kwargs)

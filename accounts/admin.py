from django import forms
from django.contrib import admin, messages
from django.contrib.auth.admin import UserAdmin
from django.contrib.auth.forms import UserChangeForm, UserCreationForm
from django.utils import formats, timezone
from django.utils.translation import gettext, ngettext
from django.utils.translation import gettext_lazy as _

from .admin_site import ScopedModelAdmin
from .api_keys import api_key_issue
from .models import ApiKey, Role, User, networks_validate
from .scope import Level, scope_for
from .sessions import user_sessions_end
from .two_factor import user_two_factor_reset

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
    list_display = (
        "username",
        "role",
        "province",
        "ward",
        "team",
        "is_active",
        "last_sign_in",
    )
    list_filter = ("role", "is_active")
    actions = ["end_sessions", "reset_two_factor"]
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

    @admin.display(description=_("last sign-in"), ordering="last_login")
    def last_sign_in(self, user):
        return _vietnam_time(user.last_login)

    def _managed(self, request, queryset) -> tuple[list[User], int]:
        """The chosen accounts the official manages, and how many were not.

        The list is already the official's scope; within it, only the accounts
        they manage (as for editing): a ward official's team members,
        province staff's ward officials.
        """
        chosen = list(queryset)
        users = [user for user in chosen if user.role in grantable_roles(request.user)]
        return users, len(chosen) - len(users)

    @admin.action(description=_("End sign-in sessions"), permissions=["change"])
    def end_sessions(self, request, queryset):
        users, skipped = self._managed(request, queryset)
        user_sessions_end(users=users)
        for user in users:
            self.log_change(
                request, user, gettext("Ended the account's sign-in sessions.")
            )
        if users:
            self.message_user(
                request,
                ngettext(
                    "Ended the sign-in sessions of %(count)d account: it must "
                    "sign in again.",
                    "Ended the sign-in sessions of %(count)d accounts: they must "
                    "sign in again.",
                    len(users),
                )
                % {"count": len(users)},
                messages.SUCCESS,
            )
        self._report_skipped(request, skipped)

    @admin.action(description=_("Reset two-factor sign-in"), permissions=["change"])
    def reset_two_factor(self, request, queryset):
        users, skipped = self._managed(request, queryset)
        user_two_factor_reset(users=users)
        for user in users:
            self.log_change(
                request, user, gettext("Reset the account's two-factor sign-in.")
            )
        if users:
            self.message_user(
                request,
                ngettext(
                    "Reset the two-factor sign-in of %(count)d account: it sets "
                    "up an authenticator app again at its next sign-in.",
                    "Reset the two-factor sign-in of %(count)d accounts: they set "
                    "up an authenticator app again at their next sign-in.",
                    len(users),
                )
                % {"count": len(users)},
                messages.SUCCESS,
            )
        self._report_skipped(request, skipped)

    def _report_skipped(self, request, skipped: int) -> None:
        if skipped:
            self.message_user(
                request,
                ngettext(
                    "%(count)d account was left alone: you do not manage it.",
                    "%(count)d accounts were left alone: you do not manage them.",
                    skipped,
                )
                % {"count": skipped},
                messages.WARNING,
            )

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


def _vietnam_time(moment) -> str:
    if moment is None:
        return gettext("never")
    return formats.date_format(
        timezone.localtime(moment, timezone.get_default_timezone()),
        "SHORT_DATETIME_FORMAT",
    )


# Keys are issued by national administrators (any level) and province staff
# (their province, or a ward in it); ward officials neither see nor make them.
KEY_ISSUERS = (Level.NATIONAL, Level.PROVINCE)


class NetworksField(forms.CharField):
    """Addresses and networks typed one a line, kept as a list."""

    widget = forms.Textarea(attrs={"rows": 3, "cols": 40})

    def prepare_value(self, value):
        if isinstance(value, list):
            return "\n".join(value)
        return value

    def to_python(self, value):
        lines = super().to_python(value).replace(",", "\n").splitlines()
        return [line.strip() for line in lines if line.strip()]

    def validate(self, value):
        super().validate(value)
        networks_validate(value)


class ApiKeyForm(forms.ModelForm):
    allowed_networks = NetworksField(
        label=ApiKey._meta.get_field("allowed_networks").verbose_name,
        help_text=ApiKey._meta.get_field("allowed_networks").help_text,
        required=False,
    )

    class Meta:
        model = ApiKey
        fields = ("name", "level", "province", "ward", "is_active", "expires_on")


@admin.register(ApiKey)
class ApiKeyAdmin(ScopedModelAdmin):
    edit_roles = (Role.PROVINCE,)
    form = ApiKeyForm
    list_display = (
        "name",
        "prefix",
        "level",
        "province",
        "ward",
        "is_active",
        "last_use",
        "expires_on",
        "expired",
        "created_by",
    )
    list_filter = ("level", "is_active")
    list_select_related = ("province", "ward", "created_by")
    search_fields = ("name", "prefix")
    autocomplete_fields = ("province", "ward")
    # When and where from a key works may be changed after issue.
    limit_fields = ("expires_on", "allowed_networks")
    add_fields = ("name", "level", "province", "ward", "is_active", *limit_fields)
    shown_fields = (
        "name",
        "prefix",
        "level",
        "province",
        "ward",
        "is_active",
        *limit_fields,
        "created_by",
        "created_at",
        "last_use",
    )

    @admin.display(description=_("last used"), ordering="last_used_at")
    def last_use(self, key):
        return _vietnam_time(key.last_used_at)

    @admin.display(description=_("expired"), boolean=True)
    def expired(self, key):
        return key.is_expired()

    def _issuer(self, request) -> bool:
        return scope_for(request.user).level in KEY_ISSUERS

    def has_module_permission(self, request):
        return self._issuer(request) and super().has_module_permission(request)

    def has_view_permission(self, request, obj=None):
        return self._issuer(request) and super().has_view_permission(request, obj)

    def has_add_permission(self, request, *args):
        return self._issuer(request) and super().has_add_permission(request, *args)

    def has_change_permission(self, request, obj=None):
        return self._issuer(request) and super().has_change_permission(request, obj)

    def has_delete_permission(self, request, obj=None):
        return self._issuer(request) and super().has_delete_permission(request, obj)

    def get_fields(self, request, obj=None):
        return self.add_fields if obj is None else self.shown_fields

    def get_readonly_fields(self, request, obj=None):
        if obj is None:
            return ()
        # A key's area is what its client was promised: to change it, issue
        # a new key and switch this one off.
        editable = ("name", "is_active", *self.limit_fields)
        return [field for field in self.shown_fields if field not in editable]

    def get_changeform_initial_data(self, request):
        initial = super().get_changeform_initial_data(request)
        current = scope_for(request.user)
        if current.level == Level.PROVINCE:
            initial.setdefault("level", ApiKey.Level.PROVINCE)
            initial.setdefault("province", current.province)
        return initial

    def formfield_for_choice_field(self, db_field, request, **kwargs):
        if db_field.name == "level" and not scope_for(request.user).is_national:
            kwargs["choices"] = [
                (level.value, level.label)
                for level in ApiKey.Level
                if level != ApiKey.Level.NATIONAL
            ]
        return super().formfield_for_choice_field(db_field, request, **kwargs)

    def save_model(self, request, obj, form, change):
        if change:
            return super().save_model(request, obj, form, change)
        secret = api_key_issue(key=obj, created_by=request.user)
        messages.warning(
            request,
            gettext(
                "Copy the key for “%(name)s” now: it is shown only this once "
                "and cannot be found again. Key: %(key)s"
            )
            % {"name": obj.name, "key": secret},
        )

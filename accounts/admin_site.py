"""The Django admin, opened to ward officials and province staff within their area.

Every ModelAdmin on this site is either a :class:`ScopedModelAdmin`, which
filters through the scope module, or is reserved to national administrators
whatever it is: a model registered by a library, or by a later issue that
forgot, cannot leak to an area-limited user.
"""

from urllib.parse import urlencode

from django.contrib import admin
from django.shortcuts import redirect
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from .models import Role
from .scope import Level, is_scoped_model, may_use_admin, scope, scope_for


class ScopedAdminMixin:
    """Rows and choices limited to the user's area; rights follow the role."""

    # Roles allowed to add, change and delete rows inside their own area.
    # Province staff read; ward officials keep their ward's registry.
    edit_roles = (Role.WARD,)

    def get_queryset(self, request):
        return scope(super().get_queryset(request), request.user)

    def _may_edit(self, request) -> bool:
        user = request.user
        return scope_for(user).is_national or (
            may_use_admin(user) and user.role in self.edit_roles
        )

    def has_view_permission(self, request, obj=None):
        return may_use_admin(request.user)

    def has_add_permission(self, request, *args):
        return self._may_edit(request)

    def has_change_permission(self, request, obj=None):
        return self._may_edit(request)

    def has_delete_permission(self, request, obj=None):
        return self._may_edit(request)

    def formfield_for_foreignkey(self, db_field, request, **kwargs):
        related = db_field.remote_field.model
        if "queryset" not in kwargs and is_scoped_model(related):
            kwargs["queryset"] = scope(related._default_manager.all(), request.user)
        return super().formfield_for_foreignkey(db_field, request, **kwargs)

    def formfield_for_manytomany(self, db_field, request, **kwargs):
        related = db_field.remote_field.model
        if "queryset" not in kwargs and is_scoped_model(related):
            kwargs["queryset"] = scope(related._default_manager.all(), request.user)
        return super().formfield_for_manytomany(db_field, request, **kwargs)


class ScopedModelAdmin(ScopedAdminMixin, admin.ModelAdmin):
    def has_module_permission(self, request):
        return may_use_admin(request.user)

    def get_changeform_initial_data(self, request):
        initial = super().get_changeform_initial_data(request)
        current = scope_for(request.user)
        if current.level == Level.WARD and hasattr(self.model, "ward"):
            initial.setdefault("ward", current.ward)
        return initial


class ScopedTabularInline(ScopedAdminMixin, admin.TabularInline):
    pass


class ScopedStackedInline(ScopedAdminMixin, admin.StackedInline):
    pass


class NationalOnlyAdmin:
    """Mixed into every admin that does not declare its scoping."""

    def _national(self, request) -> bool:
        return scope_for(request.user).is_national

    def has_module_permission(self, request):
        return self._national(request) and super().has_module_permission(request)

    def has_view_permission(self, request, obj=None):
        return self._national(request) and super().has_view_permission(request, obj)

    def has_add_permission(self, request, *args):
        return self._national(request) and super().has_add_permission(request, *args)

    def has_change_permission(self, request, obj=None):
        return self._national(request) and super().has_change_permission(request, obj)

    def has_delete_permission(self, request, obj=None):
        return self._national(request) and super().has_delete_permission(request, obj)


class PlatformAdminSite(admin.AdminSite):
    site_header = _("Community digital technology teams")
    site_title = _("Community digital technology teams")
    index_title = _("Registry administration")

    def register(self, model_or_iterable, admin_class=None, **options):
        admin_class = admin_class or admin.ModelAdmin
        if not issubclass(admin_class, ScopedModelAdmin):
            admin_class = type(
                admin_class.__name__, (NationalOnlyAdmin, admin_class), {}
            )
        return super().register(model_or_iterable, admin_class, **options)

    def has_permission(self, request):
        return may_use_admin(request.user)

    def login(self, request, extra_context=None):
        # One sign-in for the whole platform: allauth's, with its rate limits.
        if request.user.is_authenticated and not self.has_permission(request):
            return redirect("home")
        query = urlencode({"next": request.GET.get("next", reverse("admin:index"))})
        return redirect("%s?%s" % (reverse("account_login"), query))

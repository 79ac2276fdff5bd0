"""The Django admin, opened to ward officials and province staff within their area.

Every ModelAdmin on this site is either a :class:`ScopedModelAdmin`, which
filters through the scope module, or is reserved to national administrators
whatever it is: a model registered by a library, or by a later issue that
forgot, cannot leak to an area-limited user.
"""

from urllib.parse import urlencode

from django.apps import apps
from django.conf import settings
from django.contrib import admin, messages
from django.contrib.admin import widgets
from django.contrib.admin.views.main import ORDER_VAR
from django.core.exceptions import FieldDoesNotExist, PermissionDenied, ValidationError
from django.http import (
    FileResponse,
    Http404,
    HttpResponseNotAllowed,
)
from django.shortcuts import get_object_or_404, redirect
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils import timezone
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _
from simple_history.admin import SimpleHistoryAdmin

from core.admin_search import search_ranked
from core.admin_site import EditConflictAdminMixin, SpreadsheetAdminMixin
from core.admin_vietnamese import AdminScriptCatalog, LinkRowsDeleteMixin
from core.text import text_fold

from .export_jobs import export_job_create
from .models import ExportJob, Role
from .navigation import landing_url
from .scope import Level, is_scoped_model, may_use_admin, scope, scope_for


class ScopedRawIdWidget(widgets.ForeignKeyRawIdWidget):
    """A raw id box that names the row only if the user may see it.

    Django's widget reads the row by the id in the URL or the refused form,
    whoever's it is: ``?user=<id>`` would show any account's username.
    """

    def __init__(self, rel, admin_site, *, queryset=None, **kwargs):
        super().__init__(rel, admin_site, **kwargs)
        self.queryset = queryset

    def label_and_url_for_value(self, value):
        if self.queryset is not None:
            key = self.rel.get_related_field().name
            try:
                if not self.queryset.filter(**{key: value}).exists():
                    return "", ""
            except (ValueError, TypeError, ValidationError):
                return "", ""
        return super().label_and_url_for_value(value)


class ScopedAdminMixin:
    """Rows and choices limited to the user's area; rights follow the role."""

    # Roles allowed to add, change and delete rows inside their own area.
    # Province staff read; ward officials keep their ward's registry.
    edit_roles = (Role.WARD,)

    def get_queryset(self, request):
        return scope(super().get_queryset(request), request.user)

    def get_export_base_queryset(self, request):
        """The model's rows in the user's area, without the list's annotations."""
        return scope(self.model._default_manager.all(), request.user)

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
        if "widget" not in kwargs and db_field.name in self.raw_id_fields:
            kwargs["widget"] = ScopedRawIdWidget(
                db_field.remote_field,
                self.admin_site,
                queryset=kwargs.get("queryset"),
                using=kwargs.get("using"),
            )
        return super().formfield_for_foreignkey(db_field, request, **kwargs)

    def formfield_for_manytomany(self, db_field, request, **kwargs):
        related = db_field.remote_field.model
        if "queryset" not in kwargs and is_scoped_model(related):
            kwargs["queryset"] = scope(related._default_manager.all(), request.user)
        return super().formfield_for_manytomany(db_field, request, **kwargs)


class ScopedModelAdmin(
    ScopedAdminMixin, EditConflictAdminMixin, LinkRowsDeleteMixin, admin.ModelAdmin
):
    #: The name a search of ``search_text`` ranks its rows by, best first.
    search_rank_field = None

    def has_module_permission(self, request):
        return may_use_admin(request.user)

    def get_list_display(self, request):
        # A ward official's lists are all one ward: its column is noise.
        columns = super().get_list_display(request)
        if scope_for(request.user).level == Level.WARD:
            columns = [column for column in columns if column != "ward"]
        return columns

    def get_list_filter(self, request):
        filters = super().get_list_filter(request)
        level = scope_for(request.user).level
        if level == Level.WARD:
            filters = [
                item
                for item in filters
                if (item[0] if isinstance(item, tuple) else item) != "ward"
            ]
        if level != Level.NATIONAL:
            filters = [self._in_scope_filter(item) for item in filters]
        return filters

    def _in_scope_filter(self, item):
        """A filter by a related area or registry row lists only the rows the
        user's own list holds (a ward official sees one province, not 34)."""
        if not isinstance(item, str) or "__" in item:
            return item
        try:
            field = self.model._meta.get_field(item)
        except FieldDoesNotExist:
            return item
        if field.is_relation and is_scoped_model(field.related_model):
            return (item, admin.RelatedOnlyFieldListFilter)
        return item

    def get_search_results(self, request, queryset, search_term):
        # Models with a folded ``search_text`` copy are searched without case
        # or diacritics, the same way on PostgreSQL and SQLite; autocomplete
        # widgets use this too.
        try:
            self.model._meta.get_field("search_text")
        except FieldDoesNotExist:
            return super().get_search_results(request, queryset, search_term)
        words = text_fold(search_term).split()
        for word in words:
            queryset = queryset.filter(search_text__contains=word)
        # A column the user sorted by wins over the rank.
        if self.search_rank_field and words and not request.GET.get(ORDER_VAR):
            queryset = search_ranked(queryset, self.search_rank_field, words)
        return queryset, False

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


class ScopedHistoryAdmin(SimpleHistoryAdmin):
    """The audit trail of a row, shown only inside the user's area.

    Historical rows carry their ward (see ``core.audit``), so the history
    of a deleted household stays visible to its ward and to no one else.
    """

    def _history_in_scope(self, request, object_id, **lookup) -> None:
        history = self.model.history.model
        records = history.objects.filter(**{self.model._meta.pk.attname: object_id})
        if not scope(records.filter(**lookup), request.user).exists():
            raise Http404

    def get_history_queryset(self, request, history_manager, pk_name, object_id):
        records = super().get_history_queryset(
            request, history_manager, pk_name, object_id
        )
        return scope(records, request.user)

    def history_view(self, request, object_id, extra_context=None):
        self._history_in_scope(request, object_id)
        return super().history_view(request, object_id, extra_context)

    def history_form_view(self, request, object_id, version_id, extra_context=None):
        self._history_in_scope(request, object_id, history_id=version_id)
        return super().history_form_view(request, object_id, version_id, extra_context)


class ScopedImportExportMixin(SpreadsheetAdminMixin):
    """Spreadsheets in and out of a scoped admin; only roles that edit import.

    An Excel file of the changelist is built by a worker (an export job).
    """

    def has_import_permission(self, request):
        return self._may_edit(request)

    def has_export_permission(self, request):
        return may_use_admin(request.user)

    def get_urls(self):
        info = self.opts.app_label, self.opts.model_name
        return [
            path(
                "export-job/",
                self.admin_site.admin_view(self.export_job_view),
                name="%s_%s_export_job" % info,
            ),
        ] + super().get_urls()

    def export_job_view(self, request):
        """Queue an Excel file of the changelist's rows, built by a worker."""
        if request.method != "POST":
            return HttpResponseNotAllowed(["POST"])
        if not self.has_export_permission(request):
            raise PermissionDenied
        export_job_create(
            user=request.user, model_admin=self, query=request.GET.urlencode()
        )
        messages.success(
            request,
            gettext(
                "The Excel file is being prepared. It appears here when it is "
                "ready; you may leave this page."
            ),
        )
        return redirect("admin:export_jobs")


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
    # Library models this site does not show: allauth's e-mail addresses (an
    # account has its one address on its own page; nobody signs up), and
    # authenticators, which hold their secret in clear JSON and are never
    # edited by hand (an account's two-factor sign-in is reset from the
    # account list, accounts.admin).
    hidden_models = frozenset({"account.emailaddress", "mfa.authenticator"})

    def register(self, model_or_iterable, admin_class=None, **options):
        models = (
            [model_or_iterable]
            if isinstance(model_or_iterable, type)
            else list(model_or_iterable)
        )
        models = [m for m in models if m._meta.label_lower not in self.hidden_models]
        if not models:
            return None
        model_or_iterable = models
        admin_class = admin_class or admin.ModelAdmin
        if not issubclass(admin_class, ScopedModelAdmin):
            admin_class = type(
                admin_class.__name__, (NationalOnlyAdmin, admin_class), {}
            )
        return super().register(model_or_iterable, admin_class, **options)

    def has_permission(self, request):
        return may_use_admin(request.user)

    def each_context(self, request):
        context = super().each_context(request)
        # "View site" leads to the user's own dashboard, not back to the admin
        # (a national administrator lands here and has a dashboard too).
        context["site_url"] = landing_url(request.user)
        return context

    def get_urls(self):
        return [
            path(
                "exports/",
                self.admin_view(self.export_jobs_view),
                name="export_jobs",
            ),
            path(
                "exports/<int:job_id>/download/",
                self.admin_view(self.export_job_download_view),
                name="export_job_download",
            ),
        ] + super().get_urls()

    def export_jobs_view(self, request):
        """The user's own Excel exports, newest first."""
        jobs = list(ExportJob.objects.filter(owner=request.user)[:50])
        for job in jobs:
            try:
                job.list_name = apps.get_model(
                    job.model_label
                )._meta.verbose_name_plural
            except LookupError:
                job.list_name = job.model_label
        context = {
            **self.each_context(request),
            "title": _("My exports"),
            "jobs": jobs,
            "refresh": any(job.is_pending for job in jobs),
            "keep_days": settings.EXPORTS_KEEP_DAYS,
        }
        return TemplateResponse(request, "admin/export_jobs.html", context)

    def export_job_download_view(self, request, job_id):
        # Another user's job is a 404, as if it did not exist.
        job = get_object_or_404(
            ExportJob, pk=job_id, owner=request.user, status=ExportJob.Status.DONE
        )
        file = settings.EXPORTS_DIR / job.file_path
        if not job.file_path or not file.is_file():
            raise Http404
        name = "%s-%s.xlsx" % (
            job.model_label.split(".")[1],
            timezone.localtime(job.created_at).strftime("%Y%m%d-%H%M"),
        )
        return FileResponse(file.open("rb"), as_attachment=True, filename=name)

    def i18n_javascript(self, request, extra_context=None):
        return AdminScriptCatalog.as_view(packages=["django.contrib.admin"])(request)

    def login(self, request, extra_context=None):
        # One sign-in for the whole platform: allauth's, with its rate limits.
        if request.user.is_authenticated and not self.has_permission(request):
            return redirect("home")
        query = urlencode({"next": request.GET.get("next", reverse("admin:index"))})
        return redirect("%s?%s" % (reverse("account_login"), query))

"""The Django admin, opened to ward officials and province staff within their area.

Every ModelAdmin on this site is either a :class:`ScopedModelAdmin`, which
filters through the scope module, or is reserved to national administrators
whatever it is: a model registered by a library, or by a later issue that
forgot, cannot leak to an area-limited user.
"""

from urllib.parse import urlencode

import tablib
from django.apps import apps
from django.conf import settings
from django.contrib import admin, messages
from django.contrib.admin.options import IncorrectLookupParameters
from django.contrib.admin.views.main import ERROR_FLAG
from django.core.exceptions import FieldDoesNotExist, PermissionDenied
from django.http import (
    FileResponse,
    Http404,
    HttpResponse,
    HttpResponseNotAllowed,
    HttpResponseRedirect,
    StreamingHttpResponse,
)
from django.shortcuts import get_object_or_404, redirect
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils import timezone
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _
from import_export.admin import ImportExportMixin
from import_export.formats import base_formats
from simple_history.admin import SimpleHistoryAdmin

from . import import_files
from .exports import (
    changelist_queryset,
    csv_chunks,
    export_filename,
    export_job_create,
    export_resource,
    export_rows,
)
from .models import ExportJob, Role
from .resources import PREVIEW_ROWS
from .scope import Level, is_scoped_model, may_use_admin, scope, scope_for
from .text import text_fold


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

    def get_list_display(self, request):
        # A ward official's lists are all one ward: its column is noise.
        columns = super().get_list_display(request)
        if scope_for(request.user).level == Level.WARD:
            columns = [column for column in columns if column != "ward"]
        return columns

    def get_list_filter(self, request):
        filters = super().get_list_filter(request)
        if scope_for(request.user).level == Level.WARD:
            filters = [
                item
                for item in filters
                if (item[0] if isinstance(item, tuple) else item) != "ward"
            ]
        return filters

    def get_search_results(self, request, queryset, search_term):
        # Models with a folded ``search_text`` copy are searched without case
        # or diacritics, the same way on PostgreSQL and SQLite; autocomplete
        # widgets use this too.
        try:
            self.model._meta.get_field("search_text")
        except FieldDoesNotExist:
            return super().get_search_results(request, queryset, search_term)
        for word in text_fold(search_term).split():
            queryset = queryset.filter(search_text__contains=word)
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

    Historical rows carry their ward (see ``accounts.audit``), so the history
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


class ScopedImportExportMixin(ImportExportMixin):
    """Excel and CSV in and out of a scoped admin, with downloadable templates.

    Resources are built with the requesting user, so what they read, match
    and write stays inside the user's area; only roles that edit may import.
    """

    formats = (base_formats.XLSX, base_formats.CSV)
    import_formats = (import_files.XLSX, import_files.CSV)
    import_template_name = "admin/registry_import.html"
    #: Hand the resource the stored upload as a stream of rows (FileRows)
    #: instead of one tablib Dataset; for resources that import set-wise.
    streamed_import = False
    import_export_change_list_template = "admin/registry_change_list.html"
    template_formats = {"xlsx": base_formats.XLSX, "csv": base_formats.CSV}

    def get_resource_kwargs(self, request, *args, **kwargs):
        return {"who": request.user}

    def has_import_permission(self, request):
        return self._may_edit(request)

    def get_tmp_storage_class(self):
        if self.streamed_import:
            return import_files.StreamedUploadStorage
        return super().get_tmp_storage_class()

    def write_to_tmp_storage(self, import_file, input_format):
        if not self.streamed_import:
            return super().write_to_tmp_storage(import_file, input_format)
        # The library joins the chunks into one bytes object first.
        storage = self.get_tmp_storage_class()(
            read_mode=input_format.get_read_mode(),
            **self.get_tmp_storage_class_kwargs(),
        )
        storage.save_chunks(import_file.chunks())
        return storage

    def has_export_permission(self, request):
        return may_use_admin(request.user)

    def get_urls(self):
        info = self.opts.app_label, self.opts.model_name
        return [
            path(
                "import-template.<str:extension>",
                self.admin_site.admin_view(self.import_template_view),
                name="%s_%s_import_template" % info,
            ),
            path(
                "export.csv",
                self.admin_site.admin_view(self.csv_export_view),
                name="%s_%s_export_csv" % info,
            ),
            path(
                "export-job/",
                self.admin_site.admin_view(self.export_job_view),
                name="%s_%s_export_job" % info,
            ),
        ] + super().get_urls()

    def csv_export_view(self, request):
        """The changelist's rows as CSV, streamed as they are read."""
        if not self.has_export_permission(request):
            raise PermissionDenied
        resource = export_resource(self, request)
        try:
            queryset = changelist_queryset(self, request)
        except IncorrectLookupParameters:
            info = self.opts.app_label, self.opts.model_name
            changelist = reverse("admin:%s_%s_changelist" % info)
            return HttpResponseRedirect("%s?%s=1" % (changelist, ERROR_FLAG))
        response = StreamingHttpResponse(
            csv_chunks(resource.template_headers(), export_rows(resource, queryset)),
            content_type="text/csv; charset=utf-8",
        )
        response["Content-Disposition"] = 'attachment; filename="%s"' % (
            export_filename(self, "csv")
        )
        return response

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

    def import_template_view(self, request, extension):
        if not self.has_import_permission(request):
            raise PermissionDenied
        file_format = self.template_formats.get(extension)
        if file_format is None:
            raise Http404
        resource = self.get_import_resource_classes(request)[0](who=request.user)
        dataset = tablib.Dataset(headers=resource.template_headers())
        content = file_format().export_data(dataset)
        if isinstance(content, str):
            content = "\ufeff" + content  # Excel needs the BOM to read UTF-8
        response = HttpResponse(content, content_type=file_format().get_content_type())
        response["Content-Disposition"] = 'attachment; filename="%s.%s"' % (
            "mau-%s" % self.opts.model_name,
            extension,
        )
        return response

    def get_import_context_data(self, **kwargs):
        context = super().get_import_context_data(**kwargs)
        info = self.opts.app_label, self.opts.model_name
        context["preview_rows"] = PREVIEW_ROWS
        context["preview_slice"] = ":%d" % PREVIEW_ROWS
        context["template_links"] = [
            (
                extension.upper(),
                reverse("admin:%s_%s_import_template" % info, args=[extension]),
            )
            for extension in self.template_formats
        ]
        return context

    def process_result(self, result, request):
        if result.has_errors() or result.has_validation_errors():
            # The file changed between preview and confirmation: nothing was
            # written (the resource rolled back), and the user must know.
            messages.error(
                request,
                gettext(
                    "Nothing was imported: the file has errors. "
                    "Import it again to see them."
                ),
            )
            info = self.opts.app_label, self.opts.model_name
            return HttpResponseRedirect(reverse("admin:%s_%s_import" % info))
        return super().process_result(result, request)


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

    def login(self, request, extra_context=None):
        # One sign-in for the whole platform: allauth's, with its rate limits.
        if request.user.is_authenticated and not self.has_permission(request):
            return redirect("home")
        query = urlencode({"next": request.GET.get("next", reverse("admin:index"))})
        return redirect("%s?%s" % (reverse("account_login"), query))

"""The admin's scope-free parts: spreadsheets in and out (import with a
preview, templates, CSV), and change forms that refuse to overwrite an edit
saved meanwhile.

The admin's own rights and scoping are the mixing admin's business (see
``accounts.admin_site``).
"""

import tablib
from django import forms
from django.contrib import messages
from django.contrib.admin.options import IncorrectLookupParameters
from django.contrib.admin.utils import unquote
from django.contrib.admin.views.main import ERROR_FLAG
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import (
    Http404,
    HttpResponse,
    HttpResponseRedirect,
    StreamingHttpResponse,
)
from django.urls import path, reverse
from django.utils.translation import gettext
from import_export.admin import ImportExportMixin
from import_export.formats import base_formats
from import_export.forms import ImportForm, SelectableFieldsExportForm

from . import import_files
from .exports import (
    changelist_queryset,
    csv_chunks,
    export_filename,
    export_resource,
    export_rows,
)
from .import_messages import read_error_message
from .replica import replica_rows
from .resources import PREVIEW_ROWS


class FirstFormatChosen:
    """The format list starts at the first format (xlsx), not at "---"."""

    def _init_formats(self, formats):
        super()._init_formats(formats)
        field = self.fields["format"]
        field.choices = [choice for choice in field.choices if choice[0] != ""]
        self.initial.setdefault("format", field.choices[0][0])


class SpreadsheetImportForm(FirstFormatChosen, ImportForm):
    pass


class SpreadsheetExportForm(FirstFormatChosen, SelectableFieldsExportForm):
    def _get_field_label(self, resource, field_name: str) -> str:
        # The library shows the attribute's English name, then the column's;
        # the column's name (the template's Vietnamese header) is enough.
        field = resource.fields.get(field_name)
        if field is not None and field.column_name:
            return field.column_name
        return super()._get_field_label(resource, field_name)


class SpreadsheetAdminMixin(ImportExportMixin):
    """Excel and CSV in and out of an admin, with downloadable templates.

    Resources are built with the requesting user, so what they read, match
    and write can stay inside the user's area. The CSV export streams the
    rows of ``get_export_base_queryset`` that the changelist's filters keep;
    the admin it is mixed into says who may import and export.
    """

    formats = (base_formats.XLSX, base_formats.CSV)
    import_form_class = SpreadsheetImportForm
    export_form_class = SpreadsheetExportForm
    import_formats = (import_files.XLSX, import_files.CSV)
    import_template_name = "admin/registry_import.html"
    #: Hand the resource the stored upload as a stream of rows (FileRows)
    #: instead of one tablib Dataset; for resources that import set-wise.
    streamed_import = False
    import_export_change_list_template = "admin/registry_change_list.html"
    template_formats = {"xlsx": base_formats.XLSX, "csv": base_formats.CSV}

    def get_resource_kwargs(self, request, *args, **kwargs):
        return {"who": request.user}

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
        ] + super().get_urls()

    def get_tmp_storage_class(self):
        if self.streamed_import:
            return import_files.StreamedUploadStorage
        return import_files.PrivateUploadStorage

    def import_action(self, request, **kwargs):
        response = super().import_action(request, **kwargs)
        if request.method == "POST":
            self._refused_upload_remove(getattr(response, "context_data", None) or {})
        return response

    def _refused_upload_remove(self, context: dict) -> None:
        """A refused upload is deleted at once: nothing will confirm it."""
        if context.get("confirm_form") is not None:
            return  # previewed: kept for its confirmation (or the hourly purge)
        form = context.get("form")
        # The uploaded file itself: a refused field leaves cleaned_data.
        upload = getattr(form, "files", {}).get("import_file")
        name = getattr(upload, "tmp_storage_name", None)
        if name:
            self.get_tmp_storage_class()(
                name=name, **self.get_tmp_storage_class_kwargs()
            ).remove()

    def add_data_read_fail_error_to_form(self, form, e):
        # The library names the exception's class; users get words instead.
        form.add_error("import_file", read_error_message(e))

    def _filters_refused(self) -> HttpResponseRedirect:
        """The list's own answer to filters it cannot apply ("?e=1")."""
        info = self.opts.app_label, self.opts.model_name
        changelist = reverse("admin:%s_%s_changelist" % info)
        return HttpResponseRedirect("%s?%s=1" % (changelist, ERROR_FLAG))

    def export_action(self, request):
        # The library's export page reads the changelist's filters from the
        # query string; one the list cannot apply is a user's mistake.
        try:
            return super().export_action(request)
        except IncorrectLookupParameters:
            return self._filters_refused()

    def csv_export_view(self, request):
        """The changelist's rows as CSV, streamed as they are read."""
        if not self.has_export_permission(request):
            raise PermissionDenied
        resource = export_resource(self, request)
        try:
            queryset = changelist_queryset(self, request)
        except IncorrectLookupParameters:
            return self._filters_refused()
        response = StreamingHttpResponse(
            csv_chunks(
                resource.template_headers(),
                replica_rows(export_rows(resource, queryset), request),
            ),
            content_type="text/csv; charset=utf-8",
        )
        response["Content-Disposition"] = 'attachment; filename="%s"' % (
            export_filename(self, "csv")
        )
        return response

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


# Change forms --------------------------------------------------------------

SEEN_VERSION = "_seen_version"


def row_version(model, pk, *, lock: bool = False) -> str | None:
    """The version of a stored row: its ``updated_at``, or its latest history
    record's id; None for a row that is gone (or a model with neither).

    With ``lock``, the row is locked until the transaction ends, so that
    nothing is saved between this reading and the edit that follows it.
    """
    try:
        rows = model._default_manager.filter(pk=pk)
        if lock:
            rows = rows.select_for_update()
        if any(field.name == "updated_at" for field in model._meta.concrete_fields):
            value = rows.values_list("updated_at", flat=True).first()
            return None if value is None else value.isoformat()
        history = getattr(model, "history", None)
        if history is None or not rows.values_list("pk", flat=True):
            return None
        latest = (
            history.filter(**{model._meta.pk.attname: pk})
            .order_by("-history_id")
            .values_list("history_id", flat=True)
            .first()
        )
    except (ValueError, TypeError, ValidationError):  # not a key of this model
        return None
    return None if latest is None else str(latest)


class SeenVersionForm(forms.ModelForm):
    """Refuses to save over a version newer than the one the form was opened on."""

    def clean(self):
        cleaned = super().clean()
        seen = self.data.get(SEEN_VERSION)
        if seen and self.instance.pk is not None:
            current = row_version(type(self.instance), self.instance.pk, lock=True)
            if current != seen:
                raise ValidationError(
                    gettext(
                        "Someone saved this record after you opened it, so your "
                        "changes were not saved. Open the record again to see "
                        "theirs, then make yours."
                    ),
                    code="stale",
                )
        return cleaned


class EditConflictAdminMixin:
    """Two officials editing one record: the second save is refused, in words,
    instead of silently overwriting the first (the admin's change view runs
    in a transaction, so the row stays locked from the check to the save)."""

    def get_form(self, request, obj=None, change=False, **kwargs):
        form = super().get_form(request, obj, change=change, **kwargs)
        if obj is None:
            return form
        return type(form.__name__, (SeenVersionForm, form), {})

    def change_view(self, request, object_id, form_url="", extra_context=None):
        seen = request.POST.get(SEEN_VERSION) or row_version(
            self.model, unquote(object_id)
        )
        extra_context = {**(extra_context or {}), "seen_version": seen}
        return super().change_view(request, object_id, form_url, extra_context)

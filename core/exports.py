"""Registry exports that stay fast and small at province scale.

The library's export builds the whole file in memory from model instances,
calling a widget per cell: fine for a ward, not for 300,000 households. Here:

* a CSV is streamed while the database is read, in chunks through a cursor,
  from plain value tuples: the first bytes leave at once and memory stays flat;
* an Excel file is built by a Celery job on the ``exports`` queue, written row
  by row (openpyxl's write-only mode), and downloaded from the jobs page.

Both hold the rows of the user's changelist (scope, filters, search) in the
columns of the import template, so an exported file imports back unchanged.
Cells that a spreadsheet would run as formulas are neutralised.
"""

import contextlib
import csv
import io
import logging
import re
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass
from typing import Any

from django.contrib.admin.views.main import ORDER_VAR
from django.core.exceptions import FieldDoesNotExist
from django.db import connections, transaction
from django.db.models import QuerySet
from django.utils import timezone, translation

from .import_widgets import ChoiceWidget, InWardWidget, WardWidget
from .resources import formula_neutralise

logger = logging.getLogger(__name__)

# Rows read per round trip and written per streamed chunk. Memory holds about
# two chunks of rows at a time, whatever the size of the list.
CHUNK_ROWS = 1000


# Rows ----------------------------------------------------------------------


@dataclass(frozen=True)
class Column:
    header: str
    path: str | None  # lookup read with values_list; None: an empty cell
    render: Callable[[Any], Any] | None = None


class _UnannotatedAdmin:
    """A model admin whose rows are the scoped model rows, nothing added.

    Admins annotate their lists (a household's resident count); for an export
    that is a GROUP BY over the whole province before the first row.
    """

    def __init__(self, model_admin, request):
        self._model_admin = model_admin
        # The admin says which rows the user may see (its own scoping).
        self._queryset = model_admin.get_export_base_queryset(request)

    def __getattr__(self, name):
        return getattr(self._model_admin, name)

    def get_queryset(self, request):
        return self._queryset


def changelist_queryset(model_admin, request) -> QuerySet:
    """The rows the user's changelist shows: same scope, filters and search.

    Raises ``IncorrectLookupParameters`` for filters the changelist refuses.
    Rows come in the admin's default order, not the column the user sorted by
    (which may be an annotation the export leaves out).
    """
    base = model_admin.get_changelist(request)

    class ExportChangeList(base):
        def get_ordering(self, request, queryset):
            self.params.pop(ORDER_VAR, None)
            return super().get_ordering(request, queryset)

        def get_results(self, request):
            pass  # no page and no count: the export reads every row itself

    changelist = ExportChangeList(
        request,
        model_admin.model,
        model_admin.get_list_display(request),
        model_admin.get_list_display_links(
            request, model_admin.get_list_display(request)
        ),
        _filters_in_use(model_admin.get_list_filter(request), request.GET),
        model_admin.date_hierarchy,
        model_admin.get_search_fields(request),
        model_admin.get_list_select_related(request),
        model_admin.list_per_page,
        model_admin.list_max_show_all,
        (),
        _UnannotatedAdmin(model_admin, request),
        model_admin.get_sortable_by(request),
        model_admin.search_help_text,
    )
    return changelist.queryset


def _filters_in_use(list_filter, params) -> list:
    """The list filters the query string uses, and perhaps a few more.

    A filter computes its choices when it is built (a DISTINCT over the whole
    list, a quarter of a second for a province) only to draw the sidebar.
    """
    used = []
    for item in list_filter:
        if isinstance(item, (list, tuple)):
            name = item[0]
        elif isinstance(item, str):
            name = item
        else:
            name = getattr(item, "parameter_name", None)
        if name is None or any(
            key == name or key.startswith(name + "__") for key in params
        ):
            used.append(item)
    return used


def export_columns(resource) -> list[Column] | None:
    """Read each template column straight from the database, or None if one
    column needs the model instance (a ``dehydrate_`` method, a foreign key
    shown some other way)."""
    model = resource._meta.model
    names = {id(field): name for name, field in resource.fields.items()}
    columns = []
    for field in resource.get_import_fields():
        dehydrate = field.get_dehydrate_method(names[id(field)])
        if callable(dehydrate) or hasattr(resource, dehydrate):
            return None
        widget = field.widget
        if field.attribute is None:
            columns.append(Column(field.column_name, None))
            continue
        try:
            model_field = model._meta.get_field(field.attribute)
        except FieldDoesNotExist:
            return None
        if isinstance(widget, WardWidget):
            columns.append(Column(field.column_name, model_field.attname))
        elif isinstance(widget, InWardWidget):
            path = "%s__%s" % (field.attribute, widget.shown)
            columns.append(Column(field.column_name, path))
        elif model_field.is_relation:
            return None
        elif isinstance(widget, ChoiceWidget):
            columns.append(Column(field.column_name, field.attribute, _labels(widget)))
        else:
            columns.append(Column(field.column_name, field.attribute, widget.render))
    return columns


def _labels(widget: ChoiceWidget) -> Callable[[Any], str]:
    """``widget.render`` with the labels looked up once, not per cell."""
    with translation.override("vi"):
        labels = {value: str(label) for value, label in widget.choices.choices}
    return lambda value: labels.get(value, "") if value else ""


def export_rows(resource, queryset: QuerySet) -> Iterator[list]:
    """The file's rows, read through a cursor a chunk at a time."""
    columns = export_columns(resource)
    if columns is None:
        fields = resource.get_import_fields()
        instances = queryset.iterator(chunk_size=CHUNK_ROWS)
        with _read_transaction(queryset.db), contextlib.closing(instances):
            for instance in instances:
                yield [resource.export_field(field, instance) for field in fields]
        return
    paths = [column.path for column in columns if column.path]
    plan, position = [], 0
    for column in columns:
        if column.path is None:
            plan.append((None, None))
        else:
            plan.append((position, column.render))
            position += 1
    values = queryset.values_list(*paths).iterator(chunk_size=CHUNK_ROWS)
    # Closed inside the transaction, also when the download is cut short.
    with _read_transaction(queryset.db), contextlib.closing(values):
        yield from _rendered(values, plan)


def _rendered(values, plan) -> Iterator[list]:
    for record in values:
        row = []
        for index, render in plan:
            if index is None:
                row.append("")
                continue
            value = record[index]
            if render is not None:
                value = render(value)
            row.append("" if value is None else formula_neutralise(value))
        yield row


def _read_transaction(alias: str):
    """On PostgreSQL, a transaction, so the cursor streams rows as they are read.

    Outside one, Django declares the cursor ``WITH HOLD``, and PostgreSQL
    computes the whole result before the first row (most of a second for a
    province). SQLite has no such cursor, and there a transaction would take
    the write lock for the whole download.
    """
    if connections[alias].vendor == "postgresql":
        return transaction.atomic(using=alias)
    return contextlib.nullcontext()


def csv_chunks(headers: list[str], rows: Iterable[list]) -> Iterator[bytes]:
    """UTF-8 with a BOM (Excel needs it), one chunk per ``CHUNK_ROWS`` rows."""
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    buffer.write("\ufeff")
    writer.writerow(headers)
    for count, row in enumerate(rows, 1):
        writer.writerow(row)
        if count % CHUNK_ROWS == 0:
            yield buffer.getvalue().encode("utf-8")
            buffer.seek(0)
            buffer.truncate()
    yield buffer.getvalue().encode("utf-8")


def export_resource(model_admin, request):
    resource_class = model_admin.get_export_resource_classes(request)[0]
    return resource_class(**model_admin.get_export_resource_kwargs(request))


def export_filename(model_admin, extension: str) -> str:
    return "%s-%s.%s" % (
        model_admin.opts.model_name,
        timezone.localdate().strftime("%Y%m%d"),
        extension,
    )


# Excel files --------------------------------------------------------------


# Excel refuses these in a sheet's name ("Thôn/Tổ dân phố"), and 31 characters.
SHEET_TITLE_REFUSED = re.compile(r"[\\/?*\[\]:]")


def sheet_title(title: str) -> str:
    """``title`` as Excel accepts a sheet's name."""
    return SHEET_TITLE_REFUSED.sub("-", title).strip("'")[:31] or "Sheet"


def xlsx_write(path, title: str, headers: list[str], rows: Iterable[list]) -> int:
    """Write rows to an Excel file one at a time; return how many."""
    from openpyxl import Workbook
    from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE

    workbook = Workbook(write_only=True)
    sheet = workbook.create_sheet(title=sheet_title(title))
    sheet.append(headers)
    count = 0
    for row in rows:
        sheet.append(
            [
                ILLEGAL_CHARACTERS_RE.sub("", value)
                if isinstance(value, str)
                else value
                for value in row
            ]
        )
        count += 1
    workbook.save(path)
    return count

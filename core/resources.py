"""Excel and CSV import and export of the registry: scoped, checked, all or nothing.

Each registry model has a resource (django-import-export) in its own app built
on :class:`SpreadsheetResource` (through ``areas.resources.RegistryResource``,
which checks each row's ward against the importer's area). It adds what the
library leaves to us:

* rows are matched on natural keys (a household's code in its ward, a
  member's phone), so re-importing a file updates instead of duplicating;
* the ward column is checked against the importer's scope: a row for another
  ward is an error, never a write;
* cells are read the way Vietnamese spreadsheets write them (``có``/``không``,
  ``dd/mm/yyyy``, labels of choices, codes that Excel turned into numbers);
* every problem is reported against the file's row and column, in the user's
  language, and one bad row rolls the whole file back;
* exports neutralise cells that a spreadsheet would run as a formula.

Column headers are fixed Vietnamese strings, not translations: they are the
file format that officials exchange, so a file exported in one language
imports in the other.
"""

from django.core.exceptions import NON_FIELD_ERRORS, ValidationError
from django.utils.translation import gettext
from import_export import resources
from import_export.instance_loaders import BaseInstanceLoader
from import_export.results import Error
from simple_history.utils import bulk_create_with_history, bulk_update_with_history

from .import_files import FileRows
from .import_messages import missing_columns_message, read_error_message
from .import_widgets import ResourceBoundWidget, cell_text

PREVIEW_ROWS = 100  # rows shown, cell by cell, on the preview page
FORMULA_PREFIXES = ("=", "+", "-", "@", "\t", "\r")


def formula_neutralise(value):
    """Make a text cell inert in Excel and LibreOffice (OWASP's CSV injection)."""
    if isinstance(value, str) and value.startswith(FORMULA_PREFIXES):
        return "'" + value
    return value


class PreviewDiff(resources.Diff):
    """Cell-by-cell changes, computed only for the rows the preview shows.

    A ward's file has thousands of rows; reading and rendering every cell twice
    costs more than writing them, and no one reads past the first screens.
    """

    def __init__(self, resource, instance, new):
        self.shown = resource.preview_rows_left > 0
        if self.shown:
            resource.preview_rows_left -= 1
            super().__init__(resource, instance, new)
        else:
            self.left, self.right, self.new = [], [], new

    def compare_with(self, resource, instance):
        if self.shown:
            super().compare_with(resource, instance)

    def as_html(self):
        return super().as_html() if self.shown else []


class NaturalKeyInstanceLoader(BaseInstanceLoader):
    """Finds existing rows by natural key, loaded once per file, not per row."""

    def __init__(self, resource, dataset=None):
        super().__init__(resource, dataset)
        self.instances = resource.existing_instances(dataset)

    def get_instance(self, row):
        key = self.resource.row_key(row)
        return self.instances.get(key) if key else None


class WordedError(Error):
    """An error of the import as its user reads it: never an exception's name."""

    def __init__(self, error, row=None, number=None):
        if type(error) is not ValueError:
            error = ValueError(read_error_message(error))
        super().__init__(error, row, number)


class SpreadsheetResource(resources.ModelResource):
    #: columns a file must have, besides the ward's
    required_columns: tuple[str, ...] = ()
    #: the column a row repeating another's key is reported against
    key_column: str = NON_FIELD_ERRORS

    class Meta:
        use_bulk = True
        batch_size = 1000
        skip_unchanged = True
        report_skipped = True
        use_transactions = True
        clean_model_instances = True
        instance_loader_class = NaturalKeyInstanceLoader

    def __init__(self, **kwargs):
        super().__init__(**kwargs)
        #: the user that history records name as the author of each change
        self.history_user = None
        self._seen = {}
        self._import_fields = None
        self.preview_rows_left = 0
        self._row_offset = 0  # title rows above the column names
        for field in self.fields.values():
            if isinstance(field.widget, ResourceBoundWidget):
                field.widget.resource = self

    # Keys ------------------------------------------------------------------

    def row_key(self, row) -> tuple | None:
        """The natural key of a file row, or None when it cannot be read."""
        raise NotImplementedError

    def instance_key(self, instance) -> tuple:
        raise NotImplementedError

    def existing_instances(self, dataset) -> dict:
        """The rows a file may update, by natural key, read once per file."""
        raise NotImplementedError

    def get_instance(self, instance_loader, row):
        return instance_loader.get_instance(row)

    # Import ----------------------------------------------------------------

    @classmethod
    def get_diff_class(cls):
        return PreviewDiff

    @classmethod
    def get_error_result_class(cls):
        return WordedError

    def get_import_fields(self):
        # The library recomputes this four times per row.
        if self._import_fields is None:
            self._import_fields = super().get_import_fields()
        return self._import_fields

    def import_data(self, dataset, dry_run=False, **kwargs):
        if isinstance(dataset, FileRows):
            dataset = dataset.dataset()  # this path reads rows from a Dataset
        self.preview_rows_left = PREVIEW_ROWS if dry_run else 0
        kwargs["dry_run"] = dry_run
        # One bad row and nothing is written, in the admin's confirm step too.
        kwargs["use_transactions"] = True
        kwargs["rollback_on_validation_errors"] = True
        self._row_offset = getattr(dataset, "header_row", 1) - 1
        result = super().import_data(dataset, **kwargs)
        for invalid in result.invalid_rows:
            invalid.number += self._row_offset  # the file's row, not the data's
        result.invalid_total = len(result.invalid_rows)
        return result

    def before_import(self, dataset, **kwargs):
        dataset.headers = [cell_text(header) for header in dataset.headers or ()]
        while len(dataset) and not any(cell_text(cell) for cell in dataset[-1]):
            del dataset[-1]  # the blank rows Excel leaves at the end
        missing = [
            column for column in self.required_columns if column not in dataset.headers
        ]
        if missing:
            raise ValueError(
                missing_columns_message(missing, getattr(dataset, "header_row", 1))
            )

    def import_instance(self, instance, row, **kwargs):
        errors = {}
        try:
            super().import_instance(instance, row, **kwargs)
        except ValidationError as error:
            errors = error.update_error_dict(errors)
        file_row = kwargs.get("row_number", 0) + 1 + self._row_offset
        key = self.row_key(row)
        if key is not None:
            first = self._seen.setdefault(key, file_row)
            if first != file_row:
                errors.setdefault(self.key_column, []).append(
                    gettext("The same row as row %(row)d of the file.") % {"row": first}
                )
        self.row_check(instance, row, errors)
        if errors:
            raise ValidationError(errors)

    def row_check(self, instance, row, errors: dict) -> None:
        """Checks across rows or against the database; add to ``errors``."""

    def validate_instance(
        self, instance, import_validation_errors=None, validate_unique=True
    ):
        errors = dict(import_validation_errors or {})
        # Foreign keys were resolved by the widgets; uniqueness is checked on
        # natural keys above. Skipping both saves queries on every row.
        exclude = set(errors) | {
            field.name for field in instance._meta.concrete_fields if field.is_relation
        }
        try:
            instance.full_clean(
                exclude=exclude, validate_unique=False, validate_constraints=False
            )
        except ValidationError as error:
            errors = error.update_error_dict(errors)
        if errors:
            raise ValidationError(self._by_column(errors))

    def _by_column(self, errors: dict) -> dict:
        columns = {field.attribute: field.column_name for field in self.fields.values()}
        return {columns.get(name, name): messages for name, messages in errors.items()}

    def before_save_instance(self, instance, row, **kwargs):
        # Bulk writes skip Model.save(), where text is normalised and folded.
        if hasattr(instance, "prepare"):
            instance.prepare()

    def get_bulk_update_fields(self):
        names = [
            field.attribute
            for field in self.get_import_fields()
            if field.attribute and "__" not in field.attribute
        ]
        model_fields = {field.name for field in self._meta.model._meta.concrete_fields}
        return [name for name in names if name in model_fields] + [
            name for name in ("search_text",) if name in model_fields
        ]

    def bulk_create(
        self, using_transactions, dry_run, raise_errors, batch_size=None, result=None
    ):
        if not hasattr(self._meta.model, "history"):
            return super().bulk_create(
                using_transactions, dry_run, raise_errors, batch_size, result
            )
        if self.create_instances and (using_transactions or not dry_run):
            self._bulk_with_history(
                bulk_create_with_history,
                self.create_instances,
                batch_size=batch_size,
                raise_errors=raise_errors,
                result=result,
            )

    def bulk_update(
        self, using_transactions, dry_run, raise_errors, batch_size=None, result=None
    ):
        if not hasattr(self._meta.model, "history"):
            return super().bulk_update(
                using_transactions, dry_run, raise_errors, batch_size, result
            )
        if self.update_instances and (using_transactions or not dry_run):
            self._bulk_with_history(
                bulk_update_with_history,
                self.update_instances,
                self.get_bulk_update_fields(),
                batch_size=batch_size,
                raise_errors=raise_errors,
                result=result,
            )

    def _bulk_with_history(
        self, write, instances, *fields, batch_size, raise_errors, result
    ):
        """Write the instances with their audit rows, then forget them."""
        try:
            write(
                instances,
                self._meta.model,
                *fields,
                batch_size=batch_size,
                default_user=self.history_user,
                default_change_reason=gettext("import"),
            )
        except Exception as error:
            self.handle_import_error(result, error, raise_errors)
        finally:
            instances.clear()

    # Export ----------------------------------------------------------------

    def export_field(self, field, instance, **kwargs):
        return formula_neutralise(super().export_field(field, instance, **kwargs))

    def template_headers(self) -> list[str]:
        return [field.column_name for field in self.get_import_fields()]

"""Excel and CSV import and export of the registry: scoped, checked, all or nothing.

Each registry model has a resource (django-import-export) in its own app built
on :class:`RegistryResource`, which adds what the library leaves to us:

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

import datetime

from django.core.exceptions import NON_FIELD_ERRORS, ValidationError
from django.utils import translation
from django.utils.translation import gettext
from import_export import fields, resources, widgets
from import_export.instance_loaders import BaseInstanceLoader
from simple_history.utils import bulk_create_with_history, bulk_update_with_history

from areas.models import Hamlet, Ward

from .phones import phone_normalise
from .scope import Level, Scope, scope_for
from .text import text_fold, text_normalise

WARD_COLUMN = "Mã xã/phường"
PREVIEW_ROWS = 100  # rows shown, cell by cell, on the preview page
FORMULA_PREFIXES = ("=", "+", "-", "@", "\t", "\r")


def formula_neutralise(value):
    """Make a text cell inert in Excel and LibreOffice (OWASP's CSV injection)."""
    if isinstance(value, str) and value.startswith(FORMULA_PREFIXES):
        return "'" + value
    return value


def cell_text(value) -> str:
    """The text of a cell, whatever type the spreadsheet reader gave it."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return "có" if value else "không"
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return text_normalise(str(value))


class TextWidget(widgets.Widget):
    def __init__(self, required=False, max_length=None, upper=False):
        super().__init__()
        self.required = required
        self.max_length = max_length
        self.upper = upper

    def clean(self, value, row=None, **kwargs):
        text = cell_text(value)
        if self.upper:
            text = text.upper()
        if self.required and not text:
            raise ValueError(gettext("This cell must not be empty."))
        if self.max_length and len(text) > self.max_length:
            raise ValueError(
                gettext("Too long: at most %(limit)d characters.")
                % {"limit": self.max_length}
            )
        return text

    def render(self, value, obj=None, **kwargs):
        return "" if value is None else str(value)


class PhoneWidget(TextWidget):
    def clean(self, value, row=None, **kwargs):
        text = super().clean(value, row, **kwargs)
        if text.isdigit() and len(text) == 9:
            text = "0" + text  # Excel drops the leading zero of numbers
        try:
            return phone_normalise(text)
        except ValidationError as error:
            raise ValueError(error.messages[0]) from error


class IntegerWidget(widgets.Widget):
    def __init__(self, required=False):
        super().__init__()
        self.required = required

    def clean(self, value, row=None, **kwargs):
        if isinstance(value, int) and not isinstance(value, bool):
            return value
        text = cell_text(value)
        if not text:
            if self.required:
                raise ValueError(gettext("This cell must not be empty."))
            return None
        if not text.isdigit():
            raise ValueError(
                gettext("“%(value)s” is not a whole number.") % {"value": text}
            )
        return int(text)

    def render(self, value, obj=None, **kwargs):
        return value


YES_WORDS = {"co", "c", "x", "1", "yes", "y", "true", "dung"}
NO_WORDS = {"", "khong", "k", "0", "no", "n", "false", "sai"}


class YesNoWidget(widgets.Widget):
    def clean(self, value, row=None, **kwargs):
        if isinstance(value, bool):
            return value
        word = text_fold(cell_text(value))
        if word in YES_WORDS:
            return True
        if word in NO_WORDS:
            return False
        raise ValueError(
            gettext("“%(value)s” is not a yes/no answer: write “có” or “không”.")
            % {"value": cell_text(value)}
        )

    def render(self, value, obj=None, **kwargs):
        return "có" if value else "không"


class ChoiceWidget(widgets.Widget):
    """Accepts the stored code or the label in Vietnamese or English."""

    def __init__(self, choices, required=True, default=""):
        super().__init__()
        self.choices = choices
        self.required = required
        self.default = default

    def _lookup(self) -> dict[str, str]:
        if getattr(self, "_cache", None) is not None:
            return self._cache
        lookup = {}
        for language in ("en", "vi"):
            with translation.override(language):
                for value, label in self.choices.choices:
                    lookup[text_fold(str(label))] = value
        for value in self.choices.values:
            lookup[text_fold(value)] = value
        self._cache = lookup
        return lookup

    def clean(self, value, row=None, **kwargs):
        text = cell_text(value)
        if not text and not self.required:
            return self.default
        found = self._lookup().get(text_fold(text))
        if found is None:
            with translation.override("vi"):
                allowed = ", ".join(str(label) for label in self.choices.labels)
            raise ValueError(
                gettext("“%(value)s” is not one of: %(allowed)s.")
                % {"value": text, "allowed": allowed}
            )
        return found

    def render(self, value, obj=None, **kwargs):
        if not value:
            return ""
        with translation.override("vi"):
            return str(self.choices(value).label)


class DateWidget(widgets.Widget):
    FORMATS = ("%d/%m/%Y", "%d-%m-%Y", "%d.%m.%Y", "%Y-%m-%d")

    def clean(self, value, row=None, **kwargs):
        if isinstance(value, datetime.datetime):
            return value.date()
        if isinstance(value, datetime.date):
            return value
        text = cell_text(value)
        if not text:
            return None
        for pattern in self.FORMATS:
            try:
                return datetime.datetime.strptime(text, pattern).date()
            except ValueError:
                continue
        raise ValueError(
            gettext("“%(value)s” is not a date: write it as dd/mm/yyyy.")
            % {"value": text}
        )

    def render(self, value, obj=None, **kwargs):
        return value.strftime("%d/%m/%Y") if value else ""


class ResourceBoundWidget(widgets.Widget):
    """A widget that resolves a cell through its resource's caches and scope."""

    resource = None


class WardWidget(ResourceBoundWidget):
    def clean(self, value, row=None, **kwargs):
        return self.resource.ward_resolve(value)

    def render(self, value, obj=None, **kwargs):
        return value.pk if value else ""


class HamletWidget(ResourceBoundWidget):
    def __init__(self, required=True):
        super().__init__()
        self.required = required

    def clean(self, value, row=None, **kwargs):
        ward = self.resource.row_ward(row)
        name = cell_text(value)
        if not name:
            if self.required:
                raise ValueError(gettext("This cell must not be empty."))
            return None
        if ward is None:
            return None  # the ward column carries the error
        hamlet = self.resource.hamlets(ward).get(text_fold(name))
        if hamlet is None:
            raise ValueError(
                gettext(
                    "There is no hamlet or residential group “%(name)s” in %(ward)s."
                )
                % {"name": name, "ward": ward.name}
            )
        return hamlet

    def render(self, value, obj=None, **kwargs):
        return value.name if value else ""


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


class RegistryResource(resources.ModelResource):
    ward = fields.Field(attribute="ward", column_name=WARD_COLUMN, widget=WardWidget())

    #: columns a file must have, besides the ward's
    required_columns: tuple[str, ...] = ()

    class Meta:
        use_bulk = True
        batch_size = 1000
        skip_unchanged = True
        report_skipped = True
        use_transactions = True
        clean_model_instances = True
        instance_loader_class = NaturalKeyInstanceLoader

    def __init__(self, who=None, **kwargs):
        super().__init__(**kwargs)
        self.scope = who if isinstance(who, Scope) else scope_for(who)
        self.history_user = None if isinstance(who, Scope) else who
        self._wards = {}
        self._hamlets = {}
        self._seen = {}
        self._import_fields = None
        self.preview_rows_left = 0
        for field in self.fields.values():
            if isinstance(field.widget, ResourceBoundWidget):
                field.widget.resource = self

    # Keys ------------------------------------------------------------------

    def row_key(self, row) -> tuple | None:
        """The natural key of a file row, or None when it cannot be read."""
        raise NotImplementedError

    def instance_key(self, instance) -> tuple:
        raise NotImplementedError

    def existing_queryset(self, wards):
        return self._meta.model.objects.filter(ward__in=wards)

    def existing_instances(self, dataset) -> dict:
        wards = set()
        if dataset is not None and WARD_COLUMN in (dataset.headers or ()):
            codes = set(dataset[WARD_COLUMN])
        else:
            codes = {""}
        for code in codes:
            try:
                wards.add(self.ward_resolve(code))
            except ValueError:
                continue
        if not wards:
            return {}
        queryset = self.scope.filter(self.existing_queryset(wards))
        return {self.instance_key(instance): instance for instance in queryset}

    def get_instance(self, instance_loader, row):
        return instance_loader.get_instance(row)

    # Areas -----------------------------------------------------------------

    def ward_resolve(self, value) -> Ward:
        code = cell_text(value)
        if code.isdigit():
            code = code.zfill(5)  # Excel turns "00004" into 4
        if code in self._wards:
            found = self._wards[code]
            if isinstance(found, Exception):
                raise found
            return found
        try:
            ward = self._ward_lookup(code)
        except ValueError as error:
            self._wards[code] = error
            raise
        self._wards[code] = ward
        return ward

    def _ward_lookup(self, code: str) -> Ward:
        if not code:
            if self.scope.level == Level.WARD:
                return Ward.objects.get(pk=self.scope.ward)
            raise ValueError(gettext("Write the ward's five-digit code."))
        ward = Ward.objects.filter(pk=code).first()
        if ward is None:
            raise ValueError(
                gettext("There is no ward with code %(code)s.") % {"code": code}
            )
        if not self.scope.filter(Ward.objects.filter(pk=code)).exists():
            raise ValueError(
                gettext("Ward %(code)s (%(name)s) is outside your area.")
                % {"code": code, "name": ward.name}
            )
        return ward

    def row_ward(self, row) -> Ward | None:
        try:
            return self.ward_resolve(row.get(WARD_COLUMN))
        except ValueError:
            return None

    def hamlets(self, ward) -> dict:
        if ward.pk not in self._hamlets:
            self._hamlets[ward.pk] = {
                text_fold(hamlet.name): hamlet
                for hamlet in Hamlet.objects.filter(ward=ward)
            }
        return self._hamlets[ward.pk]

    # Import ----------------------------------------------------------------

    @classmethod
    def get_diff_class(cls):
        return PreviewDiff

    def get_import_fields(self):
        # The library recomputes this four times per row.
        if self._import_fields is None:
            self._import_fields = super().get_import_fields()
        return self._import_fields

    def import_data(self, dataset, dry_run=False, **kwargs):
        self.preview_rows_left = PREVIEW_ROWS if dry_run else 0
        kwargs["dry_run"] = dry_run
        # One bad row and nothing is written, in the admin's confirm step too.
        kwargs["use_transactions"] = True
        kwargs["rollback_on_validation_errors"] = True
        return super().import_data(dataset, **kwargs)

    def before_import(self, dataset, **kwargs):
        dataset.headers = [cell_text(header) for header in dataset.headers or ()]
        while len(dataset) and not any(cell_text(cell) for cell in dataset[-1]):
            del dataset[-1]  # the blank rows Excel leaves at the end
        missing = [
            column for column in self.required_columns if column not in dataset.headers
        ]
        if missing:
            raise ValueError(
                gettext("The file lacks the column(s): %(columns)s.")
                % {"columns": ", ".join(missing)}
            )

    def import_instance(self, instance, row, **kwargs):
        errors = {}
        try:
            super().import_instance(instance, row, **kwargs)
        except ValidationError as error:
            errors = error.update_error_dict(errors)
        file_row = kwargs.get("row_number", 0) + 1
        key = self.row_key(row)
        if key is not None:
            first = self._seen.setdefault(key, file_row)
            if first != file_row:
                errors.setdefault(NON_FIELD_ERRORS, []).append(
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
        model = self._meta.model
        if not hasattr(model, "history"):
            return super().bulk_create(
                using_transactions, dry_run, raise_errors, batch_size, result
            )
        if self.create_instances and (using_transactions or not dry_run):
            try:
                bulk_create_with_history(
                    self.create_instances,
                    model,
                    batch_size=batch_size,
                    default_user=self.history_user,
                    default_change_reason=gettext("import"),
                )
            except Exception as error:
                self.handle_import_error(result, error, raise_errors)
            finally:
                self.create_instances.clear()

    def bulk_update(
        self, using_transactions, dry_run, raise_errors, batch_size=None, result=None
    ):
        model = self._meta.model
        if not hasattr(model, "history"):
            return super().bulk_update(
                using_transactions, dry_run, raise_errors, batch_size, result
            )
        if self.update_instances and (using_transactions or not dry_run):
            try:
                bulk_update_with_history(
                    self.update_instances,
                    model,
                    self.get_bulk_update_fields(),
                    batch_size=batch_size,
                    default_user=self.history_user,
                    default_change_reason=gettext("import"),
                )
            except Exception as error:
                self.handle_import_error(result, error, raise_errors)
            finally:
                self.update_instances.clear()

    # Export ----------------------------------------------------------------

    def export_field(self, field, instance, **kwargs):
        return formula_neutralise(super().export_field(field, instance, **kwargs))

    def template_headers(self) -> list[str]:
        return [field.column_name for field in self.get_import_fields()]

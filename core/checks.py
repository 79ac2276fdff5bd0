"""Hand-written SQL covers its tables: checked when the project starts.

SQL that writes a model's table (an ``INSERT … SELECT`` of summary rows, a
``COPY`` of seeded rows) names its columns from a list declared with
:func:`sql_columns`. A field added to the model and forgotten in the list
would be left NULL, or refused by the database at the first run; the check
names it at ``manage.py check`` instead.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

from django.apps import apps
from django.core import checks
from django.core.exceptions import FieldDoesNotExist
from django.db.models import NOT_PROVIDED, Field, Model


@dataclass(frozen=True)
class SqlColumns:
    model: type[Model]
    fields: tuple[str, ...]
    writer: str  # the module whose SQL fills the columns


DECLARED: list[SqlColumns] = []


def sql_columns(model: type[Model], fields, *, writer: str):
    """Declare the fields that ``writer``'s SQL fills in ``model``'s table.

    Returns ``fields`` unchanged (a list, or a mapping whose keys are the
    fields), so the declaration is the list the SQL is built from.
    """
    DECLARED.append(SqlColumns(model, tuple(fields), writer))
    return fields


def models_of(app_configs) -> list[type[Model]]:
    """The models a check looks at: all of them, or those of the apps asked for."""
    if app_configs is None:
        return apps.get_models()
    return [model for config in app_configs for model in config.get_models()]


def filled_by_database(field: Field) -> bool:
    """Whether the database fills the column an INSERT leaves out."""
    return (
        field.db_default is not NOT_PROVIDED
        or field.db_returning  # an identity primary key
        or getattr(field, "generated", False)
    )


def sql_columns_errors(declaration: SqlColumns) -> list[checks.Error]:
    model = declaration.model
    named = set()
    for name in declaration.fields:
        try:
            named.add(model._meta.get_field(name).column)
        except FieldDoesNotExist:
            return [
                checks.Error(
                    "%s writes %s.%s, which is not a field."
                    % (declaration.writer, model._meta.label, name),
                    obj=model,
                    id="core.E002",
                )
            ]
    missing = [
        field.column
        for field in model._meta.concrete_fields
        if field.column not in named and not filled_by_database(field)
    ]
    if not missing:
        return []
    return [
        checks.Error(
            "The SQL of %s leaves out %s of %s."
            % (declaration.writer, ", ".join(missing), model._meta.db_table),
            hint="Add the fields to the column list declared with "
            "core.checks.sql_columns, or give the columns a db_default.",
            obj=model,
            id="core.E001",
        )
    ]


@checks.register(checks.Tags.models)
def check_sql_columns(
    app_configs=None, declared: Iterable[SqlColumns] | None = None, **kwargs
):
    """Every declared column list covers its table's columns without a default."""
    errors = []
    for declaration in DECLARED if declared is None else declared:
        if app_configs is None or declaration.model._meta.app_config in app_configs:
            errors += sql_columns_errors(declaration)
    return errors

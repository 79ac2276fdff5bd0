# ruff: noqa: S608 - SQL built from model metadata; values are parameters
"""A file imported set-wise: staged, checked in SQL, written in a few statements.

Row-by-row import (a model instance, ``full_clean`` and a diff per row) runs
at about a thousand rows a second; a province's 300,000 households took
minutes and the whole file sat in memory. Here a resource reads the file as a
stream and turns each row into a tuple of database values (its cell checks
and normalisation done in Python, on cached fast paths); the tuples are
loaded into a temporary table (``COPY`` on PostgreSQL, ``executemany`` on
SQLite) and everything that needs the whole file or the database is done in
SQL: the same key twice in the file, which rows are new, changed or
unchanged. A file without a bad row is then written with one UPDATE and one
INSERT … SELECT, each with its audit rows (simple-history's table, filled by
INSERT … SELECT), in the caller's transaction: one bad row, nothing written.

What the user sees stays django-import-export's: a :class:`Result` whose
invalid rows name the file's row and column, the totals, and the first rows
with their cell-by-cell diff.
"""

import contextlib
import csv
import io
from collections.abc import Iterator
from itertools import islice

from django.core import checks
from django.core.exceptions import (
    NON_FIELD_ERRORS,
    ImproperlyConfigured,
    ValidationError,
)
from django.db import connection
from django.utils import timezone
from django.utils.translation import gettext
from import_export.results import InvalidRow, Result, RowResult

from .checks import models_of

STAGE_TABLE = "import_stage"
CHUNK_ROWS = 5_000  # rows loaded into the stage at a time: memory stays flat
WORK_MEM = "64MB"  # PostgreSQL's, for the import's transaction only
ERROR_ROWS_SHOWN = 1_000  # a file wrong throughout lists its first rows only


class StagedResult(Result):
    """The library's result, keeping rows only for the preview and the errors."""

    def __init__(self):
        super().__init__()
        self.invalid_total = 0


class RowErrors:
    """Problems by file row and column, the first :data:`ERROR_ROWS_SHOWN` kept."""

    def __init__(self):
        self.rows: dict[int, dict[str, list[str]]] = {}
        self.total = 0

    def add(self, number: int, column: str, message: str) -> None:
        errors = self.rows.get(number)
        if errors is None:
            self.total += 1
            if len(self.rows) >= ERROR_ROWS_SHOWN:
                return
            errors = self.rows[number] = {}
        errors.setdefault(column, []).append(message)

    def invalid_rows(self) -> list[InvalidRow]:
        return [
            InvalidRow(
                number=number, validation_error=ValidationError(errors), values=()
            )
            for number, errors in sorted(self.rows.items())
        ]


# The audit columns a staged write fills itself; the others copy the model's.
HISTORY_OWN_COLUMNS = (
    "history_id",
    "history_type",
    "history_date",
    "history_change_reason",
    "history_user_id",
)


def history_unfilled(model) -> list[str]:
    """The columns of ``model``'s audit table a staged write could not fill."""
    model_columns = {field.column for field in model._meta.concrete_fields}
    return [
        field.column
        for field in model.history.model._meta.concrete_fields
        if field.column not in model_columns and field.column not in HISTORY_OWN_COLUMNS
    ]


@checks.register(checks.Tags.models)
def check_history_columns(app_configs=None, models=None, **kwargs):
    """A staged import can write the audit rows of every audited model."""
    if models is None:
        models = models_of(app_configs)
    return [
        checks.Error(
            "A staged import of %s could not fill %s of its audit table."
            % (model._meta.label, ", ".join(history_unfilled(model))),
            hint="Teach core.staged_import.Stage._history_sql those columns.",
            obj=model,
            id="core.E003",
        )
        for model in models
        if hasattr(getattr(model, "history", None), "model") and history_unfilled(model)
    ]


def _stage_type(field) -> str:
    target = field.target_field if field.is_relation else field
    if target.get_internal_type() in ("CharField", "TextField", "SlugField"):
        return "text"
    return target.db_type(connection)


class Stage:
    """The temporary table of one import and the SQL run against it.

    ``fields`` are the model fields a file row fills, in the order of the
    tuples the resource yields after ``(row number, bad)``; ``key`` the
    fields that find an existing row (a unique constraint of the model);
    ``compared`` the fields whose change makes a row "changed".
    """

    def __init__(self, model, fields, key, compared):
        self.model = model
        self.table = model._meta.db_table
        self.fields = [model._meta.get_field(name) for name in fields]
        self.columns = [field.column for field in self.fields]
        self.key = [model._meta.get_field(name).column for name in key]
        self.compared = [model._meta.get_field(name).column for name in compared]
        self.vendor = connection.vendor
        self.quote = connection.ops.quote_name

    # Loading ---------------------------------------------------------------

    def create(self) -> None:
        columns = ", ".join(
            "%s %s" % (self.quote(field.column), _stage_type(field))
            for field in self.fields
        )
        with connection.cursor() as cursor:
            cursor.execute("DROP TABLE IF EXISTS %s" % STAGE_TABLE)
            cursor.execute(
                "CREATE TEMPORARY TABLE %s (row_no integer, bad boolean, %s)"
                % (STAGE_TABLE, columns)
            )
            if self.vendor == "postgresql":
                # The file's rows are sorted and joined in memory, not on disk.
                cursor.execute("SET LOCAL work_mem = '%s'" % WORK_MEM)

    def analyze(self) -> None:
        """Tell the planner how many rows were staged and how their keys
        spread (a temp table has no statistics until asked, and the joins'
        plans depend on them); the text columns are not worth sampling."""
        if self.vendor == "postgresql":
            keys = ", ".join(self.quote(column) for column in self.key)
            with connection.cursor() as cursor:
                cursor.execute("ANALYZE %s (row_no, %s)" % (STAGE_TABLE, keys))

    def drop(self) -> None:
        with connection.cursor() as cursor:
            cursor.execute("DROP TABLE IF EXISTS %s" % STAGE_TABLE)

    def load(self, rows: Iterator[tuple], keep=None) -> int:
        """Load the resource's tuples a chunk at a time; return how many.

        With ``keep`` (a text file, PostgreSQL only) the CSV that COPY read
        is written there too, for :meth:`load_kept`.
        """
        count = 0
        while chunk := list(islice(rows, CHUNK_ROWS)):
            count += len(chunk)
            if self.vendor == "postgresql":
                buffer = io.StringIO()
                csv.writer(buffer).writerows(chunk)
                if keep is not None:
                    keep.write(buffer.getvalue())
                buffer.seek(0)
                self._copy(buffer)
            else:
                self._insert(chunk)
        return count

    def load_kept(self, path: str) -> None:
        with open(path, encoding="utf-8", newline="") as source:
            self._copy(source)

    def _copy(self, source) -> None:
        texts = [
            self.quote(field.column)
            for field in self.fields
            if _stage_type(field) == "text"
        ]
        with connection.cursor() as cursor:
            cursor.copy_expert(
                "COPY %s FROM STDIN WITH (FORMAT csv, FORCE_NOT_NULL (%s))"
                % (STAGE_TABLE, ", ".join(texts)),
                source,
            )

    def _insert(self, chunk) -> None:
        marks = ", ".join(["%s"] * (len(self.fields) + 2))
        with connection.cursor() as cursor:
            cursor.executemany(
                "INSERT INTO %s VALUES (%s)" % (STAGE_TABLE, marks), chunk
            )

    # Checks ----------------------------------------------------------------

    def _join(self, left="s", right="h") -> str:
        return " AND ".join(
            "%s.%s = %s.%s" % (right, self.quote(column), left, self.quote(column))
            for column in self.key
        )

    def _target(self) -> str:
        return self.quote(self.table)

    def _changed(self) -> str:
        return "(%s)" % " OR ".join(
            "h.%s <> s.%s" % (self.quote(column), self.quote(column))
            for column in self.compared
        )

    def duplicates(self) -> Iterator[tuple[int, int, bool]]:
        """(row, first row, bad) of every row whose key an earlier row has."""
        keys = ", ".join(self.quote(column) for column in self.key)
        sql = (
            "SELECT s.row_no, f.first_row, s.bad FROM {stage} s JOIN ("
            " SELECT {keys}, MIN(row_no) AS first_row FROM {stage}"
            " GROUP BY {keys} HAVING COUNT(*) > 1) f ON {join}"
            " WHERE s.row_no > f.first_row ORDER BY s.row_no"
        ).format(stage=STAGE_TABLE, keys=keys, join=self._join("s", "f"))
        with connection.cursor() as cursor:
            cursor.execute(sql)
            while rows := cursor.fetchmany(1000):
                yield from rows

    def distinct(self, column: str) -> list:
        with connection.cursor() as cursor:
            cursor.execute(
                "SELECT DISTINCT %s FROM %s" % (self.quote(column), STAGE_TABLE)
            )
            return [value for (value,) in cursor.fetchall()]

    def unmatched(self, column: str, model, same: str) -> int:
        """How many staged rows name in ``column`` no ``model`` row with the
        same ``same`` column (a hamlet of another ward, a deleted one)."""
        sql = (
            "SELECT COUNT(*) FROM {stage} s LEFT JOIN {other} o"
            " ON o.{pk} = s.{column} AND o.{same} = s.{same} WHERE o.{pk} IS NULL"
        ).format(
            stage=STAGE_TABLE,
            other=self.quote(model._meta.db_table),
            pk=self.quote(model._meta.pk.column),
            column=self.quote(column),
            same=self.quote(same),
        )
        with connection.cursor() as cursor:
            cursor.execute(sql)
            return cursor.fetchone()[0]

    def totals(self) -> tuple[int, int, int]:
        """How many staged rows are (new, changed, unchanged)."""
        sql = (
            "SELECT COUNT(*), COUNT(h.id),"
            f" COALESCE(SUM(CASE WHEN h.id IS NOT NULL AND {self._changed()}"
            " THEN 1 ELSE 0 END), 0)"
            f" FROM {STAGE_TABLE} s LEFT JOIN {self._target()} h ON {self._join()}"
        )
        with connection.cursor() as cursor:
            cursor.execute(sql)
            total, existing, changed = cursor.fetchone()
        return total - existing, changed, existing - changed

    def new_rows(self, columns: list[str]) -> Iterator[tuple]:
        """(row number, *columns) of the staged rows that match no stored
        row, in the file's order, read a thousand at a time."""
        selected = ", ".join("s.%s" % self.quote(column) for column in columns)
        sql = (
            f"SELECT s.row_no, {selected} FROM {STAGE_TABLE} s"
            f" WHERE NOT EXISTS (SELECT 1 FROM {self._target()} h"
            f" WHERE {self._join()}) ORDER BY s.row_no"
        )
        with connection.cursor() as cursor:
            cursor.execute(sql)
            while rows := cursor.fetchmany(1000):
                yield from rows

    def first_rows(self, limit: int) -> list[tuple]:
        """The first staged rows, each with the id of the row it matches."""
        columns = ", ".join("s.%s" % self.quote(column) for column in self.columns)
        sql = (
            f"SELECT {columns}, h.id FROM (SELECT * FROM {STAGE_TABLE}"
            " ORDER BY row_no LIMIT %s) s"
            f" LEFT JOIN {self._target()} h ON {self._join()} ORDER BY s.row_no"
        )
        with connection.cursor() as cursor:
            cursor.execute(sql, [limit])
            return cursor.fetchall()

    # Writing ---------------------------------------------------------------

    def write(self, *, user_id, reason: str) -> tuple[int, int]:
        """Update the changed rows and insert the new ones, with their history.

        Returns (new, changed). Runs in the caller's transaction.
        """
        audit = {
            "history_date": timezone.now(),
            "history_change_reason": reason,
            "history_user_id": user_id,
        }
        update, update_params = self._update_sql()
        insert, insert_params = self._insert_sql()
        quote = self.quote
        if self.vendor == "postgresql":
            history, params = self._history_sql("~", "changed", quote, audit)
            changed = self._execute(
                "WITH changed AS (%s RETURNING h.*) %s" % (update, history),
                update_params + params,
            )
            history, params = self._history_sql("+", "created", quote, audit)
            new = self._execute(
                "WITH created AS (%s RETURNING *) %s" % (insert, history),
                insert_params + params,
            )
            return new, changed
        # SQLite has no data-modifying CTE: the audit rows of changes are
        # copied from the stage before the update, and the new rows are those
        # above the old highest id (SQLite serialises writers; ids only grow).
        staged = set(self.columns)
        history, params = self._history_sql(
            "~",
            "%s s JOIN %s h ON %s WHERE %s"
            % (STAGE_TABLE, quote(self.table), self._join(), self._changed()),
            lambda column: ("s." if column in staged else "h.") + quote(column),
            audit,
        )
        changed = self._execute(history, params)
        self._execute(update, update_params)
        pk = quote(self.model._meta.pk.column)
        with connection.cursor() as cursor:
            cursor.execute("SELECT COALESCE(MAX(%s), 0) FROM %s" % (pk, self.table))
            highest = cursor.fetchone()[0]
        self._execute(insert, insert_params)
        history, params = self._history_sql(
            "+", "%s WHERE %s > %%s" % (quote(self.table), pk), quote, audit
        )
        new = self._execute(history, params + [highest])
        return new, changed

    def _execute(self, sql: str, params) -> int:
        with connection.cursor() as cursor:
            cursor.execute(sql, params)
            return cursor.rowcount

    def _history_sql(self, kind: str, source: str, column_expr, audit: dict):
        """INSERT INTO the history table SELECT … FROM ``source``, and its params."""
        history = self.model.history.model
        unfilled = history_unfilled(self.model)
        if unfilled:
            raise ImproperlyConfigured(
                "The staged import cannot fill %s of %s."
                % (", ".join(unfilled), history._meta.db_table)
            )
        columns, values, params = [], [], []
        for field in history._meta.concrete_fields:
            column = field.column
            if column == "history_id":
                continue
            columns.append(self.quote(column))
            if column == "history_type":
                values.append("'%s'" % kind)
            elif column in audit:
                values.append("%s")
                params.append(audit[column])
            else:
                values.append(column_expr(column))
        sql = "INSERT INTO %s (%s) SELECT %s FROM %s" % (
            self.quote(history._meta.db_table),
            ", ".join(columns),
            ", ".join(values),
            source,
        )
        return sql, params

    def _update_sql(self) -> tuple[str, list]:
        assignments = ", ".join(
            "%s = s.%s" % (self.quote(column), self.quote(column))
            for column in self.columns
            if column not in self.key
        )
        sql = "UPDATE %s AS h SET %s FROM %s s WHERE %s AND %s" % (
            self.quote(self.table),
            assignments,
            STAGE_TABLE,
            self._join(),
            self._changed(),
        )
        return sql, []

    def _insert_sql(self) -> tuple[str, list]:
        instance = self.model()
        defaults = [
            field
            for field in self.model._meta.concrete_fields
            if not field.primary_key and field.column not in self.columns
        ]
        columns = self.columns + [field.column for field in defaults]
        values = ["s.%s" % self.quote(column) for column in self.columns]
        values += ["%s"] * len(defaults)
        # The values Model.save() gives the columns a file does not fill.
        params = [
            field.get_db_prep_save(field.pre_save(instance, True), connection)
            for field in defaults
        ]
        # ORDER BY: new rows get ids in the file's order, and the sort ends
        # the anti-join before the first row is written. Without it the
        # planner may scan the table for each staged row while it grows
        # with rows it cannot see: minutes instead of seconds.
        sql = (
            "INSERT INTO {table} ({columns}) SELECT {values} FROM {stage} s"
            " WHERE NOT EXISTS (SELECT 1 FROM {table} h WHERE {join})"
            " ORDER BY s.row_no"
        ).format(
            table=self.quote(self.table),
            columns=", ".join(self.quote(column) for column in columns),
            values=", ".join(values),
            stage=STAGE_TABLE,
            join=self._join(),
        )
        return sql, params


def import_staged(
    *,
    stage: Stage,
    rows: Iterator[tuple],
    errors: RowErrors,
    dry_run: bool,
    user_id,
    preview,
    kept=None,
    recheck=None,
    key_column: str = NON_FIELD_ERRORS,
) -> StagedResult:
    """Stage ``rows``, check them and, unless ``dry_run``, write them.

    ``rows`` yields ``(row number, bad, *values)``; the resource adds each bad
    row's problems to ``errors`` as it yields it. ``preview(stage)`` returns
    the RowResults the preview page shows. With ``kept`` (a
    :class:`core.import_files.KeptRows`), a preview keeps its staged
    rows and a confirmation reuses them when ``recheck(stage)`` finds them
    still right (the areas and the user's scope may have changed).
    A row repeating an earlier row's key is reported in ``key_column``.
    Must run inside a transaction that the caller rolls back when the result
    has errors or ``dry_run`` is set.
    """
    result = StagedResult()
    stage.create()
    try:
        total = _stage_load(stage, rows, errors, (dry_run, kept, recheck), key_column)
        if errors.total:
            if kept is not None:
                kept.discard()
            result.invalid_rows = errors.invalid_rows()
            result.invalid_total = errors.total
            result.totals[RowResult.IMPORT_TYPE_INVALID] = errors.total
            return result
        if dry_run:
            new, changed, unchanged = stage.totals()
            for row_result in preview(stage):
                result.append_row_result(row_result)
            if kept is not None:
                kept.commit(total)
        else:
            new, changed = stage.write(user_id=user_id, reason=gettext("import"))
            unchanged = total - new - changed
        result.totals[RowResult.IMPORT_TYPE_NEW] = new
        result.totals[RowResult.IMPORT_TYPE_UPDATE] = changed
        result.totals[RowResult.IMPORT_TYPE_SKIP] = unchanged
        result.total_rows = total
        return result
    finally:
        stage.drop()


def _stage_load(stage, rows, errors: RowErrors, reuse, key_column: str) -> int:
    """Fill the stage, from the kept rows when still right, else from ``rows``
    (adding the file's repeated rows to ``errors``); return how many rows.
    ``reuse``: (dry run, the kept rows, their recheck)."""
    dry_run, kept, recheck = reuse
    total = kept.rows() if kept is not None and not dry_run else None
    if total is not None:
        stage.load_kept(kept.rows_path)
        stage.analyze()
        if recheck(stage):
            return total
        stage.create()
    with kept.open() if kept and dry_run else contextlib.nullcontext() as keep:
        total = stage.load(rows, keep)
    stage.analyze()
    for number, first, bad in stage.duplicates():
        if bad and number not in errors.rows:
            continue  # counted already; only shown rows list every problem
        errors.add(
            number,
            key_column,
            gettext("The same row as row %(row)d of the file.") % {"row": first + 1},
        )
    return total

"""Hand-written SQL covers its tables, checked at start (core.checks)."""

import pytest
from django.db import models
from django.test.utils import isolate_apps

from core.checks import DECLARED, SqlColumns, check_sql_columns, sql_columns
from core.staged_import import check_history_columns
from households.models import Household
from reports.models import DayHousehold, DayTeamStat, DayWorkshopStat
from reports.services import TEAM_COLUMNS


def ids(errors) -> list[str]:
    return [error.id for error in errors]


def test_a_column_list_missing_a_column_fails():
    columns = [name for name in TEAM_COLUMNS if name != "walk_ins"]

    errors = check_sql_columns(
        declared=[SqlColumns(DayTeamStat, tuple(columns), "reports.services")]
    )

    assert ids(errors) == ["core.E001"]
    assert "walk_ins" in errors[0].msg


def test_a_column_list_naming_no_field_fails():
    columns = (*TEAM_COLUMNS, "walkins")

    errors = check_sql_columns(
        declared=[SqlColumns(DayTeamStat, columns, "reports.services")]
    )

    assert ids(errors) == ["core.E002"]


@pytest.mark.parametrize(
    "count, expected",
    [
        (models.IntegerField(default=0), ["core.E001"]),  # added, not in the SQL
        (models.IntegerField(db_default=0), []),  # the database fills it
        (models.IntegerField(null=True, db_default=None), []),
    ],
)
def test_only_columns_the_database_fills_may_be_left_out(count, expected):
    with isolate_apps("core"):

        class Tally(models.Model):
            day = models.DateField()

            class Meta:
                app_label = "core"

            def __str__(self):
                return str(self.day)

        Tally.add_to_class("count", count)
        declared = [SqlColumns(Tally, ("day",), "tests")]

        assert ids(check_sql_columns(declared=declared)) == expected


def test_a_declaration_returns_its_list_and_is_checked():
    fields = {"ward": "ward_id"}
    try:
        assert sql_columns(DayTeamStat, fields, writer="tests") is fields

        assert "core.E001" in ids(check_sql_columns())
    finally:
        DECLARED.pop()


def test_the_summary_tables_are_declared():
    declared = {declaration.model for declaration in DECLARED}

    assert declared >= {DayTeamStat, DayHousehold, DayWorkshopStat, Household}


def test_an_audit_table_the_staged_import_cannot_fill_fails(monkeypatch):
    history = Household.history.model
    extra = models.CharField(max_length=10)
    extra.set_attributes_from_name("history_ip")
    fields = (*history._meta.concrete_fields, extra)
    monkeypatch.setitem(history._meta.__dict__, "concrete_fields", fields)

    errors = check_history_columns(models=[Household])

    assert ids(errors) == ["core.E003"]
    assert "history_ip" in errors[0].msg


def test_the_project_sql_and_audit_tables_pass():
    assert check_sql_columns() == []
    assert check_history_columns() == []

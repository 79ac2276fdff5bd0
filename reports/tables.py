"""Dashboard tables: one definition for the page and for its Excel export.

A :class:`Table` holds plain values (names, numbers, shares, dates) under
labelled columns, so the HTML table and the .xlsx file show the same rows.
"""

from __future__ import annotations

from dataclasses import dataclass
from urllib.parse import urlencode

from django.utils.text import capfirst
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from assistance.models import ServiceType
from core.text import text_fold
from training.models import Workshop

from .indicators import BY_CODE


@dataclass(frozen=True)
class Column:
    key: str
    label: str
    kind: str = "int"  # text, int, decimal, share or date


@dataclass
class Table:
    """Rows of plain values under labelled columns; ``url`` links a row's name."""

    key: str
    title: str
    columns: list[Column]
    rows: list[dict]
    sortable: bool = False
    sort: str | None = None
    descending: bool = True
    query: dict | None = None
    note: str = ""  # a line under the title, saying how the figures are counted

    def header(self) -> list[dict]:
        cells = []
        for column in self.columns:
            cell = {"label": column.label, "kind": column.kind}
            if self.sortable:
                current = column.key == self.sort
                descending = column.kind != "text"
                if current:
                    descending = not self.descending
                    cell["aria_sort"] = "descending" if self.descending else "ascending"
                cell["url"] = "?" + urlencode(
                    {
                        **(self.query or {}),
                        "sort": column.key,
                        "dir": "desc" if descending else "asc",
                    }
                )
            cells.append(cell)
        return cells

    def body(self) -> list[list[dict]]:
        return [
            [
                {
                    "value": row.get(column.key),
                    "kind": column.kind,
                    "url": row.get("url") if index == 0 else None,
                    # The approved figure, where it differs from the live one.
                    "approved": row.get("approved_values", {}).get(column.key),
                }
                for index, column in enumerate(self.columns)
            ]
            for row in self.rows
        ]

    def export_query(self) -> str:
        query = dict(self.query or {})
        if self.sortable and self.sort:
            query.update(sort=self.sort, dir="desc" if self.descending else "asc")
        return urlencode({**query, "export": self.key})


def sort_rows(rows, columns, params, default: str = "sessions"):
    """Rows ordered by ``?sort=`` and ``?dir=``; empty values always last."""
    kinds = {column.key: column.kind for column in columns}
    key = params.get("sort") if params.get("sort") in kinds else default
    direction = params.get("dir")
    descending = (
        direction == "desc" if direction in ("asc", "desc") else (kinds[key] != "text")
    )

    def value(row):
        item = row.get(key)
        return text_fold(item) if kinds[key] == "text" else item

    present = [row for row in rows if row.get(key) is not None]
    missing = [row for row in rows if row.get(key) is None]
    present.sort(key=lambda row: text_fold(row["name"]))  # ties by name
    present.sort(key=value, reverse=descending)
    return present + missing, key, descending


def _label(code: str):
    return BY_CODE[code].label


def _cells(rows: list[dict], columns: list[Column], **computed) -> list[dict]:
    """Each row's value of each column: ``computed[key](row)``, else ``row[key]``."""
    return [
        {
            column.key: computed[column.key](row)
            if column.key in computed
            else row[column.key]
            for column in columns
        }
        for row in rows
    ]


def hamlet_table(rows: list[dict]) -> Table:
    columns = [
        Column("name", _("Hamlet"), "text"),
        Column("sessions", _label("sessions")),
        Column("households_reached", _label("households_reached")),
    ]
    cells = _cells(rows, columns, name=lambda row: row["hamlet"].name)
    return Table("hamlets", _("By hamlet"), columns, cells)


def team_table(rows: list[dict]) -> Table:
    columns = [
        Column("name", _("Team"), "text"),
        Column("hamlet", _("Hamlet"), "text"),
        Column("members", _("Members")),
        Column("sessions", _label("sessions")),
        Column("per_member", _("Sessions per member"), "decimal"),
        Column("priority", _label("priority_sessions")),
    ]
    cells = _cells(
        rows,
        columns,
        name=lambda row: row["team"].name,
        hamlet=lambda row: (
            row["hamlet"].name if row["hamlet"] else gettext("Whole ward")
        ),
    )
    return Table("teams", _("By team"), columns, cells)


def service_table(rows: list[dict]) -> Table:
    columns = [
        Column("name", _("Service"), "text"),
        Column("category", _("Category"), "text"),
        Column("done", _("Done")),
        Column("follow_up", _("Needs follow-up")),
        Column("failed", _("Not done")),
        Column("given", _label("services_given")),
    ]
    cells = _cells(
        rows,
        columns,
        name=lambda row: row["service"].name,
        category=lambda row: capfirst(ServiceType.Category(row["category"]).label),
    )
    return Table("services", _("Service mix"), columns, cells)


def workshop_table(rows: list[dict]) -> Table:
    def label(name):
        return capfirst(Workshop._meta.get_field(name).verbose_name)

    columns = [
        Column("topic", label("topic"), "text"),
        Column("audience", label("audience"), "text"),
        Column("workshops", _label("workshops")),
        Column("attendees", label("attendees")),
        Column("women", label("women")),
        Column("elderly", label("elderly")),
    ]
    cells = _cells(
        rows,
        columns,
        topic=lambda row: capfirst(row["topic_label"]),
        audience=lambda row: capfirst(row["audience_label"]),
    )
    return Table("workshops", _label("workshops"), columns, cells)


def workload_table(rows: list[dict]) -> Table:
    columns = [
        Column("name", _("Member"), "text"),
        Column("sessions", _label("sessions")),
        Column("days", _("Duty days")),
        Column("per_day", _("Sessions per duty day"), "decimal"),
    ]
    cells = _cells(rows, columns, name=lambda row: row["member"].full_name)
    return Table("workload", _("Members' workload"), columns, cells)


def ranking_columns(level: str) -> list[Column]:
    """The columns comparing a province's wards (or the provinces)."""
    name = _("Ward") if level == "province" else _("Province")
    return [
        Column("name", name, "text"),
        Column("sessions", _label("sessions")),
        Column("households_reached", _label("households_reached")),
        Column("priority_sessions", _label("priority_sessions")),
        Column("level2_activations", _label("level2_activations")),
        Column("online_filings", _label("online_filings")),
        Column("teams", _("Teams")),
        Column("members", _("Members")),
        Column("focal_share", _label("focal_share"), "share"),
        Column("level2_share", _label("level2_share"), "share"),
        Column("hamlet_coverage", _label("hamlet_coverage"), "share"),
        Column("members_trained_share", _label("members_trained_share"), "share"),
        # Whether the row's figures are approved: a ward's own, a province's
        # share of its wards' months.
        Column("approval", _("Figures"), "text")
        if level == "province"
        else Column("approved_share", _("Wards approved"), "share"),
    ]


def ranking_table(level: str, rows, *, sort, descending, query) -> Table:
    title = _("Wards compared") if level == "province" else _("Provinces compared")
    return Table(
        "ranking",
        title,
        ranking_columns(level),
        rows,
        sortable=True,
        sort=sort,
        descending=descending,
        query=query,
    )


def lagging_table(level: str, rows: list[dict]) -> Table:
    """Units that need attention; those with teams first, the fewest sessions first."""
    name = _("Ward") if level == "province" else _("Province")
    columns = [
        Column("name", name, "text"),
        Column("reasons", _("Why"), "text"),
        Column("sessions", _label("sessions")),
        Column("teams", _("Teams")),
        Column("level2_share", _label("level2_share"), "share"),
    ]
    ordered = sorted(
        rows,
        key=lambda row: (not row["teams"], row["sessions"], text_fold(row["name"])),
    )
    return Table(
        "lagging",
        _("Wards that lag") if level == "province" else _("Provinces that lag"),
        columns,
        [
            {**row, "reasons": "; ".join(str(reason) for reason in row["reasons"])}
            for row in ordered
        ],
    )


COVERAGE_NOTE = _(
    "A household is reached when it had at least one session in the period. "
    "Households, priority groups, focal persons and e-ID are as the register "
    "stands now. Priority: elderly living alone, disability, poor or "
    "near-poor, ethnic minority, no smartphone."
)


def coverage_columns(name: str) -> list[Column]:
    return [
        Column("name", name, "text"),
        Column("households", _("Households")),
        Column("reached", _("Reached")),
        Column("reached_share", _("Share reached"), "share"),
        Column("not_reached", _("Not reached")),
        Column("priority_households", _("Priority households")),
        Column("priority_reached", _("Priority reached")),
        Column("priority_reached_share", _("Share of priority reached"), "share"),
        Column("focal_households", _("With a digital focal person")),
        Column("level2_residents", _("Residents with level-2 e-ID")),
    ]


def coverage_table(key: str, title, name, rows: list[dict]) -> Table:
    """Households reached and not, one row per hamlet, ward or province."""
    columns = coverage_columns(name)
    cells = _cells(rows, columns, name=lambda row: row["label"])
    for cell, row in zip(cells, rows, strict=True):
        cell["url"] = row.get("url")
    return Table(key, title, columns, cells, note=COVERAGE_NOTE)


def team_coverage_table(rows: list[dict]) -> Table:
    """Each team with the coverage of the hamlet it serves (or the whole ward)."""
    columns = coverage_columns(_("Team"))
    columns.insert(1, Column("served", _("Serves"), "text"))
    cells = _cells(rows, columns, name=lambda row: row["team"].name)
    return Table(
        "coverage_teams",
        _("Households reached by team"),
        columns,
        cells,
        note=COVERAGE_NOTE,
    )

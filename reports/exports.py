"""A dashboard table as an Excel file: the rows shown, numbers as numbers."""

from __future__ import annotations

import io
import re
from datetime import date

from django.http import HttpResponse
from openpyxl import Workbook
from openpyxl.styles import Font

from .tables import Table

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
NUMBER_FORMATS = {
    "int": "#,##0",
    "decimal": "#,##0.0",
    "share": "0.0%",
    "date": "dd/mm/yyyy",
}


def _cell(value, kind: str):
    if value is None:
        return None
    if kind == "text":
        return str(value)
    if kind in ("decimal", "share"):
        return float(value)
    return value


def table_workbook(table: Table, *, sheet: str) -> bytes:
    book = Workbook()
    worksheet = book.active
    # Excel refuses some characters and more than 31 of them in a sheet name.
    worksheet.title = re.sub(r"[\[\]:*?/\\]", " ", sheet)[:31] or "Sheet1"
    worksheet.append([str(column.label) for column in table.columns])
    for cell in worksheet[1]:
        cell.font = Font(bold=True)
    for row in table.rows:
        worksheet.append(
            [_cell(row.get(column.key), column.kind) for column in table.columns]
        )
    for index, column in enumerate(table.columns, start=1):
        letter = worksheet.cell(row=1, column=index).column_letter
        if column.kind in NUMBER_FORMATS:
            for (cell,) in worksheet.iter_rows(min_row=2, min_col=index, max_col=index):
                cell.number_format = NUMBER_FORMATS[column.kind]
        widest = max(
            [len(str(column.label))]
            + [len(str(row.get(column.key) or "")) for row in table.rows]
        )
        worksheet.column_dimensions[letter].width = min(max(widest + 2, 10), 50)
    worksheet.freeze_panes = "A2"
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


def table_response(table: Table, *, area_code: str, start: date, end: date):
    """The table as an attachment named after the table, the area and the dates."""
    filename = "%s_%s_%s_%s.xlsx" % (
        table.key,
        area_code,
        start.strftime("%Y%m%d"),
        end.strftime("%Y%m%d"),
    )
    response = HttpResponse(
        table_workbook(table, sheet=str(table.title)), content_type=XLSX
    )
    response["Content-Disposition"] = 'attachment; filename="%s"' % filename
    return response

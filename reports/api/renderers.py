"""CSV and Excel for the statistics API (the format parameter is checked in
accounts.api)."""

import csv
import io

from rest_framework.renderers import BaseRenderer

from core.exports import xlsx_write
from core.resources import formula_neutralise

# Excel reads a CSV file as UTF-8 only when it starts with the byte order
# mark; without it Vietnamese comes out garbled on a province computer.
BOM = "\ufeff"


def table_rows(data, view) -> tuple[list[str], list[list]]:
    """The answer as a header and rows: one per item of ``results`` (or one
    for a single object); nested objects as ``parent_child`` columns."""
    rows = data.get("results", [data])
    flat = [_flatten(row) for row in rows]
    header = list(flat[0]) if flat else list(getattr(view, "csv_header", []))
    return header, [[_cell(row.get(column)) for column in header] for row in flat]


class CSVRenderer(BaseRenderer):
    """One row per item of ``results`` (or one row for a single object).

    Nested objects become ``parent_child`` columns; ``None`` an empty cell.
    """

    media_type = "text/csv"
    format = "csv"
    charset = "utf-8"

    def render(self, data, accepted_media_type=None, renderer_context=None):
        if data is None:
            return b""
        header, rows = table_rows(data, (renderer_context or {}).get("view"))
        out = io.StringIO()
        writer = csv.writer(out, lineterminator="\r\n")
        writer.writerow(header)
        writer.writerows(rows)
        return (BOM + out.getvalue()).encode(self.charset)


class XLSXRenderer(BaseRenderer):
    """The same rows as the CSV, as an Excel workbook of one sheet."""

    media_type = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    format = "xlsx"
    charset = None
    render_style = "binary"

    def render(self, data, accepted_media_type=None, renderer_context=None):
        if data is None:
            return b""
        header, rows = table_rows(data, (renderer_context or {}).get("view"))
        out = io.BytesIO()
        xlsx_write(out, "Thống kê", header, rows)
        return out.getvalue()


def _flatten(row: dict, prefix: str = "") -> dict:
    flat = {}
    for name, value in row.items():
        if isinstance(value, dict):
            flat.update(_flatten(value, "%s%s_" % (prefix, name)))
        else:
            flat[prefix + name] = value
    return flat


def _cell(value):
    # Names typed by officials must not become formulas in a spreadsheet.
    return "" if value is None else formula_neutralise(value)

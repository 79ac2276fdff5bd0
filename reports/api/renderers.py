"""CSV for the statistics API (the format parameter is checked in accounts.api)."""

import csv
import io

from rest_framework.renderers import BaseRenderer

from core.resources import formula_neutralise

# Excel reads a CSV file as UTF-8 only when it starts with the byte order
# mark; without it Vietnamese comes out garbled on a province computer.
BOM = "\ufeff"


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
        rows = data.get("results", [data])
        flat = [_flatten(row) for row in rows]
        view = (renderer_context or {}).get("view")
        header = list(flat[0]) if flat else list(getattr(view, "csv_header", []))
        out = io.StringIO()
        writer = csv.writer(out, lineterminator="\r\n")
        writer.writerow(header)
        for row in flat:
            writer.writerow([_cell(row.get(column)) for column in header])
        return (BOM + out.getvalue()).encode(self.charset)


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

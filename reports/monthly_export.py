"""A ward's monthly report as an Excel workbook, laid out to print and sign."""

from __future__ import annotations

import io

from django.http import HttpResponse
from django.utils.translation import gettext
from openpyxl import Workbook
from openpyxl.styles import Font

from .exports import NUMBER_FORMATS, XLSX


def _heading(sheet, text: str) -> None:
    sheet.append([])
    sheet.append([text])
    sheet.cell(row=sheet.max_row, column=1).font = Font(bold=True)


def _table(sheet, headers: list[str], rows: list[list]) -> None:
    sheet.append(headers)
    for cell in sheet[sheet.max_row]:
        cell.font = Font(bold=True)
    for row in rows:
        sheet.append(row)


def monthly_workbook(context: dict) -> bytes:
    """The report page's content (see ``monthly_views``) as one sheet."""
    ward, month, figures = context["ward"], context["month"], context["figures"]
    book, sheet = _book(
        gettext("Monthly report — %(ward)s, %(month)s")
        % {"ward": ward.name, "month": month.strftime("%m/%Y")}
    )
    sheet.append([gettext("Status"), str(context["status_label"]).capitalize()])
    _headline(sheet, context["headline"])
    _ward_tables(sheet, figures)
    report = context["report"]
    _heading(sheet, gettext("Difficulties and proposals"))
    sheet.append([report.difficulties if report else ""])
    _signatures(sheet, gettext("Head of the commune / ward"))
    return _saved(book)


def _book(title: str):
    """A workbook of one sheet whose first line is ``title``, in bold."""
    book = Workbook()
    sheet = book.active
    sheet.title = gettext("Monthly report")[:31]
    sheet.append([title])
    sheet["A1"].font = Font(bold=True, size=14)
    return book, sheet


def _ward_tables(sheet, figures: dict) -> None:
    _heading(sheet, gettext("By team"))
    _table(
        sheet,
        [gettext("Team"), gettext("Hamlet"), gettext("Members"), gettext("Sessions")],
        [
            [row["team"], row["hamlet"], row["members"], row["sessions"]]
            for row in figures["teams"]
        ],
    )
    _heading(sheet, gettext("By hamlet"))
    _table(
        sheet,
        [gettext("Hamlet"), gettext("Sessions"), gettext("Households reached")],
        [
            [row["hamlet"], row["sessions"], row["households_reached"]]
            for row in figures["hamlets"]
        ],
    )
    _heading(sheet, gettext("Service mix"))
    _table(
        sheet,
        [gettext("Service"), gettext("Given")],
        [[row["service"], row["given"]] for row in figures["services"]],
    )
    _heading(sheet, gettext("Workshops and training"))
    _table(
        sheet,
        [
            gettext("Topic"),
            gettext("Audience"),
            gettext("Workshops"),
            gettext("Attendees"),
        ],
        [
            [row["topic"], row["audience"], row["workshops"], row["attendees"]]
            for row in figures["workshops"]
        ],
    )
    _heading(sheet, gettext("Campaigns' progress"))
    for campaign in figures["campaigns"]:
        for target in campaign["targets"]:
            sheet.append(
                [
                    campaign["campaign"],
                    target["label"],
                    target["count"],
                    target["target"],
                ]
            )


def _headline(sheet, rows: list[dict]) -> None:
    _heading(sheet, gettext("Headline indicators"))
    for row in rows:
        value = row["value"]
        sheet.append([str(row["label"]).capitalize(), value])
        if value is not None:
            sheet.cell(row=sheet.max_row, column=2).number_format = NUMBER_FORMATS[
                row["kind"]
            ]


def _signatures(sheet, head: str) -> None:
    sheet.append([])
    sheet.append([gettext("Prepared by"), "", head])
    sheet.append([gettext("(sign, full name)"), "", gettext("(sign, seal, full name)")])
    sheet.column_dimensions["A"].width = 45
    for letter in "BCDEFG":
        sheet.column_dimensions[letter].width = 18


def _saved(book) -> bytes:
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


def province_workbook(context: dict) -> bytes:
    """The province's own report (``monthly_views.province_context``)."""
    province, month = context["province"], context["month"]
    book, sheet = _book(
        gettext("Monthly report — %(province)s, %(month)s")
        % {"province": province.name, "month": month.strftime("%m/%Y")}
    )
    sheet.append(
        [
            gettext("Wards approved"),
            "%d / %d" % (len(context["approved"]), context["wards"]),
        ]
    )
    _headline(sheet, context["headline"])
    _heading(sheet, gettext("By ward"))
    _table(
        sheet,
        [gettext("Commune / ward"), *(str(label) for label in context["columns"])],
        [[row["ward"].name, *row["values"]] for row in context["approved"]],
    )
    _heading(sheet, gettext("Wards missing"))
    _table(
        sheet,
        [gettext("Commune / ward"), gettext("Status")],
        [
            [row["ward"].name, str(row["status_label"]).capitalize()]
            for row in context["missing"]
        ],
    )
    _signatures(sheet, gettext("Province's department head"))
    return _saved(book)


def province_response(context: dict) -> HttpResponse:
    return _attachment(province_workbook(context), context["province"], context)


def monthly_response(context: dict) -> HttpResponse:
    return _attachment(monthly_workbook(context), context["ward"], context)


def _attachment(content: bytes, area, context: dict) -> HttpResponse:
    filename = "bao-cao-thang_%s_%s.xlsx" % (
        area.pk,
        context["month"].strftime("%Y-%m"),
    )
    response = HttpResponse(content, content_type=XLSX)
    response["Content-Disposition"] = 'attachment; filename="%s"' % filename
    return response

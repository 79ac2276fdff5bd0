"""Figures in the reader's language: 1.234 and 77,6 % in Vietnamese."""

from datetime import date
from decimal import Decimal

from django import template
from django.conf import settings
from django.utils.formats import date_format, get_format, number_format
from django.utils.html import conditional_escape, format_html
from django.utils.safestring import mark_safe
from django.utils.translation import gettext

register = template.Library()


@register.filter
def percent(ratio):
    """A share between 0 and 1 as a percentage, one decimal when it has one."""
    if ratio is None:
        return "—"
    value = round(float(ratio) * 100, 1)
    return "%s\u00a0%%" % number_format(value, 0 if value == int(value) else 1)


def _grouped(value) -> str:
    """``number_format`` of an integer (1.234.567 in Vietnamese) by Python's
    own grouping: a province's tables format thousands of them."""
    if (
        isinstance(value, int)
        and settings.USE_THOUSAND_SEPARATOR
        and get_format("NUMBER_GROUPING") == 3
    ):
        return f"{value:,}".replace(",", get_format("THOUSAND_SEPARATOR"))
    return number_format(value)


@register.filter
def figure(value, kind="int"):
    """One cell of a dashboard table or tile, formatted for its kind."""
    if value is None or value == "":
        return "—"
    if kind == "share":
        return percent(value)
    if kind == "decimal":
        return number_format(round(float(value), 1), 1)
    if kind == "int":
        return _grouped(value)
    if kind == "date":
        return date_format(value, "SHORT_DATE_FORMAT")
    return value


@register.simple_tag
def grid_rows(table):
    """The grid's body rows (``reports.tables.Table``), written here.

    A province's tables hold thousands of cells: filled in by the template
    language, cell by cell, they took a cold dashboard a tenth of a second.
    """
    approved = gettext("as approved")

    def text(value, kind):
        # A number's or a date's figure is digits and the locale's signs:
        # only other values are escaped.
        shown = figure(value, kind)
        if value is None or isinstance(value, (int, float, Decimal, date)):
            return shown
        return conditional_escape(shown)

    rows = []
    for row in table.body():
        cells = []
        for index, cell in enumerate(row):
            kind = cell["kind"]
            if index == 0:
                if cell["url"]:
                    inner = format_html(
                        '<a href="{}">{}</a>', cell["url"], cell["value"]
                    )
                else:
                    inner = text(cell["value"], kind)
                cells.append('<th scope="row" class="%s">%s</th>' % (kind, inner))
                continue
            inner = text(cell["value"], kind)
            if cell["approved"] is not None:
                inner += '<small class="approved-value">%s: %s</small>' % (
                    conditional_escape(approved),
                    text(cell["approved"], kind),
                )
            cells.append('<td class="%s">%s</td>' % (kind, inner))
        rows.append("<tr>%s</tr>" % "".join(cells))
    return mark_safe("\n".join(rows))  # noqa: S308 - every value escaped above

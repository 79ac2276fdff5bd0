"""Figures in the reader's language: 1.234 and 77,6 % in Vietnamese."""

from django import template
from django.utils.formats import date_format, number_format

register = template.Library()


@register.filter
def percent(ratio):
    """A share between 0 and 1 as a percentage, one decimal when it has one."""
    if ratio is None:
        return "—"
    value = round(float(ratio) * 100, 1)
    return "%s\u00a0%%" % number_format(value, 0 if value == int(value) else 1)


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
        return number_format(value)
    if kind == "date":
        return date_format(value, "SHORT_DATE_FORMAT")
    return value

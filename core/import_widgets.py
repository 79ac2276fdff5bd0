"""Spreadsheet cells as Vietnamese officials write them, read for the registry.

Widgets turn one cell into a Python value or raise ``ValueError`` with a
message for the user; django-import-export reports it against the row and
column. See :mod:`core.resources` for how they are used.
"""

import datetime

from django.core.exceptions import ValidationError
from django.utils import translation
from django.utils.translation import gettext, gettext_noop
from import_export import widgets

from .import_messages import vni_message, vni_word
from .phones import phone_normalise
from .text import text_fold, text_normalise

CACHE_LIMIT = 100_000  # entries in the cache below; emptied when full

_phone_heads: dict[tuple[int, str], bool] = {}


def phone_normalise_cached(text: str) -> str:
    """``phone_normalise``, without libphonenumber for numbers already national.

    Whether "0" and nine or ten digits make a Vietnamese number depends on
    their length and first four digits after the 0 only (the prefixes of
    libphonenumber's patterns for Viet Nam; a test checks every one), so the
    answer is cached per length and first five characters, and such a number
    is its own national form. Anything else, and every refused number (for
    its message), goes through phone_normalise.
    """
    if (
        len(text) in (10, 11)
        and text[0] == "0"
        and text[1] != "0"
        and text.isascii()
        and text.isdigit()
    ):
        key = (len(text), text[:5])
        valid = _phone_heads.get(key)
        if valid is None:
            try:
                valid = phone_normalise(text) == text
            except ValidationError:
                valid = False
            if len(_phone_heads) >= CACHE_LIMIT:
                _phone_heads.clear()
            _phone_heads[key] = valid
        if valid:
            return text
    return phone_normalise(text)


def cell_text(value) -> str:
    """The text of a cell, whatever type the spreadsheet reader gave it."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return "có" if value else "không"
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return text_normalise(str(value))


class TextWidget(widgets.Widget):
    def __init__(self, required=False, max_length=None, upper=False):
        super().__init__()
        self.required = required
        self.max_length = max_length
        self.upper = upper

    def clean(self, value, row=None, **kwargs):
        text = cell_text(value)
        if self.upper:
            text = text.upper()
        if self.required and not text:
            raise ValueError(gettext("This cell must not be empty."))
        if self.max_length and len(text) > self.max_length:
            raise ValueError(
                gettext("Too long: at most %(limit)d characters.")
                % {"limit": self.max_length}
            )
        word = vni_word(text)
        if word:
            raise ValueError(vni_message(word))
        return text

    def render(self, value, obj=None, **kwargs):
        return "" if value is None else str(value)


class PhoneWidget(TextWidget):
    def clean(self, value, row=None, **kwargs):
        text = super().clean(value, row, **kwargs)
        if text.isdigit() and len(text) == 9:
            text = "0" + text  # Excel drops the leading zero of numbers
        try:
            return phone_normalise_cached(text)
        except ValidationError as error:
            raise ValueError(error.messages[0]) from error


class IntegerWidget(widgets.Widget):
    def __init__(self, required=False):
        super().__init__()
        self.required = required

    def clean(self, value, row=None, **kwargs):
        if isinstance(value, int) and not isinstance(value, bool):
            return value
        text = cell_text(value)
        if not text:
            if self.required:
                raise ValueError(gettext("This cell must not be empty."))
            return None
        if not text.isdigit():
            raise ValueError(
                gettext("“%(value)s” is not a whole number.") % {"value": text}
            )
        return int(text)

    def render(self, value, obj=None, **kwargs):
        return value


EXCEL_EPOCH = datetime.date(1899, 12, 30)  # day 0 of Excel's date serials


class YearWidget(IntegerWidget):
    """A year, also when Excel took it for a date: 15/03/1968 reads 1968, and
    so does 1968 typed in a cell formatted as a date (shown as 21/05/1905)."""

    def clean(self, value, row=None, **kwargs):
        if isinstance(value, datetime.date):
            day = value.date() if isinstance(value, datetime.datetime) else value
            serial = (day - EXCEL_EPOCH).days
            return serial if 1900 <= serial <= 2100 else value.year
        text = cell_text(value)
        for pattern in DateWidget.FORMATS:
            try:
                return datetime.datetime.strptime(text, pattern).year
            except ValueError:
                continue
        return super().clean(value, row, **kwargs)


YES_WORDS = {"co", "c", "x", "1", "yes", "y", "true", "dung"}
NO_WORDS = {"", "khong", "k", "0", "no", "n", "false", "sai"}


class YesNoWidget(widgets.Widget):
    def clean(self, value, row=None, **kwargs):
        if isinstance(value, bool):
            return value
        word = text_fold(cell_text(value))
        if word in YES_WORDS:
            return True
        if word in NO_WORDS:
            return False
        raise ValueError(
            gettext("“%(value)s” is not a yes/no answer: write “có” or “không”.")
            % {"value": cell_text(value)}
        )

    def render(self, value, obj=None, **kwargs):
        return "có" if value else "không"


class ChoiceWidget(widgets.Widget):
    """Accepts the stored code or the label in Vietnamese or English."""

    def __init__(self, choices, required=True, default=""):
        super().__init__()
        self.choices = choices
        self.required = required
        self.default = default

    def _lookup(self) -> dict[str, str]:
        if getattr(self, "_cache", None) is not None:
            return self._cache
        lookup = {}
        for language in ("en", "vi"):
            with translation.override(language):
                for value, label in self.choices.choices:
                    lookup[text_fold(str(label))] = value
        for value in self.choices.values:
            lookup[text_fold(value)] = value
        self._cache = lookup
        return lookup

    def clean(self, value, row=None, **kwargs):
        text = cell_text(value)
        if not text and not self.required:
            return self.default
        found = self._lookup().get(text_fold(text))
        if found is None:
            with translation.override("vi"):
                allowed = ", ".join(str(label) for label in self.choices.labels)
            raise ValueError(
                gettext("“%(value)s” is not one of: %(allowed)s.")
                % {"value": text, "allowed": allowed}
            )
        return found

    def render(self, value, obj=None, **kwargs):
        if not value:
            return ""
        with translation.override("vi"):
            return str(self.choices(value).label)


class DateWidget(widgets.Widget):
    FORMATS = ("%d/%m/%Y", "%d-%m-%Y", "%d.%m.%Y", "%Y-%m-%d")

    def clean(self, value, row=None, **kwargs):
        if isinstance(value, datetime.datetime):
            return value.date()
        if isinstance(value, datetime.date):
            return value
        text = cell_text(value)
        if not text:
            return None
        for pattern in self.FORMATS:
            try:
                return datetime.datetime.strptime(text, pattern).date()
            except ValueError:
                continue
        raise ValueError(
            gettext("“%(value)s” is not a date: write it as dd/mm/yyyy.")
            % {"value": text}
        )

    def render(self, value, obj=None, **kwargs):
        return value.strftime("%d/%m/%Y") if value else ""


class ResourceBoundWidget(widgets.Widget):
    """A widget that resolves a cell through its resource's caches and scope."""

    resource = None


class WardWidget(ResourceBoundWidget):
    def clean(self, value, row=None, **kwargs):
        return self.resource.ward_resolve(value)

    def render(self, value, obj=None, **kwargs):
        return value.pk if value else ""


class InWardWidget(ResourceBoundWidget):
    """A registry row of the ward named on the same line, by name or code.

    ``lookup`` names the resource method that maps a ward's rows by key (one
    query per ward and file); ``missing`` is the message when nothing matches,
    formatted with the cell as ``name`` and ``code`` and the ward's ``ward``.
    """

    def __init__(self, lookup, missing, *, key=text_fold, shown="name", required=True):
        super().__init__()
        self.lookup = lookup
        self.missing = missing
        self.key = key
        self.shown = shown
        self.required = required

    def clean(self, value, row=None, **kwargs):
        text = cell_text(value)
        if not text:
            if self.required:
                raise ValueError(gettext("This cell must not be empty."))
            return None
        ward = self.resource.row_ward(row)
        if ward is None:
            return None  # the ward column carries the error
        found = getattr(self.resource, self.lookup)(ward).get(self.key(text))
        if found is None:
            raise ValueError(
                gettext(self.missing)
                % {"name": text, "code": text.upper(), "ward": ward.name}
            )
        return found

    def render(self, value, obj=None, **kwargs):
        return getattr(value, self.shown) if value else ""


def hamlet_widget(required=True) -> InWardWidget:
    return InWardWidget(
        "hamlets",
        gettext_noop("There is no hamlet or residential group “%(name)s” in %(ward)s."),
        required=required,
    )

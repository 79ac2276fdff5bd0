"""The statistics API's query parameters: checked, defaulted, and scoped.

Bad values are a 400 naming the parameter; an area outside the caller's
scope is a 404, the same answer as an area that does not exist.
"""

import base64
import binascii
import hashlib
import json
from datetime import date, timedelta

from django.utils import timezone, translation
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _
from rest_framework import serializers
from rest_framework.exceptions import NotFound

from accounts.scope import Level, Scope
from areas.models import Province, Ward
from core.serializers import FieldsBuiltOnce

from ..areas import area_in_scope
from ..coverage import COVERAGE_GROUPS
from ..indicators import INTERVALS, Area
from .statistics import GROUPS, TRAINING_GROUPS

LEVELS = ("national", "province", "ward")
DEFAULT_DAYS = 30
MAX_DAYS = 366
# Far enough either way for any real pull; beyond, date arithmetic overflows.
EARLIEST = date(2000, 1, 1)
LATEST = date(2100, 12, 31)
CODE_LENGTH = {"province": 2, "ward": 5}
# Rows per page of /stats/ in JSON; CSV and Excel are whole files for people,
# as long as MAX_DAYS allows.
PAGE_SIZE = 1000
MAX_PAGE_SIZE = 5000

# Whole sentences, not the level's name put into one: "ward" would stay
# English inside the Vietnamese sentence.
CODE_SHAPE = {
    "province": _("A province code has 2 digits."),
    "ward": _("A ward code has 5 digits."),
}
CODE_MISSING = {
    "province": _("Say which province: give its code."),
    "ward": _("Say which ward: give its code."),
}


class AreaCodeField(serializers.RegexField):
    """A province's or a ward's official code."""

    def __init__(self, **kwargs):
        kwargs.setdefault("required", False)
        kwargs.setdefault(
            "help_text",
            _(
                "Official code of the province (2 digits) or ward (5 digits); "
                "defaults to the caller's own."
            ),
        )
        super().__init__(r"^[0-9]{2}([0-9]{3})?\Z", **kwargs)


def area_check(attrs: dict) -> None:
    """Refuse a code that does not fit the level asked for."""
    level, code = attrs.get("level"), attrs.get("code")
    if level == "national" and code:
        raise serializers.ValidationError(
            {"code": [gettext("The national level takes no code.")]}
        )
    if level in CODE_LENGTH and code and len(code) != CODE_LENGTH[level]:
        raise serializers.ValidationError({"code": [str(CODE_SHAPE[level])]})


class SummaryQuery(FieldsBuiltOnce, serializers.Serializer):
    level = serializers.ChoiceField(
        choices=LEVELS,
        required=False,
        help_text=_(
            "Where to count; defaults to the caller's own area. national "
            "takes no code; province a 2-digit code; ward a 5-digit one."
        ),
    )
    code = AreaCodeField()
    date_from = serializers.DateField(
        required=False,
        help_text=_(
            "First day counted (ISO date, from 2000-01-01); defaults to 29 "
            "days before date_to; at most 366 days before it."
        ),
    )
    date_to = serializers.DateField(
        required=False,
        help_text=_(
            "Last day counted (ISO date, until 2100-12-31); defaults to today."
        ),
    )

    def validate_date_from(self, value):
        return _in_range(value)

    def validate_date_to(self, value):
        return _in_range(value)

    def validate(self, attrs):
        date_to = attrs.get("date_to") or timezone.localdate()
        date_from = attrs.get("date_from") or date_to - timedelta(days=DEFAULT_DAYS - 1)
        if date_from > date_to:
            raise serializers.ValidationError(
                {"date_from": [gettext("date_from is after date_to.")]}
            )
        if (date_to - date_from).days + 1 > MAX_DAYS:
            raise serializers.ValidationError(
                {
                    "date_from": [
                        gettext("The period is longer than %(days)d days.")
                        % {"days": MAX_DAYS}
                    ]
                }
            )
        area_check(attrs)
        return {**attrs, "date_from": date_from, "date_to": date_to}


class PageSizeField(serializers.IntegerField):
    """A page size, refused in the words of the other pulls (core.pagination)."""

    def __init__(self, **kwargs):
        super().__init__(min_value=1, max_value=MAX_PAGE_SIZE, **kwargs)

    def get_value(self, dictionary):
        # Given empty it is refused, as by the other pulls, not defaulted.
        return dictionary.get(self.field_name, serializers.empty)

    def run_validation(self, data=serializers.empty):
        refused = serializers.ValidationError(
            gettext("Give a whole number from 1 to %(most)d.") % {"most": MAX_PAGE_SIZE}
        )
        try:
            return super().run_validation(data)
        except serializers.ValidationError as error:
            raise refused from error


class CursorField(serializers.CharField):
    """A cursor the API gave in ``next``: the question and the last row sent."""

    def to_internal_value(self, data):
        text = super().to_internal_value(data)
        try:
            found = json.loads(base64.urlsafe_b64decode(text + "=" * (-len(text) % 4)))
        except (ValueError, binascii.Error) as error:
            raise cursor_refused() from error
        if not (
            isinstance(found, list)
            and len(found) == 4
            and all(isinstance(part, str) for part in found)
        ):
            raise cursor_refused()
        return tuple(found)


def cursor_refused() -> serializers.ValidationError:
    # The words of the other pulls (core.pagination).
    return serializers.ValidationError(
        gettext("This cursor is not one the API gave: start the pull again without it.")
    )


def cursor_make(question: str, key: tuple) -> str:
    """The cursor of the page after the row whose ``row_key`` is ``key``."""
    text = json.dumps([question, *key], ensure_ascii=False, separators=(",", ":"))
    return base64.urlsafe_b64encode(text.encode()).decode().rstrip("=")


def question_digest(area: Area, *question) -> str:
    """Names a question, so that a cursor is used only for the one it came from
    (labels, and so the rows' order, depend on the language too)."""
    text = "|".join(
        str(part)
        for part in (area.level, area.code, translation.get_language(), *question)
    )
    return hashlib.sha256(text.encode()).hexdigest()[:16]


class StatsQuery(SummaryQuery):
    interval = serializers.ChoiceField(
        choices=INTERVALS,
        default="day",
        help_text=_("One row per day, week (from Monday) or month."),
    )
    group = serializers.ChoiceField(
        choices=GROUPS,
        default="none",
        help_text=_(
            "Split each period by service category, service, hamlet (ward level "
            "only), ward (province or ward level) or province."
        ),
    )
    page_size = PageSizeField(
        default=PAGE_SIZE,
        help_text=_(
            "Rows per page of the JSON answer, from 1 to 5000 (default 1000). "
            "CSV and Excel hold every row."
        ),
    )
    cursor = CursorField(
        required=False,
        help_text=_(
            "Where the page starts: the cursor in the previous page's next. "
            "Without it, the first page."
        ),
    )


class TrainingQuery(SummaryQuery):
    group = serializers.ChoiceField(
        choices=TRAINING_GROUPS,
        default="none",
        help_text=_(
            "Split the period's workshops by topic (service category) or by "
            "audience; none for one row."
        ),
    )


class CoverageQuery(SummaryQuery):
    group = serializers.ChoiceField(
        choices=COVERAGE_GROUPS,
        default="none",
        help_text=_(
            "One row for the area (none), or one per hamlet (ward level only), "
            "ward (province or ward level) or province."
        ),
    )
    campaign = serializers.IntegerField(
        required=False,
        min_value=1,
        max_value=2**31 - 1,
        help_text=_(
            "A campaign's id: its days and its ward or province, in place of "
            "level, code, date_from and date_to (which it takes none of)."
        ),
    )

    def to_internal_value(self, data):
        values = super().to_internal_value(data)
        if "campaign" in values:
            given = [name for name in CAMPAIGN_REPLACES if name in values]
            if given:
                raise serializers.ValidationError(
                    {
                        name: [gettext("A campaign brings its own area and days.")]
                        for name in given
                    }
                )
        return values


# What a campaign stands for in a coverage question.
CAMPAIGN_REPLACES = ("level", "code", "date_from", "date_to")


def _in_range(value: date) -> date:
    if not EARLIEST <= value <= LATEST:
        raise serializers.ValidationError(
            gettext("Give a day between %(earliest)s and %(latest)s.")
            % {"earliest": EARLIEST.isoformat(), "latest": LATEST.isoformat()}
        )
    return value


def area_resolve(who: Scope, level: str | None, code: str | None) -> Area:
    """The area asked for, defaulted from the caller's scope; 404 outside it."""
    own_level = {Level.NATIONAL: "national", Level.PROVINCE: "province"}.get(
        who.level, "ward"
    )
    level = level or own_level
    if level == "national":
        if not who.is_national:
            raise _outside()
        return Area("national", None, gettext("Whole country"))
    code = code or (who.province if level == "province" else who.ward)
    if not code:
        raise serializers.ValidationError({"code": [str(CODE_MISSING[level])]})
    if level == "province":
        # A ward's officials and keys see their ward, not the whole province.
        if who.level not in (Level.NATIONAL, Level.PROVINCE):
            raise _outside()
        unit = area_in_scope(who, Province, code)
    else:
        unit = area_in_scope(who, Ward, code)
    if unit is None:
        raise _outside()
    return Area(level, unit.pk, unit.name)


def _outside() -> NotFound:
    # The same answer whether the area is missing or only out of reach.
    return NotFound(gettext("No area with this code within what you may see."))


def group_check(area: Area, group: str) -> None:
    if group == "hamlet" and area.level != "ward":
        raise serializers.ValidationError(
            {"group": [gettext("Hamlets are grouped within one ward: level=ward.")]}
        )
    if group == "ward" and area.level == "national":
        raise serializers.ValidationError(
            {
                "group": [
                    gettext(
                        "Wards are grouped within one province: level=province, "
                        "or group=province for the whole country."
                    )
                ]
            }
        )

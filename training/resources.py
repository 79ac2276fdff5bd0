"""Attendance lists in and out of Excel, as trainers keep them.

One row is one member at one training event, named by the event's class code
and the member's phone in their ward: importing the same list again updates
statuses, scores and certificates instead of adding twins. See
:mod:`core.resources` for what every registry import guarantees.
"""

from decimal import Decimal, InvalidOperation

from django.utils.translation import gettext, gettext_noop
from import_export import fields, widgets

from areas.resources import WARD_COLUMN, RegistryResource
from core.import_widgets import (
    ChoiceWidget,
    DateWidget,
    InWardWidget,
    PhoneWidget,
    ResourceBoundWidget,
    TextWidget,
    WardWidget,
    cell_text,
)
from core.text import text_fold
from teams.models import Member

from .models import Attendance, TrainingEvent, records_attendance

EVENT_COLUMN = "Mã lớp"
PHONE_COLUMN = "Số điện thoại thành viên"
NAME_COLUMN = "Họ tên"
STATUS_COLUMN = "Trạng thái"

# The words trainers write, fixed like the column headers: a list filled in
# one language imports in the other.
STATUS_WORDS = {
    Attendance.Status.REGISTERED: ("đăng ký", "đã đăng ký", "đăng kí"),
    Attendance.Status.ATTENDED: ("tham dự", "đã tham dự", "có mặt", "tham gia"),
    Attendance.Status.COMPLETED: ("hoàn thành", "đã hoàn thành", "đạt"),
}


class StatusWidget(ChoiceWidget):
    def __init__(self):
        super().__init__(Attendance.Status, required=True)

    def _lookup(self) -> dict[str, str]:
        lookup = dict(super()._lookup())
        for value, words in STATUS_WORDS.items():
            for word in words:
                lookup[text_fold(word)] = value
        return lookup

    def clean(self, value, row=None, **kwargs):
        text = cell_text(value)
        if not text:
            raise ValueError(gettext("This cell must not be empty."))
        found = self._lookup().get(text_fold(text))
        if found is None:
            allowed = ", ".join(words[0] for words in STATUS_WORDS.values())
            raise ValueError(
                gettext("“%(value)s” is not one of: %(allowed)s.")
                % {"value": text, "allowed": allowed}
            )
        return found

    def render(self, value, obj=None, **kwargs):
        return STATUS_WORDS[value][0] if value else ""


class ScoreWidget(widgets.Widget):
    """A number as spreadsheets hold it, or as typed with a decimal comma."""

    def clean(self, value, row=None, **kwargs):
        if isinstance(value, int | float) and not isinstance(value, bool):
            value = str(value)
        text = cell_text(value).replace(",", ".")
        if not text:
            return None
        try:
            number = Decimal(text)
        except InvalidOperation:
            number = None
        if number is None or not number.is_finite():
            raise ValueError(
                gettext("“%(value)s” is not a number.") % {"value": cell_text(value)}
            )
        return number

    def render(self, value, obj=None, **kwargs):
        if value is None:
            return ""
        return int(value) if value == value.to_integral_value() else float(value)


class EventWidget(ResourceBoundWidget):
    """A training event of the row's province, by its class code."""

    def clean(self, value, row=None, **kwargs):
        code = cell_text(value).upper()
        if not code:
            raise ValueError(gettext("This cell must not be empty."))
        ward = self.resource.row_ward(row)
        if ward is None:
            return None  # the ward column carries the error
        event = self.resource.events(ward).get(code)
        if event is None:
            raise ValueError(
                gettext("There is no training event with code %(code)s in %(area)s.")
                % {"code": code, "area": ward.province}
            )
        return event

    def render(self, value, obj=None, **kwargs):
        return value.code if value else ""


def phone_key(text: str) -> str:
    return PhoneWidget().clean(text)


class AttendanceResource(RegistryResource):
    """Who was registered for, attended or completed which training event."""

    # The member's ward: it says where to look the phone up, it is not stored.
    ward = fields.Field(column_name=WARD_COLUMN, widget=WardWidget())
    event = fields.Field(
        attribute="event", column_name=EVENT_COLUMN, widget=EventWidget()
    )
    # Read to catch a wrong phone, never written: the registry owns names.
    full_name = fields.Field(column_name=NAME_COLUMN, widget=TextWidget(max_length=150))
    member = fields.Field(
        attribute="member",
        column_name=PHONE_COLUMN,
        widget=InWardWidget(
            "members",
            gettext_noop("There is no member with phone %(name)s in %(ward)s."),
            key=phone_key,
            shown="phone",
        ),
    )
    status = fields.Field(
        attribute="status", column_name=STATUS_COLUMN, widget=StatusWidget()
    )
    score = fields.Field(attribute="score", column_name="Điểm", widget=ScoreWidget())
    certificate_date = fields.Field(
        attribute="certificate_date",
        column_name="Ngày cấp chứng chỉ",
        widget=DateWidget(),
    )

    required_columns = (EVENT_COLUMN, PHONE_COLUMN, STATUS_COLUMN)

    class Meta(RegistryResource.Meta):
        model = Attendance
        name = "Danh sách học viên"
        fields = (
            "event",
            "ward",
            "full_name",
            "member",
            "status",
            "score",
            "certificate_date",
        )
        import_id_fields = ("event", "member")

    def __init__(self, who=None, **kwargs):
        super().__init__(who, **kwargs)
        self._members = {}
        self._events = {}
        self._codes = set()

    def members(self, ward) -> dict:
        if ward.pk not in self._members:
            self._members[ward.pk] = {
                member.phone: member
                for member in Member.objects.filter(ward=ward).select_related("ward")
            }
        return self._members[ward.pk]

    def events(self, ward) -> dict:
        """The events of the ward's province that the importer can see, by code."""
        province = ward.province_id
        if province not in self._events:
            events = self.scope.filter(
                TrainingEvent.objects.filter(province_id=province)
            )
            self._events[province] = {
                event.code: event for event in events.select_related("province", "ward")
            }
        return self._events[province]

    # Keys ------------------------------------------------------------------

    def row_key(self, row):
        ward = self.row_ward(row)
        code = cell_text(row.get(EVENT_COLUMN)).upper()
        try:
            phone = phone_key(cell_text(row.get(PHONE_COLUMN)))
        except ValueError:
            return None
        return (ward.pk, phone, code) if ward and phone and code else None

    def instance_key(self, instance):
        return (instance.member.ward_id, instance.member.phone, instance.event.code)

    def before_import(self, dataset, **kwargs):
        super().before_import(dataset, **kwargs)
        self._codes = {cell_text(code).upper() for code in dataset[EVENT_COLUMN]}

    def existing_queryset(self, wards):
        return Attendance.objects.filter(
            member__ward__in=wards, event__code__in=self._codes
        ).select_related("member", "event")

    # Checks ----------------------------------------------------------------

    def row_check(self, instance, row, errors):
        try:
            self.ward_resolve(row.get(WARD_COLUMN))
        except ValueError as error:
            errors.setdefault(WARD_COLUMN, []).append(str(error))
            return
        event = instance.event if instance.event_id else None
        if event is not None and not records_attendance(self.scope, event):
            errors.setdefault("event", []).append(
                gettext(
                    "Attendance at %(code)s is recorded by the officials of %(ward)s."
                )
                % {"code": event.code, "ward": event.ward}
            )
        member = instance.member if instance.member_id else None
        name = cell_text(row.get(NAME_COLUMN))
        if (
            member is not None
            and name
            and text_fold(name) != text_fold(member.full_name)
        ):
            errors.setdefault(NAME_COLUMN, []).append(
                gettext(
                    "Phone %(phone)s belongs to %(member)s, not to “%(name)s”: "
                    "check the phone."
                )
                % {"phone": member.phone, "member": member.full_name, "name": name}
            )

    # Export ----------------------------------------------------------------

    def dehydrate_ward(self, attendance):
        return attendance.member.ward_id if attendance.member_id else ""

    def dehydrate_full_name(self, attendance):
        return attendance.member.full_name if attendance.member_id else ""

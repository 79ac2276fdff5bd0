from django.utils.translation import gettext, gettext_noop
from import_export import fields

from accounts.import_widgets import (
    ChoiceWidget,
    IntegerWidget,
    InWardWidget,
    PhoneWidget,
    TextWidget,
    YesNoWidget,
    cell_text,
    hamlet_widget,
)
from accounts.resources import RegistryResource
from accounts.text import text_fold

from .models import Household, Resident

CODE_COLUMN = "Mã hộ"


class HouseholdResource(RegistryResource):
    hamlet = fields.Field(
        attribute="hamlet", column_name="Thôn/Tổ dân phố", widget=hamlet_widget()
    )
    code = fields.Field(
        attribute="code",
        column_name=CODE_COLUMN,
        widget=TextWidget(required=True, max_length=30, upper=True),
    )
    head_name = fields.Field(
        attribute="head_name",
        column_name="Họ tên chủ hộ",
        widget=TextWidget(required=True, max_length=150),
    )
    address = fields.Field(
        attribute="address", column_name="Địa chỉ", widget=TextWidget(max_length=255)
    )
    phone = fields.Field(
        attribute="phone", column_name="Điện thoại", widget=PhoneWidget()
    )
    size = fields.Field(
        attribute="size",
        column_name="Số nhân khẩu",
        widget=IntegerWidget(required=True),
    )
    elderly_alone = fields.Field(
        attribute="elderly_alone",
        column_name="Người cao tuổi sống một mình",
        widget=YesNoWidget(),
    )
    disability = fields.Field(
        attribute="disability", column_name="Có người khuyết tật", widget=YesNoWidget()
    )
    poverty = fields.Field(
        attribute="poverty",
        column_name="Hộ nghèo/cận nghèo",
        widget=ChoiceWidget(Household.Poverty, required=False),
    )
    ethnic_minority = fields.Field(
        attribute="ethnic_minority",
        column_name="Dân tộc thiểu số",
        widget=YesNoWidget(),
    )
    no_smartphone = fields.Field(
        attribute="no_smartphone",
        column_name="Không có điện thoại thông minh",
        widget=YesNoWidget(),
    )

    required_columns = (CODE_COLUMN, "Thôn/Tổ dân phố", "Họ tên chủ hộ", "Số nhân khẩu")

    class Meta(RegistryResource.Meta):
        model = Household
        name = "Hộ gia đình"
        fields = (
            "ward",
            "hamlet",
            "code",
            "head_name",
            "address",
            "phone",
            "size",
            "elderly_alone",
            "disability",
            "poverty",
            "ethnic_minority",
            "no_smartphone",
        )
        import_id_fields = ("ward", "code")

    def row_key(self, row):
        ward = self.row_ward(row)
        code = cell_text(row.get(CODE_COLUMN)).upper()
        return (ward.pk, code) if ward and code else None

    def instance_key(self, instance):
        return (instance.ward_id, instance.code)

    def existing_queryset(self, wards):
        return super().existing_queryset(wards).select_related("ward", "hamlet")


class ResidentResource(RegistryResource):
    household = fields.Field(
        attribute="household",
        column_name=CODE_COLUMN,
        widget=InWardWidget(
            "households",
            gettext_noop("There is no household with code %(code)s in %(ward)s."),
            key=str.upper,
            shown="code",
        ),
    )
    full_name = fields.Field(
        attribute="full_name",
        column_name="Họ và tên",
        widget=TextWidget(required=True, max_length=150),
    )
    birth_year = fields.Field(
        attribute="birth_year",
        column_name="Năm sinh",
        widget=IntegerWidget(required=True),
    )
    gender = fields.Field(
        attribute="gender",
        column_name="Giới tính",
        widget=ChoiceWidget(Resident.Gender),
    )
    phone = fields.Field(
        attribute="phone", column_name="Điện thoại", widget=PhoneWidget()
    )
    has_smartphone = fields.Field(
        attribute="has_smartphone",
        column_name="Có điện thoại thông minh",
        widget=YesNoWidget(),
    )
    vneid_level = fields.Field(
        attribute="vneid_level",
        column_name="VNeID",
        widget=ChoiceWidget(
            Resident.VneidLevel, required=False, default=Resident.VneidLevel.NONE
        ),
    )
    digital_skill = fields.Field(
        attribute="digital_skill",
        column_name="Kỹ năng số",
        widget=ChoiceWidget(
            Resident.Skill, required=False, default=Resident.Skill.NONE
        ),
    )
    is_focal_person = fields.Field(
        attribute="is_focal_person",
        column_name="Đầu mối số của hộ",
        widget=YesNoWidget(),
    )
    disability = fields.Field(
        attribute="disability", column_name="Khuyết tật", widget=YesNoWidget()
    )
    ethnic_minority = fields.Field(
        attribute="ethnic_minority",
        column_name="Dân tộc thiểu số",
        widget=YesNoWidget(),
    )

    required_columns = (CODE_COLUMN, "Họ và tên", "Năm sinh", "Giới tính")

    class Meta(RegistryResource.Meta):
        model = Resident
        name = "Nhân khẩu"
        fields = (
            "ward",
            "household",
            "full_name",
            "birth_year",
            "gender",
            "phone",
            "has_smartphone",
            "vneid_level",
            "digital_skill",
            "is_focal_person",
            "disability",
            "ethnic_minority",
        )
        import_id_fields = ("ward", "household", "full_name", "birth_year")

    def __init__(self, who=None, **kwargs):
        super().__init__(who, **kwargs)
        self._households = {}
        self._focal = {}  # household id -> key of the focal person (file wins)

    def households(self, ward) -> dict:
        if ward.pk not in self._households:
            self._households[ward.pk] = {
                household.code: household
                for household in Household.objects.filter(ward=ward).only(
                    "pk", "code", "ward_id"
                )
            }
        return self._households[ward.pk]

    def row_key(self, row):
        ward = self.row_ward(row)
        code = cell_text(row.get(CODE_COLUMN)).upper()
        name = text_fold(cell_text(row.get("Họ và tên")))
        year = cell_text(row.get("Năm sinh"))
        if not (ward and code and name and year):
            return None
        return (ward.pk, code, name, year)

    def instance_key(self, instance):
        return (
            instance.ward_id,
            instance.household.code,
            text_fold(instance.full_name),
            str(instance.birth_year),
        )

    def existing_instances(self, dataset):
        instances = super().existing_instances(dataset)
        for key, resident in instances.items():
            if resident.is_focal_person:
                self._focal[resident.household_id] = (key, resident, False)
        return instances

    def existing_queryset(self, wards):
        return super().existing_queryset(wards).select_related("household")

    def row_check(self, instance, row, errors):
        household = instance.household if instance.household_id else None
        if household is None:
            return
        key = self.row_key(row)
        holder_key, holder, from_file = self._focal.get(
            household.pk, (None, None, False)
        )
        if not instance.is_focal_person:
            if holder_key == key:
                del self._focal[household.pk]
            return
        column = self.fields["is_focal_person"].column_name
        if not instance.has_smartphone:
            errors.setdefault(column, []).append(
                gettext("The digital focal person must own a smartphone.")
            )
            return
        if holder_key is None or holder_key == key:
            self._focal[household.pk] = (key, instance, True)
        elif from_file:
            errors.setdefault(column, []).append(
                gettext(
                    "Household %(code)s already has a digital focal person in this "
                    "file; mark only one person “có”."
                )
                % {"code": household.code}
            )
        else:
            # The file names a new focal person: the old one steps down, with
            # an audit record, before the new one is written.
            holder.is_focal_person = False
            holder._history_user = self.history_user
            holder._change_reason = gettext("import")
            holder.save(update_fields=["is_focal_person"])
            self._focal[household.pk] = (key, instance, True)

from import_export import fields

from accounts.import_widgets import (
    ChoiceWidget,
    TextWidget,
    YesNoWidget,
    cell_text,
)
from accounts.resources import RegistryResource
from accounts.text import text_fold

from .models import Hamlet

NAME_COLUMN = "Tên thôn/tổ dân phố"


class HamletResource(RegistryResource):
    name = fields.Field(
        attribute="name",
        column_name=NAME_COLUMN,
        widget=TextWidget(required=True, max_length=100),
    )
    kind = fields.Field(
        attribute="kind", column_name="Loại", widget=ChoiceWidget(Hamlet.Kind)
    )
    is_active = fields.Field(
        attribute="is_active", column_name="Đang hoạt động", widget=YesNoWidget()
    )

    required_columns = (NAME_COLUMN, "Loại")

    class Meta(RegistryResource.Meta):
        model = Hamlet
        name = "Thôn/Tổ dân phố"
        fields = ("ward", "name", "kind", "is_active")
        import_id_fields = ("ward", "name")

    def row_key(self, row):
        ward = self.row_ward(row)
        name = text_fold(cell_text(row.get(NAME_COLUMN)))
        return (ward.pk, name) if ward and name else None

    def instance_key(self, instance):
        return (instance.ward_id, text_fold(instance.name))

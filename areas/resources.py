"""The registry's spreadsheets: rows checked against the importer's area.

Each registry model's resource is built on :class:`RegistryResource`, which
finds the ward of each row by its code (as Excel leaves it) and the hamlets
of a ward by their folded names, inside the importer's scope.
"""

from django.utils.translation import gettext
from import_export import fields

from accounts.scope import Level, Scope, scope_for
from core.import_widgets import (
    ChoiceWidget,
    TextWidget,
    WardWidget,
    YesNoWidget,
    cell_text,
)
from core.resources import SpreadsheetResource
from core.text import text_fold

from .models import Hamlet, Ward

WARD_COLUMN = "Mã xã/phường"


class RegistryResource(SpreadsheetResource):
    """A registry model's rows in and out, inside the importer's area.

    The ward column is checked against the importer's scope: a row for
    another ward is an error, never a write.
    """

    ward = fields.Field(attribute="ward", column_name=WARD_COLUMN, widget=WardWidget())

    def __init__(self, who=None, **kwargs):
        super().__init__(**kwargs)
        self.scope = who if isinstance(who, Scope) else scope_for(who)
        self.history_user = None if isinstance(who, Scope) else who
        self._wards = {}
        self._hamlets = {}

    def existing_queryset(self, wards):
        return self._meta.model.objects.filter(ward__in=wards)

    def existing_instances(self, dataset) -> dict:
        wards = set()
        if dataset is not None and WARD_COLUMN in (dataset.headers or ()):
            codes = set(dataset[WARD_COLUMN])
        else:
            codes = {""}
        for code in codes:
            try:
                wards.add(self.ward_resolve(code))
            except ValueError:
                continue
        if not wards:
            return {}
        queryset = self.scope.filter(self.existing_queryset(wards))
        return {self.instance_key(instance): instance for instance in queryset}

    # Areas -----------------------------------------------------------------

    def ward_resolve(self, value) -> Ward:
        code = cell_text(value)
        if code.isdigit():
            code = code.zfill(5)  # Excel turns "00004" into 4
        if code in self._wards:
            found = self._wards[code]
            if isinstance(found, Exception):
                raise found
            return found
        try:
            ward = self._ward_lookup(code)
        except ValueError as error:
            self._wards[code] = error
            raise
        self._wards[code] = ward
        return ward

    def _ward_lookup(self, code: str) -> Ward:
        if not code:
            if self.scope.level == Level.WARD:
                return Ward.objects.get(pk=self.scope.ward)
            raise ValueError(gettext("Write the ward's five-digit code."))
        ward = Ward.objects.filter(pk=code).first()
        if ward is None:
            raise ValueError(
                gettext("There is no ward with code %(code)s.") % {"code": code}
            )
        if not self.scope.filter(Ward.objects.filter(pk=code)).exists():
            raise ValueError(
                gettext("Ward %(code)s (%(name)s) is outside your area.")
                % {"code": code, "name": ward.name}
            )
        return ward

    def row_ward(self, row) -> Ward | None:
        try:
            return self.ward_resolve(row.get(WARD_COLUMN))
        except ValueError:
            return None

    def hamlets(self, ward) -> dict:
        if ward.pk not in self._hamlets:
            self._hamlets[ward.pk] = {
                text_fold(hamlet.name): hamlet
                for hamlet in Hamlet.objects.filter(ward=ward)
            }
        return self._hamlets[ward.pk]


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
    key_column = NAME_COLUMN

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

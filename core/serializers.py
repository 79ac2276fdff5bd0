"""What every app's API serializers share."""

import copy

from django.utils.translation import gettext_lazy as _
from rest_framework import serializers

# Fields holding a child bound to them, so copied deeply with their child.
CONTAINER_FIELDS = (
    serializers.BaseSerializer,
    serializers.ManyRelatedField,
    serializers.ListField,
    serializers.DictField,
)


class FieldsBuiltOnce:
    """A serializer whose fields are built once per class, then copied cheaply.

    DRF deep-copies every field for every serializer made, which runs each
    field's ``__init__`` again: most of the time of checking a session or a
    statistics query. Here each serializer gets shallow copies of the plain
    fields (a field is not changed by checking or showing a value; binding
    sets the copy's own name and parent), and deep copies of the fields that
    hold a child, whose parent must be the copy.
    """

    def get_fields(self):
        built = type(self).__dict__.get("_fields_built")
        if built is None:
            built = super().get_fields()
            type(self)._fields_built = built
        return {
            name: (
                copy.deepcopy(field)
                if isinstance(field, CONTAINER_FIELDS)
                else copy.copy(field)
            )
            for name, field in built.items()
        }


class TombstoneOutput(serializers.Serializer):
    """A row deleted since a pull's moment: what a client needs to drop it."""

    id = serializers.IntegerField(read_only=True)
    client_uuid = serializers.UUIDField(read_only=True, allow_null=True)
    deleted = serializers.SerializerMethodField()
    updated_at = serializers.DateTimeField(
        read_only=True, help_text=_("When the row was deleted.")
    )

    def get_deleted(self, row) -> bool:
        return True


class LiveRow(serializers.Serializer):
    """Declares ``deleted`` (always false) on a list item that may come with
    tombstones; list ``"deleted"`` in the item's ``Meta.fields``."""

    deleted = serializers.SerializerMethodField()

    def get_deleted(self, row) -> bool:
        return False

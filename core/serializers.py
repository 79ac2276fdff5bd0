"""What every app's API serializers share."""

import copy
from collections.abc import Mapping

from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers
from rest_framework.fields import empty
from rest_framework.utils.formatting import lazy_format

# Fields holding a child bound to them, so copied deeply with their child.
CONTAINER_FIELDS = (
    serializers.BaseSerializer,
    serializers.ManyRelatedField,
    serializers.ListField,
    serializers.DictField,
)


class _FormattedEachTime(lazy_format):
    """DRF's lazy message with its limit, worded in each request's language.

    DRF's keeps the first wording it gives ("Ensure this field has no more
    than 50 characters."): in a field built once per process, every later
    request would read the first request's language.
    """

    def __str__(self):
        return self.format_string.format(*self.args, **self.kwargs)


def _messages_per_request(field) -> None:
    for validator in getattr(field, "validators", []):
        message = getattr(validator, "message", None)
        if isinstance(message, lazy_format) and not isinstance(
            message, _FormattedEachTime
        ):
            validator.message = _FormattedEachTime(
                message.format_string, *message.args, **message.kwargs
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
            for field in built.values():
                _messages_per_request(field)
            type(self)._fields_built = built
        return {
            name: (
                copy.deepcopy(field)
                if isinstance(field, CONTAINER_FIELDS)
                else copy.copy(field)
            )
            for name, field in built.items()
        }


# What a JSON body must hold for each kind of field, and what a value of any
# other type is told (DRF's own messages, translated in locale/).
TEXT = (str,), _("Not a valid string.")
WHOLE = (int,), _("A valid integer is required.")
YES_NO = (bool,), _("Must be a valid boolean.")
JSON_TYPES = (
    (serializers.BooleanField, YES_NO),
    (serializers.IntegerField, WHOLE),
    (serializers.PrimaryKeyRelatedField, WHOLE),
    (serializers.SlugRelatedField, TEXT),
    (serializers.CharField, TEXT),
    (serializers.ChoiceField, TEXT),
    (serializers.UUIDField, TEXT),
    (serializers.DateField, TEXT),
    (serializers.DateTimeField, TEXT),
)


def _json_type(field):
    for kind, expected in JSON_TYPES:
        if isinstance(field, kind):
            return expected
    return None


class JsonTypes:
    """A serializer of a JSON body that takes each value in the JSON type the
    schema states.

    DRF reads leniently: ``0`` for a text is the text "0", ``"12"`` for a
    number is 12, ``"yes"`` is true. A client built from the schema sends
    what the schema says; a value of another type is a mistake, refused with
    the field named, beside the other fields' problems. ``null`` is left to
    the field (``allow_null``).
    """

    def to_internal_value(self, data):
        wrong = {}
        if isinstance(data, Mapping):
            for field in self._writable_fields:
                value = data.get(field.field_name, empty)
                if value is empty or value is None:
                    continue
                expected = _json_type(field)
                if expected is None:
                    continue
                types, message = expected
                if not isinstance(value, types) or (
                    isinstance(value, bool) and bool not in types
                ):
                    wrong[field.field_name] = [str(message)]
        try:
            value = super().to_internal_value(data)
        except serializers.ValidationError as error:
            if wrong and isinstance(error.detail, Mapping):
                raise serializers.ValidationError({**error.detail, **wrong}) from None
            raise
        if wrong:
            raise serializers.ValidationError(wrong)
        return value


class Deleted(serializers.Field):
    """Whether a list item is a tombstone: a constant of each item's shape,
    so that the schema tells a live row from a tombstone."""

    value = False

    def __init__(self, **kwargs):
        kwargs.update(source="*", read_only=True)
        kwargs.setdefault(
            "help_text", _("True for a row deleted since the pull's moment.")
        )
        super().__init__(**kwargs)

    def to_representation(self, row) -> bool:
        return self.value


@extend_schema_field({"type": "boolean", "enum": [True]})
class DeletedTrue(Deleted):
    value = True


@extend_schema_field({"type": "boolean", "enum": [False]})
class DeletedFalse(Deleted):
    value = False


class TombstoneOutput(serializers.Serializer):
    """A row deleted since a pull's moment: what a client needs to drop it."""

    id = serializers.IntegerField(read_only=True)
    client_uuid = serializers.UUIDField(read_only=True, allow_null=True)
    deleted = DeletedTrue()
    updated_at = serializers.DateTimeField(
        read_only=True, help_text=_("When the row was deleted.")
    )


class LiveRow(serializers.Serializer):
    """Declares ``deleted`` (always false) on a list item that may come with
    tombstones; list ``"deleted"`` in the item's ``Meta.fields``."""

    deleted = DeletedFalse()

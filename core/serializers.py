"""What every app's API serializers share."""

import copy

from rest_framework import serializers
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

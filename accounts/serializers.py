"""API fields about what a caller may see: references to rows in scope."""

from django.utils.translation import gettext
from rest_framework import serializers

from .scope import scope

# The largest key a row can have (big integers): anything larger names no row.
LARGEST_ID = 2**63 - 1


def reference_missing(value) -> str:
    """The refusal of a reference to a row that does not exist for the caller.

    DRF's wording, the same for a row that does not exist and for one outside
    the caller's scope: the answer never tells them apart.
    """
    return gettext('Invalid pk "{pk_value}" - object does not exist.').format(
        pk_value=value
    )


class ScopedPrimaryKeyField(serializers.PrimaryKeyRelatedField):
    """A reference to a row the requesting user may see; others do not exist."""

    def get_queryset(self):
        return scope(super().get_queryset(), self.context["request"].user)


class ReferenceField(serializers.IntegerField):
    """The id of a row, read without a query.

    The service that stores the record checks in one query that each row
    exists and is in the caller's scope, and refuses the others with
    :func:`reference_missing`; an id that cannot name a row is refused here,
    with the same wording. An id is a JSON number, as the schema says: a
    text or a yes/no is refused as not a whole number.
    """

    def to_internal_value(self, data):
        if isinstance(data, bool) or not isinstance(data, int):
            self.fail("invalid")
        if not 0 < data <= LARGEST_ID:
            raise serializers.ValidationError(reference_missing(data))
        return data

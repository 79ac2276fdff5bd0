"""Serializer fields built once per class: each serializer still has its own."""

from rest_framework import serializers

from core.serializers import FieldsBuiltOnce


class Probe(FieldsBuiltOnce, serializers.Serializer):
    name = serializers.CharField(max_length=5)
    tags = serializers.ListField(child=serializers.CharField())


def test_each_serializer_has_fields_bound_to_itself():
    first, second = Probe(context={"caller": 1}), Probe(context={"caller": 2})

    assert first.fields["name"] is not second.fields["name"]
    assert first.fields["name"].parent is first
    # A child reads its context through its parents: the copy's, not a shared one.
    assert first.fields["tags"].child.root is first
    assert second.fields["tags"].child.context == {"caller": 2}


def test_checking_one_serializer_leaves_the_next_untouched():
    refused = Probe(data={"name": "too long", "tags": ["a"]})
    accepted = Probe(data={"name": "ok", "tags": ["b"]})

    assert not refused.is_valid()
    assert list(refused.errors) == ["name"]
    assert accepted.is_valid(), accepted.errors
    assert accepted.validated_data == {"name": "ok", "tags": ["b"]}

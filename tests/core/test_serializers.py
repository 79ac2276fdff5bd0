"""Serializer fields built once per class: each serializer still has its own."""

from django.utils import translation
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


class Limits(FieldsBuiltOnce, serializers.Serializer):
    name = serializers.CharField(max_length=5)
    count = serializers.IntegerField(min_value=1)


def test_a_limit_is_worded_in_each_requests_language():
    # The fields are built once, in the first request's language.
    with translation.override("vi"):
        Limits(data={}).is_valid()
    answers = {}
    for language in ("vi", "en", "vi"):
        with translation.override(language):
            refused = Limits(data={"name": "too long", "count": 0})
            refused.is_valid()
            answers.setdefault(language, []).append(
                (str(refused.errors["name"][0]), str(refused.errors["count"][0]))
            )

    assert answers["en"] == [
        (
            "Ensure this field has no more than 5 characters.",
            "Ensure this value is greater than or equal to 1.",
        )
    ]
    assert (
        answers["vi"][0]
        == answers["vi"][1]
        == (
            "Trường này không được quá 5 ký tự.",
            "Giá trị phải lớn hơn hoặc bằng 1.",
        )
    )

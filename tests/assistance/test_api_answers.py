"""Answers that keep to the schema: an unset choice is null, never ""."""

import pytest

from tests.assistance.test_api import body, detail_of, post

pytestmark = pytest.mark.django_db


def test_a_household_sessions_walk_in_choices_are_null(as_member, household):
    answer = post(as_member, body(household))

    assert answer.status_code == 201
    shown = answer.json()
    assert (shown["walk_in_gender"], shown["walk_in_age_group"]) == (None, None)
    read = as_member.get(detail_of(answer)).json()
    assert (read["walk_in_gender"], read["walk_in_age_group"]) == (None, None)


def test_a_walk_ins_choices_are_answered(as_member, household):
    data = body(household, walk_in_gender="female", walk_in_age_group="60_plus")
    data["household"] = None
    data["place"] = "centre"

    shown = post(as_member, data).json()

    assert (shown["walk_in_gender"], shown["walk_in_age_group"]) == (
        "female",
        "60_plus",
    )


def test_the_schema_allows_null_for_the_walk_in_choices(api, users):
    from drf_spectacular.generators import SchemaGenerator

    schema = SchemaGenerator().get_schema(request=None, public=True)
    properties = schema["components"]["schemas"]["SessionOutput"]["properties"]
    for name in ("walk_in_gender", "walk_in_age_group"):
        assert properties[name].get("nullable") is True


def test_a_new_session_is_answered_with_its_address(as_member, household):
    answer = post(as_member, body(household))

    assert answer["Location"] == detail_of(answer)
    assert as_member.get(answer["Location"]).status_code == 200

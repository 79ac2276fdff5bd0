"""Admin search ignores case and diacritics, and never reaches past the scope."""

import warnings
from types import SimpleNamespace

import pytest
from django.core.paginator import UnorderedObjectListWarning

from accounts.models import Role
from tests.households.factories import HouseholdFactory, ResidentFactory

pytestmark = pytest.mark.django_db

HOUSEHOLDS = "/admin/households/household/"
RESIDENTS = "/admin/households/resident/"


@pytest.fixture
def people(area):
    an = HouseholdFactory(
        ward=area.ward, hamlet=area.hamlet, head_name="Nguyễn Văn An", phone=""
    )
    bich = HouseholdFactory(
        ward=area.ward,
        hamlet=area.hamlet,
        head_name="Đặng Thị Bích",
        phone="0912345678",
    )
    anh = HouseholdFactory(
        ward=area.neighbour_ward,
        hamlet=area.neighbour_hamlet,
        head_name="Nguyễn Văn Anh",
        phone="0912345679",
    )
    return SimpleNamespace(
        an=an,
        bich=bich,
        anh=anh,
        an_resident=ResidentFactory(household=an, full_name="Nguyễn Văn An"),
        bich_resident=ResidentFactory(
            household=bich, full_name="Đặng Thị Bích", phone="0987654321"
        ),
        anh_resident=ResidentFactory(household=anh, full_name="Nguyễn Văn Anh"),
    )


@pytest.fixture
def official(client, users):
    client.force_login(users[Role.WARD])
    return client


def found(client, url, term):
    return list(client.get(url, {"q": term}).context["cl"].result_list)


def test_household_found_without_diacritics(official, people):
    assert found(official, HOUSEHOLDS, "nguyen van an") == [people.an]


def test_national_search_also_matches_the_neighbours_household(client, users, people):
    client.force_login(users[Role.NATIONAL])

    assert set(found(client, HOUSEHOLDS, "nguyen van an")) == {people.an, people.anh}


def test_household_found_by_upper_case_d_with_stroke(official, people):
    assert found(official, HOUSEHOLDS, "ĐẶNG") == [people.bich]


def test_household_found_by_plain_d(official, people):
    assert found(official, HOUSEHOLDS, "dang thi") == [people.bich]


def test_household_found_by_phone(official, people):
    assert found(official, HOUSEHOLDS, "0912345678") == [people.bich]


def test_household_found_by_phone_as_typed_with_spaces(official, people):
    assert found(official, HOUSEHOLDS, "0912 345 678") == [people.bich]


def test_household_search_does_not_reach_another_ward(official, people):
    assert found(official, HOUSEHOLDS, "0912345679") == []


def test_resident_found_without_diacritics(official, people):
    assert found(official, RESIDENTS, "nguyen van an") == [people.an_resident]


def test_resident_found_by_upper_case_d_with_stroke(official, people):
    assert found(official, RESIDENTS, "ĐẶNG THỊ") == [people.bich_resident]


def test_resident_found_by_phone(official, people):
    assert found(official, RESIDENTS, "0987654321") == [people.bich_resident]


def test_resident_search_does_not_reach_another_ward(official, people):
    assert found(official, RESIDENTS, "van anh") == []


def test_household_autocomplete_offers_only_the_wards_households(official, people):
    response = official.get(
        "/admin/autocomplete/",
        {
            "app_label": "households",
            "model_name": "resident",
            "field_name": "household",
            "term": "nguyen",
        },
    )

    assert response.status_code == 200
    assert [row["id"] for row in response.json()["results"]] == [str(people.an.pk)]


def test_household_autocomplete_ignores_diacritics_in_the_term(official, people):
    response = official.get(
        "/admin/autocomplete/",
        {
            "app_label": "households",
            "model_name": "resident",
            "field_name": "household",
            "term": "Đặng",
        },
    )

    assert [row["id"] for row in response.json()["results"]] == [str(people.bich.pk)]


def test_household_autocomplete_pages_offer_each_household_once(official, area):
    households = HouseholdFactory.create_batch(25, ward=area.ward, hamlet=area.hamlet)
    offered = []

    # Django warns when it pages an unordered queryset: pages may then overlap.
    with warnings.catch_warnings():
        warnings.simplefilter("error", UnorderedObjectListWarning)
        for page in (1, 2):
            response = official.get(
                "/admin/autocomplete/",
                {
                    "app_label": "households",
                    "model_name": "resident",
                    "field_name": "household",
                    "term": "",
                    "page": page,
                },
            )
            offered += [row["id"] for row in response.json()["results"]]

    assert sorted(offered) == sorted(str(household.pk) for household in households)


# A zero-width space, a zero-width joiner, a right-to-left override and a
# byte order mark: pasted from chat apps and web pages, invisible on screen.
INVISIBLE = ["\u200b", "\u200d", "\u202e", "\ufeff"]


@pytest.mark.parametrize("mark", INVISIBLE)
def test_invisible_characters_are_not_saved_with_a_name(area, mark):
    household = HouseholdFactory(
        ward=area.ward, hamlet=area.hamlet, head_name="Nguyễn%s Văn An" % mark
    )
    household.refresh_from_db()

    assert household.head_name == "Nguyễn Văn An"
    assert mark not in household.search_text


@pytest.mark.parametrize("mark", INVISIBLE)
def test_invisible_characters_in_a_search_still_find_the_person(official, people, mark):
    assert found(official, HOUSEHOLDS, "ng%suyen van an" % mark) == [people.an]

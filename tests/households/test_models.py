import unicodedata

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone, translation

from households.models import Household, Resident
from tests.households.factories import HouseholdFactory, ResidentFactory

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _english():
    # Messages are compared as written in the code, not as translated.
    with translation.override("en"):
        yield


@pytest.fixture
def household(area):
    return HouseholdFactory(ward=area.ward, hamlet=area.hamlet, code="HGD-001")


def messages_of(error: ValidationError) -> list[str]:
    return [message for messages in error.message_dict.values() for message in messages]


def test_household_code_is_refused_twice_in_a_ward_by_the_database(area, household):
    with pytest.raises(IntegrityError), transaction.atomic():
        HouseholdFactory(ward=area.ward, hamlet=area.hamlet, code="HGD-001")


def test_household_code_twice_in_a_ward_fails_validation(area, household):
    twin = Household(
        ward=area.ward, hamlet=area.hamlet, code="hgd-001", head_name="Lê Văn Bình"
    )

    with pytest.raises(ValidationError) as error:
        twin.full_clean()

    assert messages_of(error.value) == [
        "A household with this code is already registered in the ward."
    ]


def test_household_code_is_reused_in_another_ward(area, household):
    elsewhere = Household(
        ward=area.neighbour_ward,
        hamlet=area.neighbour_hamlet,
        code="HGD-001",
        head_name="Lê Văn Bình",
    )

    elsewhere.full_clean()
    elsewhere.save()

    assert Household.objects.filter(code="HGD-001").count() == 2


def test_hamlet_must_be_in_the_households_ward(area):
    household = Household(
        ward=area.ward,
        hamlet=area.neighbour_hamlet,
        code="HGD-002",
        head_name="Lê Văn Bình",
    )

    with pytest.raises(ValidationError) as error:
        household.full_clean()

    assert error.value.message_dict == {
        "hamlet": ["The hamlet must be in the household's ward."]
    }


def test_database_refuses_a_second_focal_person(household):
    ResidentFactory(household=household, has_smartphone=True, is_focal_person=True)

    with pytest.raises(IntegrityError), transaction.atomic():
        ResidentFactory(household=household, has_smartphone=True, is_focal_person=True)


def test_second_focal_person_fails_validation_with_a_message(household):
    ResidentFactory(household=household, has_smartphone=True, is_focal_person=True)
    second = Resident(
        household=household,
        full_name="Lê Thị Cúc",
        birth_year=1990,
        gender=Resident.Gender.FEMALE,
        has_smartphone=True,
        is_focal_person=True,
    )

    with pytest.raises(ValidationError) as error:
        second.full_clean()

    assert messages_of(error.value) == [
        "This household already has a digital focal person."
    ]


def test_focal_people_of_different_households_do_not_collide(area, household):
    other = HouseholdFactory(ward=area.ward, hamlet=area.hamlet)
    ResidentFactory(household=household, has_smartphone=True, is_focal_person=True)

    ResidentFactory(household=other, has_smartphone=True, is_focal_person=True)

    assert Resident.objects.filter(is_focal_person=True).count() == 2


def test_database_refuses_a_focal_person_without_a_smartphone(household):
    with pytest.raises(IntegrityError), transaction.atomic():
        ResidentFactory(household=household, has_smartphone=False, is_focal_person=True)


def test_focal_person_without_a_smartphone_fails_validation(household):
    resident = Resident(
        household=household,
        full_name="Lê Thị Cúc",
        birth_year=1990,
        gender=Resident.Gender.FEMALE,
        is_focal_person=True,
    )

    with pytest.raises(ValidationError) as error:
        resident.full_clean()

    assert messages_of(error.value) == [
        "The digital focal person must own a smartphone."
    ]


def test_database_refuses_the_same_resident_twice_in_a_household(household):
    ResidentFactory(household=household, full_name="Lê Thị Cúc", birth_year=1990)

    with pytest.raises(IntegrityError), transaction.atomic():
        ResidentFactory(household=household, full_name="Lê Thị Cúc", birth_year=1990)


def test_same_resident_twice_fails_validation_even_typed_in_nfd(household):
    ResidentFactory(household=household, full_name="Lê Thị Cúc", birth_year=1990)
    twin = Resident(
        household=household,
        full_name=unicodedata.normalize("NFD", "Lê  Thị Cúc "),
        birth_year=1990,
        gender=Resident.Gender.FEMALE,
    )

    with pytest.raises(ValidationError) as error:
        twin.full_clean()

    assert messages_of(error.value) == [
        "This household already has a resident with this name and birth year."
    ]


def test_namesakes_born_in_different_years_are_two_residents(household):
    ResidentFactory(household=household, full_name="Lê Thị Cúc", birth_year=1960)

    ResidentFactory(household=household, full_name="Lê Thị Cúc", birth_year=1990)

    assert household.residents.count() == 2


def test_birth_year_in_the_future_fails_validation(household):
    resident = Resident(
        household=household,
        full_name="Lê Thị Cúc",
        birth_year=timezone.localdate().year + 1,
        gender=Resident.Gender.FEMALE,
    )

    with pytest.raises(ValidationError) as error:
        resident.full_clean()

    assert error.value.message_dict == {
        "birth_year": ["The birth year cannot be in the future."]
    }


def test_birth_year_of_this_year_is_accepted(household):
    resident = Resident(
        household=household,
        full_name="Lê Thị Cúc",
        birth_year=timezone.localdate().year,
        gender=Resident.Gender.FEMALE,
    )

    resident.full_clean()


def test_household_phone_is_stored_in_national_form(household):
    household.phone = "+84 912 345 678"
    household.save()

    household.refresh_from_db()
    assert household.phone == "0912345678"


def test_resident_phone_is_stored_in_national_form(household):
    resident = ResidentFactory(household=household, phone="84 987.654.321")

    resident.refresh_from_db()
    assert resident.phone == "0987654321"


def test_invalid_household_phone_fails_validation(household):
    household.phone = "12345"

    with pytest.raises(ValidationError) as error:
        household.full_clean()

    assert list(error.value.message_dict) == ["phone"]


def test_invalid_resident_phone_fails_validation(household):
    resident = Resident(
        household=household,
        full_name="Lê Thị Cúc",
        birth_year=1990,
        gender=Resident.Gender.FEMALE,
        phone="0123",
    )

    with pytest.raises(ValidationError) as error:
        resident.full_clean()

    assert list(error.value.message_dict) == ["phone"]


def test_name_typed_in_nfd_is_stored_in_nfc(area):
    typed = unicodedata.normalize("NFD", "Nguyễn Văn An")
    assert typed != "Nguyễn Văn An"

    household = HouseholdFactory(ward=area.ward, hamlet=area.hamlet, head_name=typed)
    resident = ResidentFactory(household=household, full_name=typed)

    household.refresh_from_db()
    resident.refresh_from_db()
    assert household.head_name == unicodedata.normalize("NFC", typed)
    assert resident.full_name == unicodedata.normalize("NFC", typed)


def test_household_code_is_stored_in_upper_case(area):
    household = HouseholdFactory(ward=area.ward, hamlet=area.hamlet, code=" hgd-7 ")

    household.refresh_from_db()
    assert household.code == "HGD-7"


def test_resident_takes_the_ward_of_its_household(area):
    household = HouseholdFactory(ward=area.neighbour_ward, hamlet=area.neighbour_hamlet)

    resident = ResidentFactory(household=household)

    resident.refresh_from_db()
    assert resident.ward == area.neighbour_ward


def test_household_search_text_has_no_case_or_diacritics(area):
    household = HouseholdFactory(
        ward=area.ward, hamlet=area.hamlet, head_name="Nguyễn Văn An"
    )

    assert "nguyen van an" in household.search_text


def test_d_with_stroke_is_folded_to_d(area):
    household = HouseholdFactory(ward=area.ward, hamlet=area.hamlet, head_name="Đặng")

    assert household.search_text.split()[-1] == "dang"


def test_resident_search_text_holds_name_and_phone(household):
    resident = ResidentFactory(
        household=household, full_name="Đặng Thị Bích", phone="0912345678"
    )

    assert resident.search_text == "dang thi bich 0912345678"

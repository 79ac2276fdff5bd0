"""The admin's lists put the best match of a search first, as the field search
does: the exact name, its whole words in order, word starts, then the rest."""

import pytest

from accounts.models import Role
from teams.models import Member
from tests.households.factories import HouseholdFactory, ResidentFactory

pytestmark = pytest.mark.django_db

HOUSEHOLDS = "/admin/households/household/"

# Lower codes first: by code alone the sought name would come last.
HEADS = [
    ("BD-0001", "Nguyễn Thanh Văn Hoàng"),  # "an" inside "thanh" and "hoàng"
    ("BD-0002", "Nguyễn Văn Anh"),  # "an" starts "anh"
    ("BD-0003", "Nguyễn Văn Bình An"),  # whole words, one between
    ("BD-0004", "Nguyễn Văn An"),  # the exact name
]


@pytest.fixture
def official(client, users):
    client.force_login(users[Role.WARD])
    return client


@pytest.fixture
def heads(area):
    return {
        code: HouseholdFactory(
            ward=area.ward, hamlet=area.hamlet, code=code, head_name=name
        )
        for code, name in HEADS
    }


def listed(response) -> list[str]:
    return [str(row) for row in response.context["cl"].result_list]


def test_the_exact_head_comes_first_then_whole_words_then_word_starts(official, heads):
    response = official.get(HOUSEHOLDS, {"q": "nguyen van an"})

    assert [row.code for row in response.context["cl"].result_list] == [
        "BD-0004",
        "BD-0003",
        "BD-0002",
        "BD-0001",
    ]
    page = response.text
    assert page.index("Nguyễn Văn An<") < page.index("Nguyễn Văn Anh<")


def test_typed_with_accents_and_capitals_ranks_the_same(official, heads):
    response = official.get(HOUSEHOLDS, {"q": "NGUYỄN VĂN AN"})

    assert response.context["cl"].result_list[0].code == "BD-0004"


def test_ties_keep_the_code_order(official, area):
    for code in ("BD-0009", "BD-0005", "BD-0007"):
        HouseholdFactory(
            ward=area.ward, hamlet=area.hamlet, code=code, head_name="Lê Thị Hoa"
        )

    response = official.get(HOUSEHOLDS, {"q": "le thi hoa"})

    assert [row.code for row in response.context["cl"].result_list] == [
        "BD-0005",
        "BD-0007",
        "BD-0009",
    ]


def test_a_sorted_column_wins_over_the_rank(official, heads):
    # "o=1": sorted by the first column, the code, ascending.
    response = official.get(HOUSEHOLDS, {"q": "nguyen van an", "o": "1"})

    assert [row.code for row in response.context["cl"].result_list] == [
        "BD-0001",
        "BD-0002",
        "BD-0003",
        "BD-0004",
    ]


def test_other_wards_heads_are_neither_listed_nor_ranked(official, area, heads):
    HouseholdFactory(
        ward=area.neighbour_ward,
        hamlet=area.neighbour_hamlet,
        code="AA-0001",
        head_name="Nguyễn Văn An",
    )

    response = official.get(HOUSEHOLDS, {"q": "nguyen van an"})

    assert [row.code for row in response.context["cl"].result_list][:1] == ["BD-0004"]
    assert "AA-0001" not in response.text


def test_residents_rank_by_their_own_name(official, heads):
    household = heads["BD-0001"]
    for name in ("Trần Thanh Vân", "Trần Văn Anh", "Trần Văn An"):
        ResidentFactory(household=household, full_name=name)

    response = official.get("/admin/households/resident/", {"q": "tran van an"})

    assert listed(response)[0] == "Trần Văn An"
    assert listed(response)[1] == "Trần Văn Anh"


def test_members_rank_by_their_own_name(official, area):
    for index, name in enumerate(("Phạm Thanh Vân", "Phạm Văn Anh", "Phạm Văn An")):
        Member.objects.create(
            ward=area.ward, full_name=name, phone="091234567%d" % index
        )

    response = official.get("/admin/teams/member/", {"q": "pham van an"})

    assert listed(response) == ["Phạm Văn An", "Phạm Văn Anh", "Phạm Thanh Vân"]

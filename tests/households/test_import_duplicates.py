"""The import preview names the households each new row may repeat; the file
still imports (a warning, not an error)."""

import pytest

from households.models import Household
from tests.households.factories import HouseholdFactory
from tests.households.test_import_export import (
    HOUSEHOLD_HEADERS,
    confirm,
    household_row,
    official,  # noqa: F401 - a fixture
    upload,
    xlsx,
)

pytestmark = pytest.mark.django_db


@pytest.fixture
def registered(area):
    return HouseholdFactory(
        ward=area.ward,
        hamlet=area.hamlet,
        code="BD-0100",
        head_name="Đặng Thị Hường",
        phone="0912345678",
        address="12 ngõ Hòa Bình",
    )


def may_repeat(preview) -> dict[str, str]:
    result = preview.context["result"]
    return {
        row.object_repr.split(" — ")[0]: row.may_repeat for row in result.valid_rows()
    }


def test_each_new_row_names_what_it_may_repeat(client, official, registered):  # noqa: F811
    content = xlsx(
        HOUSEHOLD_HEADERS,
        household_row(
            **{"Mã hộ": "N-1", "Họ tên chủ hộ": "DANG THI HUONG", "Điện thoại": ""}
        ),
        household_row(
            **{"Mã hộ": "N-2", "Họ tên chủ hộ": "Lý Văn Ba", "Điện thoại": "0977111222"}
        ),
        household_row(
            **{
                "Mã hộ": "N-3",
                "Họ tên chủ hộ": "Mai Văn Tư",
                "Điện thoại": "84977111222",
            }
        ),
        household_row(
            **{"Mã hộ": "N-4", "Họ tên chủ hộ": "Hồ Văn Năm", "Điện thoại": ""}
        ),
    )

    preview = upload(client, content)

    assert may_repeat(preview) == {
        "N-1": "BD-0100 — Đặng Thị Hường (cùng tên chủ hộ trong cùng thôn)",
        "N-2": "",
        "N-3": "N-2 — Lý Văn Ba, một dòng phía trên trong tệp này (cùng số điện thoại)",
        "N-4": "",
    }
    page = preview.text
    assert "Có thể trùng với" in page
    assert "2 dòng mới có thể trùng với một hộ đã đăng ký" in page
    assert preview.context.get("confirm_form") is not None


def test_the_file_imports_after_the_warning(client, official, registered):  # noqa: F811
    content = xlsx(
        HOUSEHOLD_HEADERS,
        household_row(**{"Mã hộ": "N-1", "Điện thoại": "0912 345 678"}),
    )
    preview = upload(client, content)
    assert may_repeat(preview)["N-1"].startswith("BD-0100 — Đặng Thị Hường")

    confirm(client, preview)

    assert Household.objects.filter(code="N-1").exists()


def test_an_updated_row_is_not_its_own_duplicate(client, official, registered):  # noqa: F811
    content = xlsx(
        HOUSEHOLD_HEADERS,
        household_row(
            **{
                "Mã hộ": "BD-0100",
                "Họ tên chủ hộ": "Đặng Thị Hường",
                "Điện thoại": "0912345678",
            }
        ),
    )

    preview = upload(client, content)

    assert may_repeat(preview) == {"BD-0100": ""}
    assert "có thể trùng với một hộ đã đăng ký" not in preview.text


def test_a_household_of_another_ward_is_never_named(client, official, area):  # noqa: F811
    HouseholdFactory(
        ward=area.neighbour_ward,
        hamlet=area.neighbour_hamlet,
        code="HK-0001",
        phone="0912345678",
    )

    preview = upload(client, xlsx(HOUSEHOLD_HEADERS, household_row()))

    assert may_repeat(preview) == {"BD-0001": ""}


def test_a_large_file_says_how_many_rows_were_checked(
    client,
    official,  # noqa: F811
    registered,
    monkeypatch,
):
    monkeypatch.setattr("households.resources.DUPLICATE_CHECK_ROWS", 2)
    content = xlsx(
        HOUSEHOLD_HEADERS,
        household_row(**{"Mã hộ": "N-1", "Điện thoại": ""}),
        household_row(**{"Mã hộ": "N-2", "Điện thoại": ""}),
        household_row(**{"Mã hộ": "N-3", "Điện thoại": "0912345678"}),
    )

    preview = upload(client, content)

    assert may_repeat(preview)["N-3"] == ""  # past the rows checked
    assert may_repeat(preview)["N-2"].startswith("N-1 — Nguyễn Văn An")
    assert "Chỉ 2 dòng mới đầu tiên được kiểm tra" in preview.text

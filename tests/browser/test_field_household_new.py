"""A team member adds a household on the phone, offline too, warned of one the
phone already keeps."""

import pytest

from accounts.models import Role
from areas.models import Hamlet
from core.text import text_fold
from households.models import Household
from teams.models import Team
from tests.accounts.factories import PASSWORD, UserFactory
from tests.browser.conftest import horizontal_overflow, sign_in, wait_until
from tests.browser.test_field_capture import (
    MEMBER,
    demo,  # noqa: F401 (a fixture)
    screenshot,
    wait_for_offline_copy,
)

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_a_household_added_offline_is_warned_of_then_stored_once(demo, phone_page):  # noqa: F811
    kept = (
        Household.objects.filter(
            hamlet=demo.team.hamlet, head_name__regex=r"[^\x00-\x7f]"
        )
        .order_by("code")
        .first()
    )
    typed = text_fold(kept.head_name).upper()  # the same name, other accents
    assert typed != kept.head_name
    before = Household.objects.count()

    sign_in(phone_page, MEMBER, "demo1234")
    phone_page.goto("/field/households/new/")
    wait_for_offline_copy(phone_page)
    phone_page.context.set_offline(True)
    phone_page.goto("/field/households/new/")  # opened from the phone's copy

    phone_page.locator("#head-name").fill(typed)
    phone_page.locator("#address").fill("Ngõ mới")
    phone_page.locator("#household-form [type=submit]").click()
    warning = phone_page.locator("#household-duplicates")
    warning.wait_for(state="visible")
    assert kept.code in warning.inner_text()
    assert "cùng tên chủ hộ trong cùng thôn" in warning.inner_text()
    link = warning.get_by_role("link", name="Đây là hộ này")
    assert link.get_attribute("href") == "/field/log/?household=%d" % kept.pk
    assert horizontal_overflow(phone_page) <= 0
    screenshot(phone_page, "field-household-duplicate-360.png")

    phone_page.get_by_role("button", name="Vẫn thêm hộ mới").click()
    phone_page.locator("#log-done").wait_for(state="visible")
    assert "khi có mạng" in phone_page.locator("#log-done").inner_text()
    status = phone_page.locator("#queue-status")
    status.wait_for(state="visible")
    assert "1" in status.inner_text()
    assert Household.objects.count() == before

    phone_page.context.set_offline(False)
    wait_until(phone_page, "window.fieldQueue.mine().then(items => items.length === 0)")
    phone_page.evaluate("window.fieldQueue.sync()")
    phone_page.reload()
    added = Household.objects.exclude(client_uuid=None)
    assert Household.objects.count() == before + 1
    assert [(row.head_name, row.hamlet) for row in added] == [(typed, demo.team.hamlet)]


def test_online_the_servers_likely_duplicate_is_shown_the_same_way(demo, phone_page):  # noqa: F811
    # In another hamlet of the ward: not among the households the phone keeps.
    elsewhere = (
        Household.objects.filter(ward=demo.team.ward)
        .exclude(hamlet=demo.team.hamlet)
        .order_by("code")
        .first()
    )
    elsewhere.phone = "0912 777 888"
    elsewhere.save()
    before = Household.objects.count()

    sign_in(phone_page, MEMBER, "demo1234")
    phone_page.goto("/field/households/new/")
    phone_page.locator("#head-name").fill("Lưu Văn Khách")
    phone_page.locator("#phone").fill("+84 912.777.888")
    phone_page.locator("#household-form [type=submit]").click()
    warning = phone_page.locator("#household-duplicates")
    warning.wait_for(state="visible")
    assert elsewhere.code in warning.inner_text()
    assert "cùng số điện thoại" in warning.inner_text()
    assert Household.objects.count() == before

    phone_page.get_by_role("button", name="Vẫn thêm hộ mới").click()
    phone_page.locator("#log-done").wait_for(state="visible")
    assert "Đã thêm hộ." in phone_page.locator("#log-done").inner_text()
    added = Household.objects.get(head_name="Lưu Văn Khách")
    assert (added.phone, added.hamlet) == ("0912777888", demo.team.hamlet)


def test_a_ward_team_chooses_the_hamlet_and_is_warned_within_it(demo, phone_page):  # noqa: F811
    team = Team.objects.create(ward=demo.team.ward, name="Tổ công nghệ số phường")
    UserFactory(username="totoanphuong", role=Role.TEAM_MEMBER, team=team)
    kept = Household.objects.filter(hamlet=demo.team.hamlet).order_by("code").first()
    other = Hamlet.objects.filter(ward=team.ward).exclude(pk=kept.hamlet_id).first()

    sign_in(phone_page, "totoanphuong", PASSWORD)
    phone_page.goto("/field/households/new/")
    phone_page.locator("#head-name").fill(text_fold(kept.head_name))
    phone_page.locator("#household-form [type=submit]").click()
    assert "Hãy chọn thôn/tổ dân phố." in phone_page.locator("#log-errors").inner_text()

    phone_page.locator("#hamlet").select_option(str(kept.hamlet_id))
    phone_page.locator("#household-form [type=submit]").click()
    warning = phone_page.locator("#household-duplicates")
    warning.wait_for(state="visible")
    assert kept.code in warning.inner_text()

    # The same name in another hamlet is another family.
    phone_page.locator("#hamlet").select_option(str(other.pk))
    phone_page.locator("#household-form [type=submit]").click()
    phone_page.locator("#log-done").wait_for(state="visible")
    added = Household.objects.get(client_uuid__isnull=False)
    assert added.hamlet == other

"""Areas found within a caller's scope, kept per process for a minute."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from accounts.scope import Level, Scope
from areas.models import Province, Ward
from reports import areas
from reports.areas import area_in_scope

pytestmark = pytest.mark.django_db


def test_an_area_found_again_costs_no_query(area):
    official = Scope(Level.PROVINCE, province=area.province.pk)
    assert area_in_scope(official, Province, "01").name == "Thành phố Hà Nội"

    with CaptureQueriesContext(connection) as queries:
        again = area_in_scope(official, Province, "01")

    assert again.name == "Thành phố Hà Nội"
    assert len(queries) == 0


def test_what_one_scope_may_not_see_stays_hidden_from_it(area):
    national = Scope(Level.NATIONAL)
    hanoi = Scope(Level.PROVINCE, province=area.province.pk)
    ba_dinh = Scope(Level.WARD, province=area.province.pk, ward=area.ward.pk)
    assert area_in_scope(national, Province, "79").name == "Thành phố Hồ Chí Minh"

    # The national answer kept for "79" is not the province official's.
    assert area_in_scope(hanoi, Province, "79") is None
    assert area_in_scope(hanoi, Ward, "00070").name == "Phường Hoàn Kiếm"
    assert area_in_scope(ba_dinh, Ward, "00070") is None
    assert area_in_scope(ba_dinh, Ward, "00004").name == "Phường Ba Đình"


def test_a_renamed_area_is_found_by_its_new_name(area):
    hanoi = Scope(Level.PROVINCE, province=area.province.pk)
    area_in_scope(hanoi, Ward, "00004")

    Ward.objects.filter(pk="00004").update(name="Phường Ba Đình mới")
    kept = area_in_scope(hanoi, Ward, "00004")
    area.ward.name = "Phường Ba Đình mới"
    area.ward.save()  # a save here drops what this process kept

    assert kept.name == "Phường Ba Đình"  # kept: an update() sends no signal
    assert area_in_scope(hanoi, Ward, "00004").name == "Phường Ba Đình mới"


def test_other_processes_follow_within_the_minute(area, monkeypatch):
    hanoi = Scope(Level.PROVINCE, province=area.province.pk)
    area_in_scope(hanoi, Province, "01")
    Province.objects.filter(pk="01").update(name="Hà Nội (đổi tên)")
    clock = areas.time.monotonic()
    monkeypatch.setattr(areas.time, "monotonic", lambda: clock + areas.KEPT_SECONDS + 1)

    assert area_in_scope(hanoi, Province, "01").name == "Hà Nội (đổi tên)"


def test_each_caller_gets_a_copy_of_the_kept_row(area):
    hanoi = Scope(Level.PROVINCE, province=area.province.pk)
    first = area_in_scope(hanoi, Province, "01")
    first.name = "changed by one request"

    assert area_in_scope(hanoi, Province, "01").name == "Thành phố Hà Nội"

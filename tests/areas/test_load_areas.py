import pytest
from django.core.management import call_command

from areas.models import Province, Ward
from areas.services import areas_load

pytestmark = pytest.mark.django_db


def test_it_loads_all_provinces_and_communes():
    report = areas_load()

    assert Province.objects.count() == 34
    assert Ward.objects.count() == 3321
    assert report.provinces_created == 34
    assert report.wards_created == 3321


def test_hanoi_has_its_126_communes_with_official_codes():
    areas_load()

    hanoi = Province.objects.get(code="01")
    assert hanoi.name == "Thành phố Hà Nội"
    assert hanoi.kind == Province.Kind.CITY
    assert hanoi.wards.count() == 126
    ba_dinh = Ward.objects.get(code="00004")
    assert (ba_dinh.name, ba_dinh.kind, ba_dinh.province_id) == (
        "Phường Ba Đình",
        Ward.Kind.WARD,
        "01",
    )


def test_division_types_cover_communes_wards_and_special_zones():
    areas_load()

    assert Ward.objects.filter(kind=Ward.Kind.COMMUNE).count() == 2621
    assert Ward.objects.filter(kind=Ward.Kind.WARD).count() == 687
    assert Ward.objects.filter(kind=Ward.Kind.SPECIAL_ZONE).count() == 13


def test_rerun_changes_nothing_and_says_so(capsys):
    call_command("load_areas")
    capsys.readouterr()

    call_command("load_areas")

    assert "nothing changed" in capsys.readouterr().out
    assert Ward.objects.count() == 3321


def test_renamed_unit_is_updated_not_duplicated():
    areas_load()
    Ward.objects.filter(code="00004").update(name="Phường Cũ")
    Province.objects.filter(code="01").update(name="Hà Nội (tên cũ)")

    report = areas_load()

    assert (report.wards_updated, report.wards_created) == (1, 0)
    assert (report.provinces_updated, report.provinces_created) == (1, 0)
    assert Ward.objects.get(code="00004").name == "Phường Ba Đình"
    assert Province.objects.get(code="01").name == "Thành phố Hà Nội"
    assert Ward.objects.count() == 3321


def test_names_are_stored_in_composed_unicode():
    areas_load()

    # "ờ" decomposed (o + horn + grave) must not be found in stored names.
    assert not Ward.objects.filter(name__contains="\u0302\u0300").exists()
    assert Ward.objects.filter(name="Phường Hoàn Kiếm").exists()

import time
import uuid
from types import SimpleNamespace

import pytest
from django.core.cache import cache
from django.db import transaction
from django.utils import timezone, translation

from accounts.models import Role
from assistance import catalogue
from assistance.catalogue import service_catalogue
from assistance.models import ServiceType

pytestmark = pytest.mark.django_db


def test_the_migration_seeds_every_category_of_the_catalogue():
    categories = set(ServiceType.objects.values_list("category", flat=True))

    assert categories == set(ServiceType.Category.values)
    assert ServiceType.objects.filter(code="vneid_level2").exists()


def test_online_filings_are_marked_as_such():
    filings = set(
        ServiceType.objects.filter(is_filing=True).values_list("category", flat=True)
    )

    assert filings == {ServiceType.Category.PUBLIC_SERVICE}


def test_a_service_is_named_in_the_users_language():
    service = ServiceType.objects.get(code="vneid_level2")

    with translation.override("vi"):
        assert str(service) == "Kích hoạt định danh điện tử mức 2"
    with translation.override("en"):
        assert str(service) == "Activate level-2 e-ID"


def test_the_catalogue_is_edited_by_national_administrators_only(client, users):
    client.force_login(users[Role.NATIONAL])
    assert client.get("/admin/assistance/servicetype/").status_code == 200

    client.force_login(users[Role.WARD])
    assert client.get("/admin/assistance/servicetype/").status_code == 403


# The capture's copy of the active catalogue


def test_the_capture_reads_the_catalogue_once(django_assert_num_queries):
    service_catalogue()

    with django_assert_num_queries(0):
        assert service_catalogue()["online_safety"].name_en == "Scams and online safety"


def test_the_copy_holds_the_active_services_only():
    ServiceType.objects.filter(code="other").update(is_active=False)

    assert "other" not in service_catalogue()
    assert "vneid_level2" in service_catalogue()


def test_a_service_changed_is_read_again_once_committed(
    django_capture_on_commit_callbacks,
):
    service_catalogue()
    service = ServiceType.objects.get(code="bill_qr")

    with django_capture_on_commit_callbacks(execute=True):
        service.is_active = False
        service.save()

    assert "bill_qr" not in service_catalogue()


def test_a_service_added_is_read_again_once_committed(
    django_capture_on_commit_callbacks,
):
    service_catalogue()

    with django_capture_on_commit_callbacks(execute=True):
        ServiceType.objects.create(
            code="ihanoi_account",
            category=ServiceType.Category.BASICS,
            name_vi="Tạo tài khoản iHanoi",
            name_en="iHanoi account",
        )

    assert service_catalogue()["ihanoi_account"].name_en == "iHanoi account"


def test_a_service_deleted_is_read_again_once_committed(
    django_capture_on_commit_callbacks,
):
    service_catalogue()

    with django_capture_on_commit_callbacks(execute=True):
        ServiceType.objects.get(code="local_apps").delete()

    assert "local_apps" not in service_catalogue()


def test_a_change_rolled_back_leaves_the_copy_as_stored():
    service_catalogue()

    with pytest.raises(RuntimeError), transaction.atomic():
        service = ServiceType.objects.get(code="bill_qr")
        service.is_active = False
        service.save()
        raise RuntimeError("the request failed after the save")

    assert "bill_qr" in service_catalogue()


def test_a_change_made_by_another_process_is_read_once_it_moves_the_version():
    service_catalogue()
    ServiceType.objects.filter(code="bill_qr").update(is_active=False)

    cache.set(catalogue.VERSION_KEY, "moved by another process")

    assert "bill_qr" not in service_catalogue()


def test_the_copy_is_read_again_after_a_while_all_the_same(monkeypatch):
    service_catalogue()
    ServiceType.objects.filter(code="bill_qr").update(is_active=False)  # move lost
    later = time.monotonic() + catalogue.MAX_AGE + 1

    monkeypatch.setattr(catalogue.time, "monotonic", lambda: later)

    assert "bill_qr" not in service_catalogue()


def test_with_the_cache_down_the_catalogue_is_read_from_the_rows(monkeypatch):
    def down(*args, **kwargs):
        raise ConnectionError("cache down")

    monkeypatch.setattr(catalogue, "cache", SimpleNamespace(get=down, add=down))

    assert "online_safety" in service_catalogue()
    ServiceType.objects.filter(code="online_safety").update(is_active=False)
    assert "online_safety" not in service_catalogue()


def test_the_api_refuses_a_service_deactivated_in_the_admin(
    client, users, member, household, django_capture_on_commit_callbacks
):
    client.force_login(users[Role.TEAM_MEMBER])
    service = ServiceType.objects.get(code="online_safety")
    with django_capture_on_commit_callbacks(execute=True):
        service.is_active = False
        service.save()

    response = client.post(
        "/api/v1/sessions/",
        {
            "client_uuid": str(uuid.uuid4()),
            "started_at": timezone.now().isoformat(),
            "place": "home",
            "household": household.pk,
            "services": [{"service": "online_safety", "outcome": "done"}],
        },
        content_type="application/json",
    )

    assert response.status_code == 400
    assert response.json()["errors"] == {
        "services": {
            "0": {
                "service": [
                    "Trong danh mục không có dịch vụ đang dùng nào mang mã "
                    '"online_safety".'
                ]
            }
        }
    }

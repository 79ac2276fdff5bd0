import pytest
from django.utils import translation

from accounts.models import Role
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

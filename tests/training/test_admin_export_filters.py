"""An export page asked for with a filter its list cannot apply answers as
the list does ("?e=1"), never with a server error."""

import pytest

from accounts.models import Role

pytestmark = pytest.mark.django_db

EXPORT = "/admin/training/attendance/export/?ward__code__exact=00004"


@pytest.mark.parametrize("method", ["get", "post"])
def test_an_unknown_filter_on_the_export_page_goes_back_to_the_list(
    client, users, method
):
    client.force_login(users[Role.WARD])

    response = getattr(client, method)(EXPORT)

    assert response.status_code == 302
    assert response["Location"] == "/admin/training/attendance/?e=1"


def test_the_export_page_opens_with_filters_it_knows(client, users):
    client.force_login(users[Role.WARD])

    response = client.get("/admin/training/attendance/export/?status__exact=passed")

    assert response.status_code == 200

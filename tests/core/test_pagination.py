"""A pull names what it cannot use: a page size, a cursor, a parameter."""

import pytest

from accounts.models import Role

pytestmark = pytest.mark.django_db

LISTS = ["/api/v1/sessions/", "/api/v1/workshops/"]


@pytest.fixture
def official(api, users):
    api.force_authenticate(users[Role.WARD])
    return api


@pytest.mark.parametrize("path", LISTS)
@pytest.mark.parametrize("size", ["0", "-1", "abc", "501"])
def test_a_page_size_out_of_range_is_named(official, path, size):
    response = official.get(path, {"page_size": size})

    assert response.status_code == 400
    assert list(response.json()["errors"]) == ["page_size"]


@pytest.mark.parametrize("path", LISTS)
def test_a_cursor_the_api_never_gave_is_named(official, path):
    response = official.get(path, {"cursor": "not-a-cursor"})

    assert response.status_code == 400
    assert list(response.json()["errors"]) == ["cursor"]


@pytest.mark.parametrize("path", LISTS)
def test_an_unknown_parameter_is_named(official, path):
    response = official.get(path, {"updated_afer": "2026-01-01T00:00:00Z"})

    assert response.status_code == 400
    assert list(response.json()["errors"]) == ["updated_afer"]


def test_known_filters_and_paging_are_taken(official):
    response = official.get(
        LISTS[0],
        {"page_size": "10", "updated_after": "2026-01-01T00:00:00Z", "team": "1"},
    )

    assert response.status_code == 200
    assert response.json()["results"] == []

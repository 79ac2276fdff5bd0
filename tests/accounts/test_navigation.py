"""Each role's navigation lists every place its work lives, and only those:
on its landing page, on a dashboard or field page, and in the admin."""

from html.parser import HTMLParser

import pytest

from accounts.models import Role
from tests.accounts.factories import UserFactory

# The places each role's navigation lists, by key (accounts.navigation).
EXPECTED = {
    Role.NATIONAL: {"dashboard", "admin", "users", "api_keys", "exports", "api_docs"},
    Role.PROVINCE: {"dashboard", "admin", "monthly", "users", "api_keys", "exports"},
    Role.WARD: {
        "dashboard",
        "admin",
        "monthly",
        "households",
        "members",
        "teams",
        "sessions",
        "users",
        "exports",
    },
    Role.TEAM_LEADER: {
        "field_home",
        "log",
        "visits",
        "recent",
        "follow_ups",
        "household_new",
        "training",
        "workshop",
        "dashboard",
    },
    Role.TEAM_MEMBER: {
        "field_home",
        "log",
        "visits",
        "recent",
        "follow_ups",
        "household_new",
        "training",
    },
}

# Besides the landing page: pages of each role that show its navigation.
PAGES = {
    Role.NATIONAL: ["/dashboard/national/", "/admin/accounts/user/"],
    Role.PROVINCE: ["/dashboard/", "/admin/households/household/"],
    Role.WARD: ["/dashboard/", "/admin/households/household/", "/admin/exports/"],
    Role.TEAM_LEADER: ["/field/log/", "/field/training/workshop/", "ward-dashboard"],
    Role.TEAM_MEMBER: ["/field/sessions/", "/field/training/", "/field/visits/"],
}

# Places a role may not open, so its navigation must not offer them.
REFUSED = {
    Role.PROVINCE: ["/dashboard/national/", "/field/"],
    Role.WARD: ["/dashboard/national/", "/admin/accounts/apikey/", "/field/"],
    Role.TEAM_LEADER: ["/dashboard/", "/admin/"],
    Role.TEAM_MEMBER: ["/field/training/workshop/", "ward-dashboard", "/admin/"],
}


class NavLinks(HTMLParser):
    """The links of the role navigation: ``data-place`` marks each of them."""

    def __init__(self):
        super().__init__()
        self.links = []

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if tag == "a" and "data-place" in attrs:
            self.links.append(attrs)


def nav_links(response) -> list[dict]:
    parser = NavLinks()
    parser.feed(response.content.decode())
    return parser.links


def signed_in(client, users, role):
    client.force_login(users[role])
    return client


def page_url(path, area):
    return "/dashboard/ward/%s/" % area.ward.pk if path == "ward-dashboard" else path


@pytest.mark.parametrize("role", list(EXPECTED))
def test_landing_page_lists_exactly_the_roles_places(client, users, role):
    response = signed_in(client, users, role).get("/", follow=True)

    assert response.status_code == 200
    keys = [link["data-place"] for link in nav_links(response)]
    assert sorted(keys) == sorted(EXPECTED[role])


@pytest.mark.parametrize(
    ("role", "path"), [(role, path) for role, paths in PAGES.items() for path in paths]
)
def test_each_page_of_the_role_lists_the_same_places(client, users, area, role, path):
    response = signed_in(client, users, role).get(page_url(path, area))

    assert response.status_code == 200
    keys = [link["data-place"] for link in nav_links(response)]
    assert sorted(keys) == sorted(EXPECTED[role])


@pytest.mark.parametrize("role", list(EXPECTED))
def test_every_listed_place_opens_for_the_role(client, users, role):
    signed_in(client, users, role)
    links = nav_links(client.get("/", follow=True))

    opened = {
        link["data-place"]: client.get(link["href"]).status_code for link in links
    }

    assert opened == dict.fromkeys(EXPECTED[role], 200)


@pytest.mark.parametrize(
    ("role", "path"),
    [(role, path) for role, paths in REFUSED.items() for path in paths],
)
def test_a_place_the_role_cannot_open_is_not_listed(client, users, area, role, path):
    signed_in(client, users, role)
    url = page_url(path, area)

    hrefs = [link["href"] for link in nav_links(client.get("/", follow=True))]

    assert client.get(url).status_code != 200
    assert url not in hrefs


def test_the_page_shown_is_marked_current(client, users):
    signed_in(client, users, Role.WARD)

    links = nav_links(client.get("/admin/households/household/"))

    current = {link["data-place"]: link.get("aria-current") for link in links}
    assert current["households"] == "page"
    assert [key for key, mark in current.items() if mark] == ["households"]


def test_a_page_inside_a_place_marks_that_place(client, users, area):
    signed_in(client, users, Role.WARD)

    links = nav_links(client.get("/dashboard/ward/%s/" % area.ward.pk))

    current = {link["data-place"]: link.get("aria-current") for link in links}
    assert current["dashboard"] == "true"
    assert [key for key, mark in current.items() if mark] == ["dashboard"]


def test_field_bar_marks_the_log_page(client, users):
    signed_in(client, users, Role.TEAM_MEMBER)

    response = client.get("/field/log/")

    assert (
        '<a href="/field/log/" data-place="log" aria-current="page">Ghi nhận</a>'
        in response.content.decode()
    )


def test_ward_officials_navigation_reads_in_vietnamese(client, users):
    signed_in(client, users, Role.WARD)

    links = nav_links(client.get("/dashboard/"))

    assert [link["href"] for link in links][:2] == ["/dashboard/", "/admin/"]
    assert "Mở trang quản trị" in client.get("/dashboard/").content.decode()


def test_province_staff_reach_their_ward_officials_accounts_only(client, users, area):
    other = UserFactory(username="phuong.saigon", role=Role.WARD, ward=area.other_ward)
    signed_in(client, users, Role.PROVINCE)
    links = {
        link["data-place"]: link["href"]
        for link in nav_links(client.get("/dashboard/"))
    }

    page = client.get(links["users"]).content.decode()

    assert users[Role.WARD].username in page
    assert users[Role.TEAM_LEADER].username not in page
    assert other.username not in page


@pytest.mark.parametrize(
    ("role", "site_url"),
    [
        (Role.NATIONAL, "/dashboard/national/"),
        (Role.PROVINCE, "/dashboard/"),
        (Role.WARD, "/dashboard/"),
    ],
)
def test_view_site_in_the_admin_leads_to_the_users_dashboard(
    client, users, role, site_url
):
    signed_in(client, users, role)

    response = client.get("/admin/")

    assert response.context["site_url"] == site_url
    assert '<a href="%s">Xem trang web</a>' % site_url in response.content.decode()

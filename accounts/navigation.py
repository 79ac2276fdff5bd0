"""Where each role's work lives: the one list the dashboards, the field pages
and the admin all show as their navigation.

A place is listed only where the user may open it: the lists follow the
user's scope (an account whose role lacks its area sees none), the admin's
rights (province staff read the registry; only issuers see API keys) and the
field pages' roles (workshops and the ward dashboard are the leader's). URL
names are strings, so this module needs none of the apps above it.
"""

from dataclasses import dataclass, replace
from functools import cached_property

from django.urls import reverse
from django.utils.translation import gettext

from .models import Role
from .scope import Level, scope_for


@dataclass(frozen=True)
class Place:
    key: str
    label: str
    url: str
    # One of the field pages' bottom bar, shown there instead of at the top.
    in_bar: bool = False
    # "page" on the place itself, "true" inside it (a household's form under
    # the household list), "" elsewhere: the values of aria-current.
    current: str = ""

    @property
    def path(self) -> str:
        return self.url.split("?", 1)[0]


def places_for(user) -> list[Place]:
    """The places ``user`` may open, in the order they are shown."""
    level = scope_for(user).level
    if level == Level.NATIONAL:
        return _national()
    if level == Level.PROVINCE:
        return _province()
    if level == Level.WARD:
        return _ward()
    if level == Level.TEAM and user.role in (Role.TEAM_LEADER, Role.TEAM_MEMBER):
        return _team(user)
    return []


def landing_url(user) -> str | None:
    """The user's own dashboard, the admin's "View site"; None without one."""
    level = scope_for(user).level
    if level == Level.NATIONAL:
        return reverse("reports:national")
    if level in (Level.PROVINCE, Level.WARD):
        return reverse("reports:dashboard")
    if level == Level.TEAM:
        return reverse("assistance:field_home")
    return None


def _admin_list(app_label: str, model_name: str) -> str:
    return reverse("admin:%s_%s_changelist" % (app_label, model_name))


def _national() -> list[Place]:
    return [
        Place("dashboard", gettext("National dashboard"), reverse("reports:national")),
        Place("admin", gettext("Administration"), reverse("admin:index")),
        Place("users", gettext("Accounts"), _admin_list("accounts", "user")),
        Place("api_keys", _capfirst(gettext("API keys")), _api_keys()),
        Place("exports", gettext("My exports"), reverse("admin:export_jobs")),
        Place("api_docs", gettext("API documentation"), reverse("api-docs")),
    ]


def _province() -> list[Place]:
    return [
        Place("dashboard", gettext("Province dashboard"), reverse("reports:dashboard")),
        Place("admin", gettext("Registry (read only)"), reverse("admin:index")),
        Place(
            "monthly",
            gettext("Monthly reports"),
            reverse("reports:monthly_province"),
        ),
        Place(
            "users",
            gettext("Ward officials' accounts"),
            "%s?role__exact=%s" % (_admin_list("accounts", "user"), Role.WARD.value),
        ),
        Place("api_keys", _capfirst(gettext("API keys")), _api_keys()),
        Place("exports", gettext("My exports"), reverse("admin:export_jobs")),
    ]


def _ward() -> list[Place]:
    return [
        Place("dashboard", gettext("Ward dashboard"), reverse("reports:dashboard")),
        Place("admin", gettext("Open the administration"), reverse("admin:index")),
        Place("monthly", gettext("Monthly report"), reverse("reports:monthly")),
        Place(
            "households", gettext("Households"), _admin_list("households", "household")
        ),
        Place("members", gettext("Members"), _admin_list("teams", "member")),
        Place("teams", gettext("Teams"), _admin_list("teams", "team")),
        Place(
            "sessions",
            gettext("Sessions"),
            _admin_list("assistance", "assistancesession"),
        ),
        Place("users", gettext("Team accounts"), _admin_list("accounts", "user")),
        Place("exports", gettext("My exports"), reverse("admin:export_jobs")),
    ]


def _team(user) -> list[Place]:
    leader = user.role == Role.TEAM_LEADER
    places = [
        Place("field_home", gettext("Home"), reverse("assistance:field_home"), True),
        Place("log", gettext("Log"), reverse("assistance:log"), True),
        Place("visits", gettext("To visit"), reverse("assistance:visits"), True),
        Place("recent", gettext("Sessions"), reverse("assistance:recent"), True),
        Place(
            "follow_ups", gettext("Follow-ups"), reverse("assistance:follow_ups"), True
        ),
        Place(
            "household_new",
            gettext("Add a household"),
            reverse("assistance:household_new"),
        ),
        Place("training", gettext("My training"), reverse("training:field_training")),
    ]
    if leader:
        places += [
            Place(
                "workshop", gettext("Log a workshop"), reverse("training:workshop_log")
            ),
            Place(
                "dashboard",
                gettext("Ward dashboard"),
                reverse("reports:ward", args=[user.ward_id]),
            ),
        ]
    return places


def _api_keys() -> str:
    return _admin_list("accounts", "apikey")


def _capfirst(text: str) -> str:
    return text[:1].upper() + text[1:]


class Navigation:
    """The request's places, each marked where the user is; built on first use."""

    def __init__(self, request):
        self.request = request

    @cached_property
    def links(self) -> list[Place]:
        user = getattr(self.request, "user", None)
        if user is None or not user.is_authenticated:
            return []
        places = places_for(user)
        path = self.request.path
        inside = [place for place in places if path.startswith(place.path)]
        nearest = max(inside, key=lambda place: len(place.path), default=None)
        if nearest is None:
            return places
        mark = "page" if nearest.path == path else "true"
        return [
            replace(place, current=mark) if place is nearest else place
            for place in places
        ]

    @property
    def bar(self) -> list[Place]:
        return [link for link in self.links if link.in_bar]

    @property
    def rest(self) -> list[Place]:
        return [link for link in self.links if not link.in_bar]

    def __iter__(self):
        return iter(self.links)

    def __bool__(self):
        return bool(self.links)


def role_navigation(request) -> dict:
    """Context processor: ``role_nav``, the places of the signed-in user."""
    return {"role_nav": Navigation(request)}

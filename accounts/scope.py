"""The one place that decides which rows a user, or an API key, may see.

A scope is a plain value: a level and the area at that level. Every queryset
shown to a user — admin lists, field pages, dashboards, exports, the API — is
filtered through :func:`scope`. Models say how they reach their area with two
class attributes, so this module never imports the apps downstream of it:

``WARD_PATH``
    the lookup from the model to its ward (``"ward"``, ``"household__ward"``;
    ``""`` for the ward itself);
``PROVINCE_PATH``
    the lookup to its province; defaults to ``WARD_PATH + "__province"``. A
    model with a province but no ward (a province itself, a province-wide
    course) sets only this one; ward and team users then see the rows of
    their own province.
``WARD_OPTIONAL`` (optional)
    ``True`` on a model with both paths whose rows may have no ward: such a
    row belongs to the whole province (a province-wide campaign or course).
    Ward and team users see those rows and their own ward's, not the other
    wards'.
``TEAM_PATH`` (optional)
    the lookup to the team that owns the row (``"team"`` for an assistance
    session, ``""`` for a team). Team leaders and members then see their own
    team's rows only, not the ward's.

A model that declares neither is refused loudly: deny by default.
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum

from django.core.exceptions import ImproperlyConfigured
from django.db.models import Model, Q, QuerySet

from .models import ADMIN_ROLES, TEAM_ROLES, ApiKey, Role


class Level(StrEnum):
    NATIONAL = "national"
    PROVINCE = "province"
    WARD = "ward"
    TEAM = "team"
    NONE = "none"


@dataclass(frozen=True)
class Scope:
    level: Level
    province: str | None = None  # official province code
    ward: str | None = None  # official ward code
    team: int | None = None

    @property
    def is_national(self) -> bool:
        return self.level == Level.NATIONAL

    def filter(self, queryset: QuerySet) -> QuerySet:
        model = queryset.model
        ward_path, province_path = area_paths(model)
        if self.level == Level.NATIONAL:
            return queryset
        if self.level == Level.PROVINCE:
            return queryset.filter(**{_lookup(province_path, "pk"): self.province})
        if self.level == Level.TEAM and getattr(model, "TEAM_PATH", None) is not None:
            return queryset.filter(**{_lookup(model.TEAM_PATH, "pk"): self.team})
        if self.level in (Level.WARD, Level.TEAM):
            if ward_path is None:
                return queryset.filter(**{_lookup(province_path, "pk"): self.province})
            own_ward = Q(**{_lookup(ward_path, "pk"): self.ward})
            if getattr(model, "WARD_OPTIONAL", False):
                whole_province = Q(
                    **{
                        "%s__isnull" % ward_path: True,
                        _lookup(province_path, "pk"): self.province,
                    }
                )
                return queryset.filter(own_ward | whole_province)
            return queryset.filter(own_ward)
        return queryset.none()


NO_SCOPE = Scope(Level.NONE)


def _lookup(path: str, field: str) -> str:
    return f"{path}__{field}" if path else field


def area_paths(model: type[Model]) -> tuple[str | None, str]:
    """Return the model's (ward path, province path); refuse undeclared models."""
    ward_path = getattr(model, "WARD_PATH", None)
    province_path = getattr(model, "PROVINCE_PATH", None)
    if province_path is None and ward_path is not None:
        province_path = _lookup(ward_path, "province")
    if province_path is None:
        raise ImproperlyConfigured(
            "%s.%s does not say how it reaches its area: set WARD_PATH or "
            "PROVINCE_PATH on the model before showing it to anyone."
            % (model._meta.app_label, model.__name__)
        )
    return ward_path, province_path


def is_scoped_model(model: type[Model]) -> bool:
    return hasattr(model, "WARD_PATH") or hasattr(model, "PROVINCE_PATH")


def scope_for(user) -> Scope:
    """Turn a user, or an API key, into a scope; anything incomplete sees nothing."""
    if user is None or not user.is_authenticated or not user.is_active:
        return NO_SCOPE
    cached = getattr(user, "_scope_cache", None)
    if cached is not None:
        return cached
    if isinstance(user, ApiKey):
        result = _key_scope(user)
    elif user.is_superuser or user.role == Role.NATIONAL:
        result = Scope(Level.NATIONAL)
    elif user.role == Role.PROVINCE and user.province_id:
        result = Scope(Level.PROVINCE, province=user.province_id)
    elif user.role == Role.WARD and user.ward_id and user.province_id:
        result = Scope(Level.WARD, province=user.province_id, ward=user.ward_id)
    elif user.role in TEAM_ROLES and user.team_id and user.ward_id:
        result = Scope(
            Level.TEAM,
            province=user.province_id,
            ward=user.ward_id,
            team=user.team_id,
        )
    else:
        result = NO_SCOPE
    user._scope_cache = result
    return result


def _key_scope(key: ApiKey) -> Scope:
    if key.level == ApiKey.Level.NATIONAL:
        return Scope(Level.NATIONAL)
    if key.level == ApiKey.Level.PROVINCE and key.province_id:
        return Scope(Level.PROVINCE, province=key.province_id)
    if key.level == ApiKey.Level.WARD and key.ward_id and key.province_id:
        return Scope(Level.WARD, province=key.province_id, ward=key.ward_id)
    return NO_SCOPE


def scope(queryset: QuerySet, who) -> QuerySet:
    """Filter ``queryset`` to what ``who`` (a user or a :class:`Scope`) may see."""
    resolved = who if isinstance(who, Scope) else scope_for(who)
    return resolved.filter(queryset)


def may_use_admin(user) -> bool:
    if not (user.is_authenticated and user.is_active):
        return False
    return user.is_superuser or (
        user.role in ADMIN_ROLES and scope_for(user).level != Level.NONE
    )


def scoped(view):
    """Mark a view as filtering what it shows through :func:`scope`.

    Views without this mark, or :func:`no_area_data`'s, are closed to every
    user whose scope is not national (see
    ``accounts.middleware.ScopeRequiredMiddleware``), and ``manage.py check``
    names them (``accounts.checks``).
    """
    view.scoped = True
    return view


def no_area_data(reason: str):
    """Mark a view as showing no area's data at all, open to every scope.

    ``reason`` says why, for the reader and the reviewer: a health check, a
    redirect, the language switch.
    """
    if not reason:
        raise ValueError("no_area_data() needs the reason the view shows no area data.")

    def mark(view):
        view.no_area_data = reason
        return view

    return mark


def declares_scope(view) -> bool:
    """Whether a view, its class-based view or its REST framework view class
    carries :func:`scoped` or :func:`no_area_data`."""
    for candidate in (
        view,
        getattr(view, "view_class", None),  # Django class-based views
        getattr(view, "cls", None),  # Django REST framework views
    ):
        if candidate is None:
            continue
        if getattr(candidate, "scoped", False) or getattr(
            candidate, "no_area_data", None
        ):
            return True
    return False

"""Scoping contracts, checked when the project starts (``manage.py check``).

The scope module and its middleware deny by default at run time: a model
that does not say how it reaches its area, or a view that does not declare
its scoping, is refused at first use. These checks name the same omissions
before anyone uses them, the way ``django.contrib.auth.checks`` does for the
user model.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator

from django.conf import settings
from django.contrib import admin
from django.core import checks
from django.core.exceptions import FieldDoesNotExist
from django.db.models import Model
from django.urls import URLPattern, URLResolver, get_resolver

from core.checks import models_of

from .admin_site import ScopedModelAdmin
from .middleware import view_declares_scope
from .models import User
from .scope import declares_scope, is_scoped_model


@checks.register(checks.Tags.models)
def check_scope_paths(app_configs=None, models: Iterable | None = None, **kwargs):
    """Every declared WARD_PATH, PROVINCE_PATH and TEAM_PATH reaches its area."""
    if models is None:
        models = models_of(app_configs)
    areas = {
        "WARD_PATH": User._meta.get_field("ward").related_model,
        "PROVINCE_PATH": User._meta.get_field("province").related_model,
        "TEAM_PATH": User._meta.get_field("team").related_model,
    }
    errors = []
    for model in models:
        for attribute, area in areas.items():
            path = getattr(model, attribute, None)
            if path is None or _path_end(model, path) is area:
                continue
            errors.append(
                checks.Error(
                    "%s = %r does not lead to a %s."
                    % (attribute, path, area._meta.label),
                    hint="Name the lookup from the model to its %s, as in a "
                    'queryset filter ("ward", "household__ward"; "" on '
                    "the %s itself)." % (area._meta.model_name, area.__name__),
                    obj=model,
                    id="accounts.E002",
                )
            )
    return errors


def _path_end(model: type[Model], path: str) -> type[Model] | None:
    """The model a lookup path ends at, or None when a step is not a relation."""
    for name in path.split("__") if path else ():
        try:
            field = model._meta.get_field(name)
        except FieldDoesNotExist:
            return None
        if not field.is_relation:
            return None
        model = field.related_model
    return model


@checks.register(checks.Tags.admin)
def check_scoped_admin_models(app_configs=None, site=None, **kwargs):
    """Every model a scoped admin shows, inline or in a spreadsheet, has a scope."""
    site = site or admin.site
    errors = []
    for model_admin in site._registry.values():
        if not isinstance(model_admin, ScopedModelAdmin):
            continue  # reserved to national administrators (PlatformAdminSite)
        shown = [("the admin", model_admin.model)]
        shown += [
            ("the inline %s" % inline.__name__, inline.model)
            for inline in model_admin.inlines
        ]
        shown += [
            ("the resource %s" % resource.__name__, resource._meta.model)
            for resource in _resources(model_admin)
        ]
        for where, model in shown:
            if model is not None and not is_scoped_model(model):
                errors.append(
                    _unscoped_model(
                        model, "%s of %s" % (where, type(model_admin).__name__)
                    )
                )
    return errors


def _resources(model_admin) -> list:
    resources = []
    for attribute in (
        "resource_classes",
        "import_resource_classes",
        "export_resource_classes",
    ):
        resources += list(getattr(model_admin, attribute, None) or ())
    resource = getattr(model_admin, "resource_class", None)
    return resources + ([resource] if resource else [])


def _unscoped_model(model: type[Model], where: str) -> checks.Error:
    return checks.Error(
        "%s is shown by %s but does not say how it reaches its area."
        % (model._meta.label, where),
        hint="Set WARD_PATH or PROVINCE_PATH on the model (see accounts.scope).",
        obj=model,
        id="accounts.E001",
    )


def _url_views(patterns, app_names=()) -> Iterator[tuple[str, object, str]]:
    """(route, view, app name as a resolver match has it) of every URL."""
    for pattern in patterns:
        if isinstance(pattern, URLResolver):
            names = app_names + ((pattern.app_name,) if pattern.app_name else ())
            for route, view, app_name in _url_views(pattern.url_patterns, names):
                yield str(pattern.pattern) + route, view, app_name
        elif isinstance(pattern, URLPattern):
            yield str(pattern.pattern), pattern.callback, ":".join(app_names)


@checks.register(checks.Tags.urls)
def check_url_scopes(app_configs=None, resolver=None, **kwargs):
    """Every URL's view declares its scoping; scoped API views show scoped models."""
    resolver = resolver or get_resolver()
    errors = []
    for route, view, app_name in _url_views(resolver.url_patterns):
        if not view_declares_scope(view, app_name):
            errors.append(
                checks.Error(
                    "The view %s.%s of the URL %r does not declare its scoping."
                    % (view.__module__, getattr(view, "__name__", view), route),
                    hint="Mark it @scoped when it filters what it shows through "
                    "accounts.scope, or @no_area_data(reason) when it shows no "
                    "area's data; until then only national administrators may "
                    "open it.",
                    obj=view,
                    id="accounts.E003",
                )
            )
            continue
        model = _api_model(view) if declares_scope(view) else None
        if model is not None and not is_scoped_model(model):
            errors.append(_unscoped_model(model, "the API view %s" % view.cls.__name__))
    return errors


def _api_model(view) -> type[Model] | None:
    """The model a REST framework view lists, from its queryset or serializer."""
    view_class = getattr(view, "cls", None)
    if view_class is None:
        return None
    queryset = getattr(view_class, "queryset", None)
    if queryset is not None:
        return queryset.model
    serializer = getattr(view_class, "serializer_class", None)
    meta = getattr(serializer, "Meta", None)
    return getattr(meta, "model", None)


# Sign-in's mail ---------------------------------------------------------------

# Backends that print or keep messages instead of sending them: a password
# reset's working link would land in the server's log or memory.
NOT_SENDING = {
    "django.core.mail.backends.console.EmailBackend",
    "django.core.mail.backends.locmem.EmailBackend",
    "django.core.mail.backends.filebased.EmailBackend",
    "django.core.mail.backends.dummy.EmailBackend",
}


@checks.register(checks.Tags.security, deploy=True)
def check_mail_is_sent(app_configs=None, **kwargs):
    """With DEBUG off, password-reset mail must really be sent."""
    if settings.DEBUG or settings.EMAIL_BACKEND not in NOT_SENDING:
        return []
    return [
        checks.Error(
            "Password-reset e-mails would be printed into the log, with "
            "working links, instead of being sent (%s)." % settings.EMAIL_BACKEND,
            hint="Set EMAIL_URL to the mail server, e.g. "
            "smtp+tls://user:password@smtp.example.gov.vn:587.",
            id="accounts.E004",
        )
    ]

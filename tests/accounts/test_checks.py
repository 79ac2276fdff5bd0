"""The scoping contracts fail at start (accounts.checks), not at first use."""

import pytest
from django.contrib import admin
from django.core.management import call_command
from django.db import models
from django.test.utils import isolate_apps
from django.urls import URLResolver, get_resolver, path
from django.urls.resolvers import RegexPattern
from import_export.resources import ModelResource
from rest_framework.generics import ListAPIView
from rest_framework.serializers import ModelSerializer

from accounts.admin_site import (
    PlatformAdminSite,
    ScopedModelAdmin,
    ScopedTabularInline,
)
from accounts.checks import (
    check_scope_paths,
    check_scoped_admin_models,
    check_url_scopes,
)
from accounts.models import Role
from accounts.scope import no_area_data, scoped
from households.models import Household, Resident
from teams.models import Team


def ids(errors) -> list[str]:
    return [error.id for error in errors]


def resolver(*patterns) -> URLResolver:
    return URLResolver(RegexPattern(r"^/"), list(patterns))


@pytest.fixture
def leaflet():
    """A model shown to users that forgot to say how it reaches its area."""
    with isolate_apps("accounts"):

        class Leaflet(models.Model):
            title = models.CharField(max_length=50)

            class Meta:
                app_label = "accounts"

            def __str__(self):
                return self.title

        yield Leaflet


def test_a_scoped_admin_of_a_model_without_a_scope_path_fails(leaflet):
    site = PlatformAdminSite()
    site.register(leaflet, ScopedModelAdmin)

    assert ids(check_scoped_admin_models(site=site)) == ["accounts.E001"]


def test_an_unscoped_inline_of_a_scoped_admin_fails(leaflet):
    class LeafletInline(ScopedTabularInline):
        model = leaflet

    class HouseholdAdmin(ScopedModelAdmin):
        inlines = [LeafletInline]

    site = PlatformAdminSite()
    site.register(Household, HouseholdAdmin)

    errors = check_scoped_admin_models(site=site)

    assert ids(errors) == ["accounts.E001"]
    assert "LeafletInline" in errors[0].msg


def test_an_unscoped_resource_of_a_scoped_admin_fails(leaflet):
    class LeafletResource(ModelResource):
        class Meta:
            model = leaflet

    class HouseholdAdmin(ScopedModelAdmin):
        resource_classes = [LeafletResource]

    site = PlatformAdminSite()
    site.register(Household, HouseholdAdmin)

    assert ids(check_scoped_admin_models(site=site)) == ["accounts.E001"]


def test_an_admin_reserved_to_national_administrators_may_show_anything(leaflet):
    site = PlatformAdminSite()
    site.register(leaflet)

    assert check_scoped_admin_models(site=site) == []


def test_a_scoped_api_view_over_a_model_without_a_scope_path_fails(leaflet):
    class LeafletOutput(ModelSerializer):
        class Meta:
            model = leaflet
            fields = ["title"]

    @scoped
    class LeafletsApi(ListAPIView):
        serializer_class = LeafletOutput

    @scoped
    class HouseholdsApi(ListAPIView):
        queryset = Household.objects.all()

    urls = resolver(
        path("leaflets/", LeafletsApi.as_view()),
        path("households/", HouseholdsApi.as_view()),
    )

    errors = check_url_scopes(resolver=urls)

    assert ids(errors) == ["accounts.E001"]
    assert "LeafletsApi" in errors[0].msg


def test_a_url_whose_view_declares_nothing_fails():
    errors = check_url_scopes(resolver=get_resolver("tests.accounts.urls_for_tests"))

    assert ids(errors) == ["accounts.E003"]
    assert "forgot/" in errors[0].msg


def test_views_found_in_included_url_lists_are_checked():
    def forgot(request):
        raise AssertionError

    urls = resolver(path("field/", ([path("deep/", forgot)], "field", "field")))

    errors = check_url_scopes(resolver=urls)

    assert ids(errors) == ["accounts.E003"]
    assert "field/deep/" in errors[0].msg


def test_views_declared_scoped_or_showing_no_area_data_pass():
    @scoped
    def mine(request):
        raise AssertionError

    @no_area_data("a static text")
    def static_text(request):
        raise AssertionError

    urls = resolver(path("mine/", mine), path("text/", static_text))

    assert check_url_scopes(resolver=urls) == []


def test_a_view_needs_a_reason_to_show_no_area_data():
    with pytest.raises(ValueError):
        no_area_data("")


@pytest.mark.parametrize("path_", ["hamlet__wrd", "hamlet", "code", "ward__province"])
def test_a_ward_path_that_does_not_lead_to_a_ward_fails(monkeypatch, path_):
    monkeypatch.setattr(Household, "WARD_PATH", path_)

    errors = check_scope_paths(models=[Household])

    assert ids(errors) == ["accounts.E002"]
    assert "WARD_PATH" in errors[0].msg


def test_a_province_path_that_does_not_lead_to_a_province_fails(monkeypatch):
    monkeypatch.setattr(Resident, "PROVINCE_PATH", "household__ward", raising=False)

    errors = check_scope_paths(models=[Resident])

    assert ids(errors) == ["accounts.E002"]
    assert "PROVINCE_PATH" in errors[0].msg


def test_a_team_path_that_does_not_lead_to_a_team_fails(monkeypatch):
    monkeypatch.setattr(Team, "TEAM_PATH", "ward")

    assert ids(check_scope_paths(models=[Team])) == ["accounts.E002"]


def test_the_project_keeps_every_scoping_contract():
    assert check_scope_paths() == []
    assert check_scoped_admin_models(site=admin.site) == []
    assert check_url_scopes() == []
    call_command("check")  # raises SystemCheckError on any error


@pytest.mark.django_db
@pytest.mark.urls("tests.accounts.urls_for_tests")
@pytest.mark.parametrize("role", [Role.WARD, Role.TEAM_MEMBER])
def test_a_view_showing_no_area_data_opens_to_area_limited_users(client, users, role):
    client.force_login(users[role])

    assert client.get("/no-area/").status_code == 200

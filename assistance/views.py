"""Field pages for team members and leaders: made for a 360 px phone, offline."""

import functools
import hashlib
import json
from itertools import groupby

from django.conf import settings
from django.contrib.staticfiles import finders
from django.http import Http404, JsonResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.templatetags.static import static
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_POST

from accounts.decorators import role_required
from accounts.models import Role
from accounts.scope import scope
from areas.models import Hamlet
from households.models import Household, Resident
from teams.models import ServicePoint

from .models import AssistanceSession, ServiceType, SessionService
from .selectors import (
    follow_up_list,
    household_find,
    member_for,
    session_counts,
    session_recent,
    shift_next,
    team_members,
)
from .services import follow_up_close, session_content, session_may_edit

field_page = role_required(Role.TEAM_LEADER, Role.TEAM_MEMBER)

# Pages and files the service worker keeps for opening without a connection.
OFFLINE_PAGES = (
    "assistance:field_home",
    "assistance:log",
    "assistance:recent",
    "assistance:follow_ups",
    "assistance:visits",
    "assistance:households_index",
    "assistance:household_new",
    # Training's field pages (a URL name, not an import: training is downstream).
    "training:field_training",
    "training:workshop_log",
)
# Pages whose kept copy is shown, offline, for any of these query parameters:
# field.js applies them (a household chosen for the log, the list's filters).
OFFLINE_QUERIES = {
    "assistance:log": ("household", "resident", "service"),
    "assistance:visits": ("hamlet", "group", "mine"),
}
# Pages only a team leader may open: a member's phone does not try to keep them.
LEADER_PAGES = ("training:workshop_log",)
OFFLINE_STATIC = (
    "css/base.css",
    "css/field.css",
    "js/field.js",
    "vendor/htmx/htmx.min.js",
    "img/icon.svg",
)
WORKBOX_MODULES = (
    "workbox-core",
    "workbox-routing",
    "workbox-strategies",
    "workbox-expiration",
    "workbox-cacheable-response",
)


@field_page
def field_home(request):
    user = request.user
    return render(
        request,
        "assistance/field_home.html",
        {
            "team": user.team,
            "ward": user.ward,
            "counts": session_counts(user=user),
            "shift": shift_next(user=user),
            "follow_ups": follow_up_list(user=user).count(),
        },
    )


@field_page
def session_log(request):
    """The log form. The browser sends it to the capture API, or queues it."""
    user = request.user
    editing = None
    if request.GET.get("session"):
        session = get_object_or_404(
            scope(AssistanceSession.objects.all(), user),
            pk=_int(request.GET["session"]),
        )
        if not session_may_edit(user, session):
            raise Http404
        editing = _as_payload(session)
    order = {code: index for index, code in enumerate(ServiceType.Category.values)}
    catalogue = sorted(
        ServiceType.objects.filter(is_active=True),
        key=lambda service: (order[service.category], service.position),
    )
    categories = [
        (ServiceType.Category(code).label, list(types))
        for code, types in groupby(catalogue, key=lambda service: service.category)
    ]
    me = member_for(user)
    preset = {}
    if request.GET.get("household"):
        household = get_object_or_404(
            scope(Household.objects.all(), user), pk=_int(request.GET["household"])
        )
        preset["household"] = household
        if request.GET.get("resident"):
            preset["resident"] = get_object_or_404(
                scope(Resident.objects.all(), user),
                pk=_int(request.GET["resident"]),
                household=household,
            )
    if request.GET.get("service"):
        preset["service"] = request.GET["service"]
    return render(
        request,
        "assistance/session_log.html",
        {
            "categories": categories,
            "members": team_members(user=user),
            "me": me,
            "service_points": scope(ServicePoint.objects.filter(is_active=True), user),
            "places": AssistanceSession.Place.choices,
            "genders": Resident.Gender.choices,
            "age_groups": AssistanceSession.AgeGroup.choices,
            "outcomes": SessionService.Outcome.choices,
            "durations": (5, 10, 15, 30, 60),
            "editing": editing,
            "preset": preset,
            "default_place": _default_place(user),
        },
    )


@field_page
def find(request):
    """As-you-type search results (an htmx fragment)."""
    query = request.GET.get("q", "")
    return render(
        request,
        "assistance/_find_results.html",
        {"households": household_find(user=request.user, query=query), "q": query},
    )


@field_page
def households_index(request):
    """The team's households, kept by the phone for searching offline."""
    user = request.user
    households = scope(Household.objects.all(), user)
    if user.team.hamlet_id:
        households = households.filter(hamlet_id=user.team.hamlet_id)
    rows = []
    residents = {}
    for resident in (
        scope(Resident.objects.all(), user)
        .filter(household__in=households)
        .values("pk", "household_id", "full_name", "birth_year", "search_text")
    ):
        residents.setdefault(resident["household_id"], []).append(
            [
                resident["pk"],
                resident["full_name"],
                resident["birth_year"],
                resident["search_text"],
            ]
        )
    for household in households.select_related("hamlet").order_by("code"):
        rows.append(
            {
                "id": household.pk,
                "code": household.code,
                "head": household.head_name,
                "address": household.address,
                "hamlet": household.hamlet.name if household.hamlet_id else "",
                "hamlet_id": household.hamlet_id,
                "key": household.search_text,
                "residents": residents.get(household.pk, []),
            }
        )
    response = JsonResponse({"households": rows})
    response["Cache-Control"] = "private, no-cache"
    return response


@field_page
def household_new(request):
    """The form to add a household. The browser checks it against the
    households the phone keeps, then sends it to the API, or queues it."""
    user = request.user
    hamlets = []
    if not user.team.hamlet_id:
        hamlets = scope(Hamlet.objects.filter(ward_id=user.team.ward_id), user)
    return render(
        request,
        "assistance/household_new.html",
        {
            "team": user.team,
            "hamlets": hamlets,
            "poverty": Household.Poverty.choices,
            "flags": [
                (name, Household._meta.get_field(name).verbose_name)
                for name in (
                    "elderly_alone",
                    "disability",
                    "ethnic_minority",
                    "no_smartphone",
                )
            ],
        },
    )


@field_page
def recent(request):
    user = request.user
    sessions = list(session_recent(user=user))
    for session in sessions:
        session.editable = session_may_edit(user, session)
    return render(
        request,
        "assistance/recent.html",
        {"sessions": sessions, "team_view": user.role == Role.TEAM_LEADER},
    )


@field_page
def follow_ups(request):
    return render(
        request,
        "assistance/follow_ups.html",
        {"lines": follow_up_list(user=request.user)},
    )


@field_page
@require_POST
def follow_up_done(request, pk):
    line = get_object_or_404(follow_up_list(user=request.user), pk=pk)
    follow_up_close(line=line)
    return redirect("assistance:follow_ups")


@field_page
@never_cache
def service_worker(request):
    response = render(
        request,
        "assistance/sw.js",
        {
            "workbox": static("vendor/workbox/workbox-sw.js"),
            "modules_json": json.dumps(
                {
                    name: static("vendor/workbox/%s.prod.js" % name)
                    for name in WORKBOX_MODULES
                }
            ),
            "pages_json": json.dumps(
                [
                    reverse(name)
                    for name in OFFLINE_PAGES
                    if name not in LEADER_PAGES or request.user.role == Role.TEAM_LEADER
                ]
            ),
            "queries_json": json.dumps(
                {reverse(name): keys for name, keys in OFFLINE_QUERIES.items()}
            ),
            "assets_json": json.dumps([static(path) for path in OFFLINE_STATIC]),
            "static_prefix": settings.STATIC_URL,
            "version": _offline_version(),
        },
        content_type="application/javascript",
    )
    response["Service-Worker-Allowed"] = reverse("assistance:field_home")
    return response


@field_page
def manifest(request):
    return render(
        request,
        "assistance/manifest.webmanifest",
        {"start": reverse("assistance:field_home"), "icon": static("img/icon.svg")},
        content_type="application/manifest+json",
    )


def _offline_version() -> str:
    # Kept files only change with a release in production: read them once.
    return _files_digest() if settings.DEBUG else _release_digest()


def _files_digest() -> str:
    # A change to any kept file makes a new service worker, which drops the
    # old caches (also in development, where static names are not hashed).
    digest = hashlib.sha256()
    for path in OFFLINE_STATIC:
        digest.update(static(path).encode())
        with open(finders.find(path), "rb") as handle:
            digest.update(handle.read())
    return digest.hexdigest()[:12]


_release_digest = functools.cache(_files_digest)


def _default_place(user) -> str:
    shift = shift_next(user=user)
    now = timezone.localtime()
    on_duty = (
        shift is not None
        and shift.date == now.date()
        and (shift.period == "morning") == (now.hour < 12)
    )
    if on_duty:
        kind = shift.service_point.kind
        return AssistanceSession.Place.CENTRE if kind == "centre" else "mobile"
    return AssistanceSession.Place.HOME


def _as_payload(session: AssistanceSession) -> dict:
    content = session_content(session)
    return {
        "id": session.pk,
        "household": session.household_id,
        "household_label": str(session.household) if session.household_id else "",
        "resident": session.resident_id,
        "resident_label": str(session.resident) if session.resident_id else "",
        "started_at": timezone.localtime(session.started_at).strftime("%Y-%m-%dT%H:%M"),
        "place": session.place,
        "service_point": session.service_point_id,
        "members": [member.pk for member in content["members"]],
        "services": [
            {
                "service": line.service_type.code,
                "outcome": line.outcome,
                "reason": line.reason,
                "dossier_ref": line.dossier_ref,
            }
            for line in content["services"]
        ],
        "duration_minutes": session.duration_minutes,
        "notes": session.notes,
        **{
            name: getattr(session, name)
            for name in content
            if name.startswith("walk_in_")
        },
    }


def _int(value) -> int:
    try:
        return int(value)
    except (TypeError, ValueError):
        raise Http404 from None

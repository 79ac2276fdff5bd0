"""The team's visit list, "Cần đến", and the leader's handing out of visits."""

import time

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext

from accounts.models import Role

from .selectors import team_members
from .services import assignment_clear, assignment_set
from .views import field_page
from .visits import (
    GROUPS,
    assignment_list,
    household_badges,
    team_hamlets,
    team_households,
    visit_list,
    visit_period,
)


@field_page
def visits(request):
    user = request.user
    hamlets = list(team_hamlets(user=user))
    filters = {
        "hamlet": _int_or_none(request.GET.get("hamlet")),
        "group": request.GET.get("group", ""),
        "mine": request.GET.get("mine") == "1",
    }
    period = visit_period(user=user)
    households = list(visit_list(user=user, period=period, filters=filters))
    assigned = {
        assignment.household_id: assignment
        for assignment in assignment_list(user=user).select_related("member__user")
    }
    for household in households:
        household.badges = [
            (key, GROUPS[key][1]) for key in household_badges(household)
        ]
        household.assignment = assigned.get(household.pk)
    return render(
        request,
        "assistance/visits.html",
        {
            "households": households,
            "period": period,
            "filters": filters,
            "hamlets": hamlets if len(hamlets) > 1 else [],
            "groups": [(key, label) for key, (_q, label) in GROUPS.items()],
            "leader": user.role == Role.TEAM_LEADER,
            # When the list was read: the phone hides households it logged later.
            "rendered": int(time.time() * 1000),
        },
    )


@field_page
def visit_assign(request, household):
    """The leader gives a household to a member for this week, or takes it back."""
    user = request.user
    if user.role != Role.TEAM_LEADER:
        raise PermissionDenied
    household = get_object_or_404(team_households(user=user), pk=household)
    members = team_members(user=user)
    current = assignment_list(user=user).filter(household=household).first()
    if request.method == "POST":
        try:
            if request.POST.get("member"):
                member = get_object_or_404(
                    members, pk=_int_or_none(request.POST["member"]) or 0
                )
                assignment_set(user=user, household=household, member=member)
                messages.success(
                    request,
                    gettext("%(household)s goes to %(member)s this week.")
                    % {"household": household.code, "member": member.full_name},
                )
            else:
                assignment_clear(user=user, household=household)
                messages.success(request, gettext("The visit is no longer assigned."))
        except ValidationError as error:
            messages.error(request, " ".join(error.messages))
        return redirect("assistance:visits")
    return render(
        request,
        "assistance/visit_assign.html",
        {
            "household": household,
            "members": members,
            "current": current,
        },
    )


def _int_or_none(value) -> int | None:
    try:
        return int(value)
    except (TypeError, ValueError):
        return None

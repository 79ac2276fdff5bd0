"""A team leader hands households to members for the week ("Cần đến")."""

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils.translation import gettext

from accounts.models import Role
from households.models import Household
from teams.models import Member

from ..models import HouseholdAssignment
from ..selectors import team_members
from ..visits import team_households, week_start


def _check_leader(user, household: Household) -> None:
    if user.role != Role.TEAM_LEADER or user.team_id is None:
        raise PermissionDenied(gettext("Only the team leader hands out visits."))
    if not team_households(user=user).filter(pk=household.pk).exists():
        raise PermissionDenied(gettext("This household is not your team's."))


@transaction.atomic
def assignment_set(
    *, user, household: Household, member: Member
) -> HouseholdAssignment:
    """Give ``household`` to ``member`` for this week, replacing any other."""
    _check_leader(user, household)
    if not team_members(user=user).filter(pk=member.pk).exists():
        raise ValidationError(gettext("This person is not a member of your team."))
    week = week_start()
    assignment = (
        HouseholdAssignment.objects.select_for_update()
        .filter(household=household, week_start=week)
        .first()
    )
    if assignment is not None and assignment.team_id != user.team_id:
        raise ValidationError(gettext("Another team has this household for the week."))
    if assignment is None:
        assignment = HouseholdAssignment(household=household, week_start=week)
    elif assignment.member_id == member.pk:
        return assignment
    assignment.team_id = user.team_id
    assignment.ward_id = user.team.ward_id
    assignment.member = member
    assignment.assigned_by = user
    assignment.save()
    return assignment


@transaction.atomic
def assignment_clear(*, user, household: Household) -> None:
    """Take this week's assignment of ``household`` back (the trail keeps it)."""
    _check_leader(user, household)
    for assignment in HouseholdAssignment.objects.filter(
        team_id=user.team_id, household=household, week_start=week_start()
    ):
        assignment.delete()

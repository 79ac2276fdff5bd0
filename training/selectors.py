"""What a user may read of training: every query goes through the scope."""

from __future__ import annotations

from django.db.models import QuerySet

from accounts.scope import scope

from .models import Attendance, Course, TrainingEvent, Workshop


def course_list(*, user) -> QuerySet[Course]:
    return scope(Course.objects.all(), user).select_related("province", "ward")


def event_list(*, user) -> QuerySet[TrainingEvent]:
    return scope(TrainingEvent.objects.all(), user).select_related(
        "course", "province", "ward"
    )


def member_training(*, user) -> QuerySet[Attendance]:
    """The signed-in member's own attendance, latest first (certificates too)."""
    return (
        scope(Attendance.objects.filter(member__user=user), user)
        .select_related("event__course")
        .order_by("-event__starts_on", "event__code")
    )


def workshop_list(*, user) -> QuerySet[Workshop]:
    """Workshops in the user's scope: team users see their own team's."""
    return scope(Workshop.objects.all(), user).select_related("team", "ward")

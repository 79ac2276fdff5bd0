"""Field pages for training: a member's own record, a leader's workshop log."""

from django.shortcuts import render
from django.utils import timezone

from accounts.decorators import role_required
from accounts.models import Role
from assistance.models import ServiceType

from .models import Workshop
from .selectors import member_training

# The numbers a leader counts at the door, with the model's labels.
WORKSHOP_COUNTS = ("attendees", "women", "elderly", "disability", "poor")


@role_required(Role.TEAM_LEADER, Role.TEAM_MEMBER)
def field_training(request):
    attendances = list(member_training(user=request.user))
    return render(
        request,
        "training/field_training.html",
        {
            "attendances": attendances,
            "certificates": sum(1 for row in attendances if row.certificate_date),
        },
    )


@role_required(Role.TEAM_LEADER)
def workshop_log(request):
    """The one-screen form. The browser sends it to the API, or queues it."""
    return render(
        request,
        "training/workshop_log.html",
        {
            "today": timezone.localdate(),
            "topics": ServiceType.Category.choices,
            "audiences": Workshop.Audience.choices,
            "counts": [
                (name, Workshop._meta.get_field(name).verbose_name)
                for name in WORKSHOP_COUNTS
            ],
        },
    )

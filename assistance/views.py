from django.shortcuts import render

from accounts.decorators import role_required
from accounts.models import Role


@role_required(Role.TEAM_LEADER, Role.TEAM_MEMBER)
def field_home(request):
    return render(
        request,
        "assistance/field_home.html",
        {"team": request.user.team, "ward": request.user.ward},
    )

from django.contrib.auth.decorators import login_required
from django.shortcuts import redirect

from .models import Role
from .scope import no_area_data, scope_for

LANDING_PAGES = {
    Role.TEAM_LEADER: "assistance:field_home",
    Role.TEAM_MEMBER: "assistance:field_home",
    Role.WARD: "reports:dashboard",
    Role.PROVINCE: "reports:dashboard",
    Role.NATIONAL: "admin:index",
}


@no_area_data("redirects each user to their landing page")
@login_required
def home(request):
    """Send each user to where their work is."""
    if scope_for(request.user).is_national:
        return redirect("admin:index")
    return redirect(LANDING_PAGES.get(request.user.role, "account_logout"))

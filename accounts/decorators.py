from functools import wraps

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.utils.translation import gettext

from .models import TEAM_ROLES
from .scope import scope_for, scoped


def role_required(*roles):
    """Open a scoped page to the given roles only (national administrators pass).

    A page only team roles open shows the user's own team: an account with no
    team (a national administrator) is refused, in words.
    """
    team_pages = set(roles) <= set(TEAM_ROLES)

    def decorator(view):
        @wraps(view)
        def wrapper(request, *args, **kwargs):
            if not (request.user.role in roles or scope_for(request.user).is_national):
                raise PermissionDenied
            if team_pages and request.user.team_id is None:
                raise PermissionDenied(
                    gettext(
                        "The field pages show a team's work, and your account "
                        "belongs to no team."
                    )
                )
            return view(request, *args, **kwargs)

        return scoped(login_required(wrapper))

    return decorator

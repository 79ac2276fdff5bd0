from functools import wraps

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied

from .scope import scope_for, scoped


def role_required(*roles):
    """Open a scoped page to the given roles only (national administrators pass)."""

    def decorator(view):
        @wraps(view)
        def wrapper(request, *args, **kwargs):
            if not (request.user.role in roles or scope_for(request.user).is_national):
                raise PermissionDenied
            return view(request, *args, **kwargs)

        return scoped(login_required(wrapper))

    return decorator

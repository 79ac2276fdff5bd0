"""Who must sign in with a second factor (an authenticator app's code)."""

from allauth.mfa.models import Authenticator
from django.conf import settings
from django.db import transaction

from .models import Role, User
from .sessions import user_sessions_end


def mfa_required(user) -> bool:
    """National administrators and province staff (``MFA_REQUIRED_ROLES``),
    and the ward officials of a province that requires it."""
    if user.role in settings.MFA_REQUIRED_ROLES:
        return True
    return bool(
        user.role == Role.WARD
        and user.province_id
        and user.province.ward_officials_mfa_required
    )


def mfa_enabled(user) -> bool:
    return Authenticator.objects.filter(
        user_id=user.pk, type=Authenticator.Type.TOTP
    ).exists()


def mfa_missing(user) -> bool:
    """Whether the account must set up two-factor sign-in before anything else."""
    return mfa_required(user) and not mfa_enabled(user)


@transaction.atomic
def user_two_factor_reset(*, users: list[User]) -> None:
    """Remove the accounts' authenticator app and recovery codes (a phone and
    its codes lost) and end their sessions: each signs in with the password
    again and, where required, sets up a new app."""
    Authenticator.objects.filter(user__in=users).delete()
    user_sessions_end(users=users)

"""Who must sign in with a second factor (an authenticator app's code)."""

from allauth.mfa.models import Authenticator
from django.conf import settings

from .models import Role


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

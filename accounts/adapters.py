from allauth.account import app_settings as account_settings
from allauth.account.adapter import DefaultAccountAdapter
from allauth.core import context
from allauth.mfa.adapter import DefaultMFAAdapter
from allauth.mfa.models import Authenticator

from .sessions import session_signed_in, signed_in_within
from .two_factor import mfa_required


class AccountAdapter(DefaultAccountAdapter):
    """Accounts are created by officials; nobody signs up on their own."""

    def is_open_for_signup(self, request):
        return False

    def login(self, request, user):
        super().login(request, user)
        session_signed_in(request)

    def is_reauthentication_required(self, *, app: str, **kwargs) -> bool:
        # Setting up two-factor sign-in right after signing in (as a required
        # account is sent to do) needs no second password: the sign-in was
        # the confirmation. Later changes ask again.
        request = context.request
        if app == "allauth.mfa" and signed_in_within(
            request, account_settings.REAUTHENTICATION_TIMEOUT
        ):
            return False
        return super().is_reauthentication_required(app=app, **kwargs)


class MFAAdapter(DefaultMFAAdapter):
    def can_delete_authenticator(self, authenticator):
        # An account that must use two-factor sign-in cannot switch it off;
        # a new phone is set up with a recovery code, then a new app.
        if authenticator.type == Authenticator.Type.RECOVERY_CODES:
            return True
        return not mfa_required(authenticator.user)

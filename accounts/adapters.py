from allauth.account.adapter import DefaultAccountAdapter
from allauth.mfa.adapter import DefaultMFAAdapter
from allauth.mfa.models import Authenticator

from .sessions import session_signed_in
from .two_factor import mfa_required


class AccountAdapter(DefaultAccountAdapter):
    """Accounts are created by officials; nobody signs up on their own."""

    def is_open_for_signup(self, request):
        return False

    def login(self, request, user):
        super().login(request, user)
        session_signed_in(request)


class MFAAdapter(DefaultMFAAdapter):
    def can_delete_authenticator(self, authenticator):
        # An account that must use two-factor sign-in cannot switch it off;
        # a new phone is set up with a recovery code, then a new app.
        if authenticator.type == Authenticator.Type.RECOVERY_CODES:
            return True
        return not mfa_required(authenticator.user)

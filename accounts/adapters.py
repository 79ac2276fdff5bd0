from allauth.account.adapter import DefaultAccountAdapter


class AccountAdapter(DefaultAccountAdapter):
    """Accounts are created by officials; nobody signs up on their own."""

    def is_open_for_signup(self, request):
        return False

from allauth.account.forms import LoginForm
from django.conf import settings

from .models import TEAM_ROLES


class PlatformLoginForm(LoginForm):
    def login(self, request, redirect_url=None):
        response = super().login(request, redirect_url)
        if self.user is not None and self.user.role in TEAM_ROLES:
            # Team members' phones work offline: their sign-in outlives a
            # closed browser, ticked box or not.
            request.session.set_expiry(settings.SESSION_COOKIE_AGE)
        return response

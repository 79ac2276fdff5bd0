"""How API requests are signed in: the platform's session, or an API key
(``accounts.api_keys``). Kept apart from the views: DRF reads its default
authentication when its own views module loads."""

from django.utils.translation import gettext
from drf_spectacular.authentication import SessionScheme
from rest_framework.authentication import SessionAuthentication
from rest_framework.exceptions import PermissionDenied


class SignedInSession(SessionAuthentication):
    """The platform's sign-in, as the API sees it.

    A request with no credentials is answered 401 with a challenge, as HTTP
    asks, not 403 (DRF answers 403 when its first authentication offers no
    challenge): a client then knows to sign in, not that it is forbidden.
    """

    def authenticate_header(self, request):
        return 'Session realm="api"'

    def enforce_csrf(self, request):
        # DRF words the refusal with Django's English reason.
        try:
            super().enforce_csrf(request)
        except PermissionDenied as error:
            raise PermissionDenied(
                gettext(
                    "The page's security token is missing or out of date: "
                    "reload the page, then send again."
                )
            ) from error


class SignedInSessionScheme(SessionScheme):
    """Documented in the schema as the session cookie it is."""

    target_class = SignedInSession

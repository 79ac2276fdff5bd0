import logging
import time

from django.conf import settings
from django.contrib import messages
from django.contrib.auth import logout
from django.core.exceptions import PermissionDenied
from django.middleware.locale import LocaleMiddleware
from django.shortcuts import redirect
from django.utils import translation
from django.utils.translation import gettext

from .models import User
from .scope import declares_scope, scope_for
from .sessions import IDLE, idle_seconds, session_end_reason, session_seen
from .two_factor import mfa_missing

logger = logging.getLogger(__name__)

# Views from these modules show no area data: allauth only handles the user's
# own account. The admin is not listed: it has its own deny-by-default in
# accounts.admin_site, which every admin URL goes through.
TRUSTED_VIEW_MODULES = (
    "django.views.i18n",
    "django.views.static",
    "django.contrib.staticfiles.",
    "allauth.",
    "drf_spectacular.",  # the API's schema and its documentation page
)


def view_declares_scope(view_func, app_name: str | None) -> bool:
    """Whether the view may open to area-limited users: it declares its scope,
    is the admin's (``app_name``, a resolver match's) or a trusted library's."""
    if app_name == "admin":
        return True
    if declares_scope(view_func):
        return True
    return (view_func.__module__ or "").startswith(TRUSTED_VIEW_MODULES)


def _declares_scope(request, view_func) -> bool:
    match = request.resolver_match
    return view_declares_scope(view_func, match.app_name if match else None)


class ScopeRequiredMiddleware:
    """Deny by default: a view that has not declared its scoping is closed to
    everyone but national administrators, so a view that forgets cannot leak."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        return self.get_response(request)

    def process_view(self, request, view_func, view_args, view_kwargs):
        if _declares_scope(request, view_func):
            return None
        if scope_for(request.user).is_national:
            return None
        logger.warning(
            "Refused %s.%s: the view does not declare how it is scoped",
            view_func.__module__,
            getattr(view_func, "__name__", "view"),
        )
        raise PermissionDenied


class VietnameseFirstLocaleMiddleware(LocaleMiddleware):
    """Vietnamese unless the user chose otherwise with the language switcher.

    The browser's Accept-Language is ignored on purpose: a ward office's
    computer set up in English must still show the platform in Vietnamese.
    """

    def process_request(self, request):
        supported = {code for code, _name in settings.LANGUAGES}
        language = request.COOKIES.get(settings.LANGUAGE_COOKIE_NAME)
        if language not in supported:
            language = settings.LANGUAGE_CODE
        translation.activate(language)
        request.LANGUAGE_CODE = translation.get_language()


class SessionGuardMiddleware:
    """End a session an official ended, or an official's session left idle.

    The request then goes on signed out: a page that needs a sign-in sends
    the browser to the sign-in page, which says why; the API answers 401/403.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        user = getattr(request, "user", None)
        if isinstance(user, User) and user.is_authenticated:
            now = time.time()
            reason = session_end_reason(request, now)
            if reason is None:
                session_seen(request, now)
            else:
                logout(request)
                messages.info(request, _signed_out_message(reason))
        return self.get_response(request)


def _signed_out_message(reason: str) -> str:
    if reason == IDLE:
        return gettext(
            "You were signed out after %(minutes)d minutes without activity. "
            "Sign in again to continue."
        ) % {"minutes": idle_seconds() // 60}
    return gettext("Your session was ended by an official. Sign in again.")


# Pages an account that must set up two-factor sign-in may still open.
TWO_FACTOR_SETUP_PAGES = ("account_logout", "account_reauthenticate", "set_language")


class TwoFactorRequiredMiddleware:
    """Send an account that must use two-factor sign-in, and has not set it
    up, to set up an authenticator app before anything else."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        return self.get_response(request)

    def process_view(self, request, view_func, view_args, view_kwargs):
        user = getattr(request, "user", None)
        if not isinstance(user, User) or not user.is_authenticated:
            return None
        match = request.resolver_match
        name = match.url_name if match else None
        if name and (name.startswith("mfa_") or name in TWO_FACTOR_SETUP_PAGES):
            return None
        if not mfa_missing(user):
            return None
        if request.path.startswith("/api/"):
            raise PermissionDenied
        messages.warning(
            request,
            gettext(
                "Your account must use two-factor sign-in. Set up an "
                "authenticator app on your phone to continue."
            ),
        )
        return redirect("mfa_activate_totp")

"""API keys for machine clients: issued in the admin, checked on each request.

A key is 32 random bytes (``secrets.token_urlsafe``), so a plain SHA-256 of
it is enough to store: there is nothing to guess that a slow hash would
protect. Clients send it in the ``X-Api-Key`` header; the key then stands in
for a user, and :func:`accounts.scope.scope_for` turns it into the scope of
its province or ward. Keys are accepted only by the views that list
:class:`ApiKeyAuthentication` (the statistics API and ``/api/v1/me/``), so
a key can never log or read assistance sessions.
"""

import hashlib
import secrets
from datetime import timedelta

from allauth.account.adapter import get_adapter
from django.core.exceptions import ImproperlyConfigured, PermissionDenied
from django.utils import timezone
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _
from drf_spectacular.extensions import OpenApiAuthenticationExtension
from rest_framework.authentication import BaseAuthentication
from rest_framework.exceptions import AuthenticationFailed

from .models import ApiKey

HEADER = "X-Api-Key"
# Writing the last use on every request would make each read a write.
TOUCH_EVERY = timedelta(minutes=1)


def api_key_hash(secret: str) -> str:
    return hashlib.sha256(secret.encode()).hexdigest()


def api_key_issue(*, key: ApiKey, created_by) -> str:
    """Give ``key`` a new secret and save it; the secret is returned, never stored."""
    secret = secrets.token_urlsafe(32)
    key.prefix = secret[:8]
    key.key_hash = api_key_hash(secret)
    key.created_by = created_by
    key.save()
    return secret


def api_key_touch(key: ApiKey) -> None:
    now = timezone.now()
    if key.last_used_at is None or now - key.last_used_at >= TOUCH_EVERY:
        ApiKey.objects.filter(pk=key.pk).update(last_used_at=now)
        key.last_used_at = now


def client_address(request) -> str | None:
    """The caller's address as sign-in reads it, behind the trusted proxies.

    allauth's reading follows TRUSTED_PROXY_COUNT and TRUSTED_CLIENT_IP_HEADER:
    with neither set, the connection's own address, so a forged
    X-Forwarded-For changes nothing.
    """
    try:
        return get_adapter(request).get_client_ip(request)
    except (PermissionDenied, ImproperlyConfigured):
        # No address, or fewer forwarded hops than our proxies add: the
        # request did not come through them.
        return None


def api_key_refusal(key: ApiKey, request) -> str | None:
    """Why ``key`` may not serve this request, or None when it may."""
    if not key.is_active:
        return gettext(
            "This API key is switched off; ask the administrator who "
            "issued it for a new one."
        )
    issuer = key.created_by
    if issuer is None or not issuer.is_active:
        # A key speaks for the official who issued it: switching off the
        # account (someone who left the job) switches off its keys too.
        return gettext(
            "The account that issued this API key is switched off; ask "
            "an administrator for a new key."
        )
    if key.is_expired():
        return gettext(
            "This API key has expired: its last day was %(day)s; ask an "
            "administrator for a new key."
        ) % {"day": key.expires_on.isoformat()}
    if key.allowed_networks:
        address = client_address(request)
        if not key.admits(address):
            # The caller learns its own address, never the allowed ones.
            return gettext(
                "This API key may not be used from the address %(address)s."
            ) % {"address": address or gettext("unknown")}
    return None


class ApiKeyAuthentication(BaseAuthentication):
    """``X-Api-Key: <key>``; the request's user and auth are then the key."""

    def authenticate(self, request):
        secret = request.headers.get(HEADER)
        if secret is None:
            return None
        key = (
            ApiKey.objects.select_related("created_by")
            .filter(key_hash=api_key_hash(secret.strip()))
            .first()
        )
        if key is None:
            raise AuthenticationFailed(
                _("Unknown API key: check the X-Api-Key header.")
            )
        refusal = api_key_refusal(key, request)
        if refusal is not None:
            raise AuthenticationFailed(refusal)
        api_key_touch(key)
        return key, key

    def authenticate_header(self, request):
        # A challenge makes an unauthenticated request a 401, not a 403.
        return 'ApiKey header="%s"' % HEADER


class ApiKeyScheme(OpenApiAuthenticationExtension):
    target_class = ApiKeyAuthentication
    name = "apiKey"

    def get_security_definition(self, auto_schema):
        return {
            "type": "apiKey",
            "in": "header",
            "name": HEADER,
            "description": str(
                _(
                    "A key issued by an administrator in the admin (API keys); "
                    "it reads the statistics and areas of its province or ward."
                )
            ),
        }

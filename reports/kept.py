"""Answers and pages kept ready to send: computed once, compressed once.

The statistics API and the dashboards keep what they compute under the
version of the area's figures (:mod:`reports.versions`), so a repeated read
costs a few cache reads. Two things stayed in every read: compressing a large
body again (GZipMiddleware, a millisecond for a province's page) and, right
after the figures moved, every reader computing the same answer at once.
Here a body is kept compressed, and one reader computes while the others wait
for its result.
"""

from __future__ import annotations

import gzip
import hashlib
import time
from collections.abc import Callable
from dataclasses import dataclass

from django.contrib.messages.storage.cookie import CookieStorage
from django.contrib.messages.storage.session import SessionStorage
from django.core.cache import cache
from django.http import HttpRequest, HttpResponse
from django.middleware.csrf import get_token
from django.middleware.gzip import GZipMiddleware, re_accepts_gzip
from django.utils.cache import patch_cache_control, patch_vary_headers
from django.utils.text import compress_string

from .versions import KEPT

# As GZipMiddleware: a shorter body is not worth compressing.
COMPRESS_FROM = 200
# One reader computes a missing answer; the others wait this long for it
# before computing it themselves (a province's page takes about a second).
COMPUTE_SECONDS = 30
WAIT_STEP = 0.05


def kept(key: str, compute: Callable, timeout: int = KEPT):
    """``cache.get_or_set`` where one caller computes and the others wait.

    When a province's figures move, twenty officials opening its dashboard
    would each spend a second computing the same page; the first takes a
    short lock, the rest poll for its result. If the lock's holder fails or
    takes longer than ``COMPUTE_SECONDS``, the others compute it themselves.
    """
    value = cache.get(key)
    if value is not None:
        return value
    lock = "computing:" + key
    if not cache.add(lock, 1, COMPUTE_SECONDS):
        deadline = time.monotonic() + COMPUTE_SECONDS
        while time.monotonic() < deadline:
            time.sleep(WAIT_STEP)
            value = cache.get(key)
            if value is not None:
                return value
            if cache.get(lock) is None:
                break  # its holder gave up: compute it here
    try:
        value = compute()
        cache.set(key, value, timeout)
    finally:
        cache.delete(lock)
    return value


@dataclass(frozen=True)
class Body:
    """A response body as it is kept: gzip-compressed when long enough."""

    content: bytes
    content_type: str
    gzipped: bool

    @classmethod
    def of(cls, content: bytes, content_type: str) -> Body:
        if len(content) < COMPRESS_FROM:
            return cls(content, content_type, gzipped=False)
        # Padded with random bytes as GZipMiddleware does (BREACH): pages
        # carry a CSRF token.
        compressed = compress_string(
            content, max_random_bytes=GZipMiddleware.max_random_bytes
        )
        return cls(compressed, content_type, gzipped=True)

    def response(self, request: HttpRequest, status: int = 200, **headers):
        """The response, compressed if the client takes gzip (most do)."""
        content = self.content
        response = HttpResponse(status=status, content_type=self.content_type)
        for name, value in headers.items():
            response[name] = value
        if self.gzipped:
            patch_vary_headers(response, ("Accept-Encoding",))
            if re_accepts_gzip.search(request.headers.get("Accept-Encoding", "")):
                response["Content-Encoding"] = "gzip"
                # The compressed bytes are not the identity's: a weak tag, as
                # GZipMiddleware makes it.
                etag = response.get("ETag")
                if etag and etag.startswith('"'):
                    response["ETag"] = "W/" + etag
            else:
                content = gzip.decompress(content)
        response.content = content
        return response


def page_kept(request: HttpRequest, version: str, respond: Callable) -> HttpResponse:
    """The page ``respond()`` renders, kept for this user until ``version`` moves.

    A dashboard page is the figures (kept for everyone under their version)
    inside the layout, which shows the user's name, CSRF tokens and the
    address. Rendering and compressing that layout around a province's
    130 KB of tables cost more than everything else a cached page needs, so
    the finished, compressed page is kept per user, CSRF secret and address.
    Not when the request carries messages to show, or has no CSRF cookie yet
    (the response must then set one).
    """
    if not _keepable(request):
        return respond()
    user = request.user
    who = "|".join(
        str(part)
        for part in (
            version,
            user.pk,
            user.get_username(),
            user.get_full_name(),
            getattr(user, "role", ""),
            request.META["CSRF_COOKIE"],
            request.get_full_path(),
        )
    )
    key = "page:%s" % hashlib.sha256(who.encode()).hexdigest()[:40]
    body = cache.get(key)
    if body is None:
        response = respond()
        if response.status_code != 200 or response.cookies:
            return response
        body = Body.of(response.content, response["Content-Type"])
        cache.set(key, body, KEPT)
    else:
        # As a rendered page's {% csrf_token %} does: the cookie's expiry is
        # renewed on the way out.
        get_token(request)
    response = body.response(request)
    patch_vary_headers(response, ("Cookie",))
    patch_cache_control(response, private=True)
    return response


def _keepable(request: HttpRequest) -> bool:
    if request.method != "GET" or "CSRF_COOKIE" not in request.META:
        return False
    # Where django.contrib.messages keeps messages waiting to be shown.
    if CookieStorage.cookie_name in request.COOKIES:
        return False
    return SessionStorage.session_key not in request.session

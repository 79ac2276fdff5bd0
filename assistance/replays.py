"""Answers to new sessions, kept a while for the phone that resends them.

A phone that loses the answer to a session sends the very same bytes again,
seconds or minutes later. The answer to a new session is kept in the shared
cache under its UUID, with a fingerprint of what it answered: the session as
sent (its JSON with the keys sorted, so the same session resent alone or in a
batch finds it), the account and its scope, the language and the service
catalogue's version. A resend with the same fingerprint is answered from the
kept copy, without checking or reading the session again; anything else
(other content, another account, a moved scope, a renamed service) finds
nothing here and takes the checked path, which reads the stored session.

Any change to the session forgets its kept answer: a save or deletion of the
session or of one of its lines, a change of its members, the deletion of one
of them, and the follow-ups the capture closes in bulk. A kept answer lives
:data:`KEEP_SECONDS`, far less than the day in which its author may edit the
session, so the ``may_edit`` it holds stays true while it is kept.

The cache being down costs the resend its shortcut: nothing is kept, nothing
is found. Two narrow cases may show a kept answer older than the session, for
:data:`KEEP_SECONDS` at most: a change made while the cache could not be told
to forget it (logged), and one made in the milliseconds between a new
session's commit and the keeping of its answer.
"""

from __future__ import annotations

import hashlib
import json
import logging
from collections.abc import Iterable
from uuid import UUID

from django.core.cache import cache
from django.db.models.signals import m2m_changed, post_delete, post_save, pre_delete
from django.dispatch import receiver
from django.utils import translation

from accounts.scope import scope_for
from teams.models import Member

from .catalogue import VERSION_KEY, catalogue_version
from .models import AssistanceSession, SessionService

logger = logging.getLogger(__name__)

KEEP_SECONDS = 15 * 60
PREFIX = "assistance:replay:"


def replay_keep(*, client_uuid: UUID, request, sent, answer: dict) -> None:
    """Keep ``answer``, just given to the new session ``sent``, for its resends."""
    version = catalogue_version()
    if version is None or not _is_json(request):  # no version, or not JSON sent
        return
    entry = {"fingerprint": _fingerprint(request, version, sent), "answer": answer}
    try:
        cache.set(_key(client_uuid), entry, timeout=KEEP_SECONDS)
    except Exception:
        logger.warning("Could not keep the answer to a new session")


def replay_find(request, sent) -> tuple[dict | None, str | None]:
    """The kept answer to ``sent`` (one session of this request's data) if it
    resends a new session, and the service catalogue's version, read with it
    (None if unread)."""
    if not _is_json(request):
        # Phones send JSON; a form post simply takes the checked path.
        return None, None
    client_uuid = _uuid_in(sent)
    if client_uuid is None:
        return None, None
    try:
        found = cache.get_many([_key(client_uuid), VERSION_KEY])
    except Exception:
        return None, None
    entry, version = found.get(_key(client_uuid)), found.get(VERSION_KEY)
    if entry is None or version is None:
        return None, version
    if entry["fingerprint"] != _fingerprint(request, version, sent):
        return None, version
    return entry["answer"], version


def replays_forget(uuids: Iterable[UUID | str]) -> None:
    """Forget the kept answers of these sessions: they changed."""
    keys = [_key(client_uuid) for client_uuid in uuids]
    if not keys:
        return
    try:
        cache.delete_many(keys)
    except Exception:
        # Kept answers then live out their few minutes: say so, never fail the
        # change itself.
        logger.warning("Could not forget the kept answers of %d sessions", len(keys))


def _is_json(request) -> bool:
    return (request.content_type or "").split(";")[0].strip() == "application/json"


def _key(client_uuid: UUID | str) -> str:
    return PREFIX + str(client_uuid)


def _uuid_in(data) -> str | None:
    try:
        return str(UUID(str(data.get("client_uuid"))))
    except (AttributeError, ValueError):  # not an object, or no UUID
        return None


def _fingerprint(request, catalogue: str, sent) -> str:
    user = request.user
    parts = (
        str(user.pk),
        repr(scope_for(user)),
        translation.get_language() or "",
        catalogue,
    )
    digest = hashlib.sha256("\n".join(parts).encode())
    digest.update(b"\n")
    # Parsed JSON written back the one way: what the checks would read.
    digest.update(json.dumps(sent, sort_keys=True, separators=(",", ":")).encode())
    return digest.hexdigest()


@receiver(post_save, sender=AssistanceSession)
@receiver(post_delete, sender=AssistanceSession)
def _session_changed(sender, instance, created=False, **kwargs):
    if not created:  # a session just made has no kept answer yet
        replays_forget([instance.client_uuid])


@receiver(post_save, sender=SessionService)
@receiver(post_delete, sender=SessionService)
def _line_changed(sender, instance, **kwargs):
    if SessionService.session.is_cached(instance):
        replays_forget([instance.session.client_uuid])
    else:
        replays_forget(
            AssistanceSession.objects.filter(pk=instance.session_id).values_list(
                "client_uuid", flat=True
            )
        )


@receiver(m2m_changed, sender=AssistanceSession.members.through)
def _members_changed(sender, instance, action, reverse, pk_set, **kwargs):
    if reverse and action == "pre_clear":  # a member taken out of all sessions
        replays_forget(instance.sessions.values_list("client_uuid", flat=True))
    elif action.startswith("post_") and not reverse:
        replays_forget([instance.client_uuid])
    elif action.startswith("post_") and pk_set:
        replays_forget(
            AssistanceSession.objects.filter(pk__in=pk_set).values_list(
                "client_uuid", flat=True
            )
        )


@receiver(pre_delete, sender=Member)
def _member_deleted(sender, instance, **kwargs):
    # The deletion takes the member out of their sessions without a signal.
    replays_forget(instance.sessions.values_list("client_uuid", flat=True))

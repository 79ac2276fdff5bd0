"""Idempotent capture: a record sent by a phone is stored once per client UUID.

A phone makes up the UUID before it sends anything, and resends the same
record after a lost answer or from its offline queue. The model's unique
``client_uuid`` turns a resend into a lookup: the same content answers with
the stored row, other content is a conflict (never a silent overwrite), and
two requests racing with one UUID store one row. Sessions and workshops are
captured by :func:`capture`; their APIs answer through :func:`capture_response`.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from typing import Any, TypeVar
from uuid import UUID

from django.core.exceptions import ValidationError
from django.db import IntegrityError, models, transaction
from rest_framework import status
from rest_framework.exceptions import ValidationError as ApiValidationError
from rest_framework.response import Response
from rest_framework.settings import api_settings

from . import metrics
from .api_errors import Conflict

Row = TypeVar("Row", bound=models.Model)


class CaptureConflict(Exception):
    """The UUID is already stored with other content."""

    def __init__(self, stored: models.Model):
        super().__init__(str(stored.client_uuid))
        self.stored = stored


def capture(
    model: type[Row],
    *,
    client_uuid: UUID,
    store: Callable[[], Row],
    same: Callable[[Row], bool],
) -> tuple[Row, bool]:
    """Store a record once per ``client_uuid``; return it and whether it is new.

    ``store`` checks and inserts the new record in one transaction, raising
    :class:`ValidationError` for a refusal; ``same`` says whether a stored row
    holds the content sent. A resend is not checked again (what it names may
    have changed since), so a refusal or the unique UUID's violation looks
    for the stored row: most sends are new, and this saves a lookup on each.
    """
    try:
        with transaction.atomic():
            row = store()
    except (ValidationError, IntegrityError):
        stored = model._default_manager.filter(client_uuid=client_uuid).first()
        if stored is None:
            raise
    else:
        # Counted once stored for good: a rolled-back batch counts nothing.
        label = model._meta.label_lower
        transaction.on_commit(lambda: metrics.capture_stored(label))
        return row, True
    if not same(stored):
        raise CaptureConflict(stored)
    return stored, False


@dataclass(frozen=True)
class CaptureAnswers:
    """How one capture API shows its records and words its conflicts."""

    show: Callable[[Any, bool], dict]  # the body of a 201 (new) or 200 (resend)
    visible: Callable[[int], Any]  # the stored row if the caller may see it
    conflict: str  # the UUID stored with other content (%(uuid)s)
    moved: str  # a resend of a row moved out of the caller's scope (%(uuid)s)
    where: Callable[[Any], str] | None = None  # a new record's own address


def capture_response(record: Callable[[], tuple], answers: CaptureAnswers):
    """Answer a capture: 201 new, 200 resent; raise 400 refused, 409 conflict.

    A stored record's answer carries its version as the ETag.
    """
    try:
        stored, created = record()
    except ValidationError as error:
        raise ApiValidationError(api_errors(error)) from error
    except CaptureConflict as conflict:
        row = conflict.stored
        visible = answers.visible(row.pk)
        raise _conflict(answers.conflict, row.client_uuid, visible) from conflict
    if created:
        response = Response(answers.show(stored, True), status=status.HTTP_201_CREATED)
        if answers.where is not None:
            response["Location"] = answers.where(stored)
        return tagged(response)
    visible = answers.visible(stored.pk)
    if visible is None:
        # Stored, then moved out of the sender's scope by an official: the
        # resend is answered for good, without showing the row.
        raise _conflict(answers.moved, stored.client_uuid, None)
    return tagged(Response(answers.show(visible, False)))


def _conflict(message: str, client_uuid, visible) -> Conflict:
    errors = {"client_uuid": [message % {"uuid": client_uuid}]}
    if visible is None:
        return Conflict(errors)
    return Conflict(errors, id=visible.pk)


def version_of(pk: int, updated_at: datetime) -> str:
    """Which saved state of a record this is: its id and its last change."""
    changed = updated_at - datetime(1970, 1, 1, tzinfo=UTC)
    return "%d.%d" % (pk, changed // timedelta(microseconds=1))


def tagged(response: Response) -> Response:
    """A record's answer with its version as the ETag (for If-Match)."""
    body = response.data
    if isinstance(body, dict) and body.get("id") and body.get("updated_at"):
        changed = datetime.fromisoformat(body["updated_at"])
        response["ETag"] = '"%s"' % version_of(body["id"], changed)
    return response


def api_errors(error: ValidationError) -> dict:
    """A refusal of the model layer as DRF field errors (a bare one: non-field)."""
    if hasattr(error, "error_dict"):
        return error.message_dict
    return {api_settings.NON_FIELD_ERRORS_KEY: error.messages}


def if_match(request) -> set[str] | None:
    """The versions an If-Match header accepts (None: any, or no header).

    A weak tag counts as its strong one: the compressed answer's tag is
    weakened on the way out, and clients send back what they received.
    """
    header = request.headers.get("If-Match", "").strip()
    if not header or header == "*":
        return None
    return {tag.strip().removeprefix("W/").strip('"') for tag in header.split(",")}

"""Deleted sessions leave a tombstone, so that a client's next pull drops them.

Every deletion (the admin's delete page and its "delete selected" action,
a cascade) sends ``post_delete`` for each session, inside the deleting
transaction: the one place they all pass. Tombstones are kept
``TOMBSTONES_KEEP_DAYS``; a client that has not pulled for longer pulls
everything again.
"""

from datetime import timedelta

from django.conf import settings
from django.db.models.signals import post_delete
from django.dispatch import receiver
from django.utils import timezone

from .models import AssistanceSession, SessionTombstone


@receiver(post_delete, sender=AssistanceSession)
def _session_deleted(sender, instance, **kwargs):
    SessionTombstone.objects.update_or_create(
        id=instance.pk,
        defaults={
            "client_uuid": instance.client_uuid,
            "ward_id": instance.ward_id,
            "team_id": instance.team_id,
            "household_id": instance.household_id,
            "started_on": instance.started_on,
            "updated_at": timezone.now(),
        },
    )


def session_tombstones_purge() -> int:
    """Drop the tombstones older than the keeping time; return how many."""
    since = timezone.now() - timedelta(days=settings.TOMBSTONES_KEEP_DAYS)
    deleted, _by_model = SessionTombstone.objects.filter(updated_at__lt=since).delete()
    return deleted

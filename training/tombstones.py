"""Deleted workshops leave a tombstone, so that a client's next pull drops them.

Every deletion (the admin's delete page and its "delete selected" action)
sends ``post_delete`` for each workshop, inside the deleting transaction:
the one place they all pass. Tombstones are kept ``TOMBSTONES_KEEP_DAYS``.
"""

from datetime import timedelta

from django.conf import settings
from django.db.models.signals import post_delete
from django.dispatch import receiver
from django.utils import timezone

from .models import Workshop, WorkshopTombstone


@receiver(post_delete, sender=Workshop)
def _workshop_deleted(sender, instance, **kwargs):
    WorkshopTombstone.objects.update_or_create(
        id=instance.pk,
        defaults={
            "client_uuid": instance.client_uuid,
            "ward_id": instance.ward_id,
            "team_id": instance.team_id,
            "held_on": instance.held_on,
            "updated_at": timezone.now(),
        },
    )


def workshop_tombstones_purge() -> int:
    """Drop the tombstones older than the keeping time; return how many."""
    since = timezone.now() - timedelta(days=settings.TOMBSTONES_KEEP_DAYS)
    deleted, _by_model = WorkshopTombstone.objects.filter(updated_at__lt=since).delete()
    return deleted

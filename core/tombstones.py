"""Deleted records leave a tombstone, so that a client's next pull drops them.

Every deletion (the admin's delete page and its "delete selected" action, a
cascade) sends ``post_delete`` for each row, inside the deleting
transaction: the one place they all pass. Tombstones are kept
``TOMBSTONES_KEEP_DAYS``; a client that has not pulled for longer pulls
everything again.
"""

from datetime import timedelta

from django.conf import settings
from django.db import models
from django.db.models.signals import post_delete
from django.utils import timezone


def tombstones_keep(
    live: type[models.Model], tombstone: type[models.Model], copied: tuple[str, ...]
) -> None:
    """Leave a ``tombstone`` row, with the ``copied`` fields, for each deleted
    ``live`` row."""

    def deleted(sender, instance, **kwargs):
        tombstone.objects.update_or_create(
            id=instance.pk,
            defaults={
                **{name: getattr(instance, name) for name in copied},
                "updated_at": timezone.now(),
            },
        )

    post_delete.connect(
        deleted, sender=live, weak=False, dispatch_uid="tombstone:%s" % live._meta
    )


def tombstones_purge(tombstone: type[models.Model]) -> int:
    """Drop the tombstones older than the keeping time; return how many."""
    since = timezone.now() - timedelta(days=settings.TOMBSTONES_KEEP_DAYS)
    deleted, _by_model = tombstone.objects.filter(updated_at__lt=since).delete()
    return deleted

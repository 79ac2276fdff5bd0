from celery import shared_task

from .tombstones import workshop_tombstones_purge


@shared_task
def workshop_tombstones_purge_task() -> None:
    """Drop the tombstones past their keeping time; safe to run any number of times."""
    workshop_tombstones_purge()

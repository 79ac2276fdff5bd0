from celery import shared_task

from .tombstones import session_tombstones_purge


@shared_task
def session_tombstones_purge_task() -> None:
    """Drop the tombstones past their keeping time; safe to run any number of times."""
    session_tombstones_purge()

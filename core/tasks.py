from celery import shared_task

from .import_files import uploads_purge


@shared_task
def uploads_purge_task() -> None:
    """Delete uploads previewed more than an hour ago and never confirmed."""
    uploads_purge(older_than=3600)

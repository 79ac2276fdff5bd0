from celery import shared_task
from django.core.management import call_command

from .exports import export_job_run, export_jobs_purge


@shared_task
def login_session_cleanup_task() -> None:
    """Remove expired login sessions; safe to run any number of times."""
    call_command("clearsessions")


# Routed to the "exports" queue (CELERY_TASK_ROUTES). A province's households
# take a minute or two; the limits leave room for a slow disk.
@shared_task(soft_time_limit=45 * 60, time_limit=50 * 60)
def export_job_run_task(job_id: int) -> None:
    export_job_run(job_id=job_id)


@shared_task
def export_jobs_purge_task() -> None:
    export_jobs_purge()

import os

from celery import shared_task
from django.core.management import call_command

from .exports import export_job_run, export_jobs_purge


@shared_task
def login_session_cleanup_task() -> None:
    """Remove expired login sessions; safe to run any number of times."""
    call_command("clearsessions")


# A big file can wait a little; people logging sessions cannot. The process
# running exports yields the processor to the web and statistics processes
# (Unix "nice"; lowering one's own priority needs no privilege).
EXPORT_NICENESS = 10


# Routed to the "exports" queue (CELERY_TASK_ROUTES), which its own worker
# consumes. A province's households take a minute or two; the limits leave
# room for a slow disk.
@shared_task(soft_time_limit=45 * 60, time_limit=50 * 60)
def export_job_run_task(job_id: int) -> None:
    current = os.getpriority(os.PRIO_PROCESS, 0)
    os.setpriority(os.PRIO_PROCESS, 0, max(current, EXPORT_NICENESS))
    export_job_run(job_id=job_id)


@shared_task
def export_jobs_purge_task() -> None:
    export_jobs_purge()

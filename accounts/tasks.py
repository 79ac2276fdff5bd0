import contextlib
import os

from celery import shared_task
from django.core.management import call_command

from .export_jobs import export_job_run, export_jobs_purge


@shared_task
def login_session_cleanup_task() -> None:
    """Remove expired login sessions; safe to run any number of times."""
    call_command("clearsessions")


# A big file can wait a little; people logging sessions cannot. The process
# running exports takes the processor only when nothing else wants it: Linux's
# SCHED_IDLE, or elsewhere the lowest "nice". Lowering one's own priority
# needs no privilege; the exports have a worker of their own, so nothing else
# runs at that priority. Under a load that never lets up, an export waits
# (its time limits still apply).
EXPORT_NICENESS = 19


def export_priority_lower() -> None:
    _scheduling_group_own()
    if hasattr(os, "SCHED_IDLE"):
        try:
            os.sched_setscheduler(0, os.SCHED_IDLE, os.sched_param(0))
            return
        except OSError:  # a sandbox without scheduling calls
            pass
    current = os.getpriority(os.PRIO_PROCESS, 0)
    os.setpriority(os.PRIO_PROCESS, 0, max(current, EXPORT_NICENESS))


def _scheduling_group_own() -> None:
    """Leave the worker's scheduling group for one of the lowest weight.

    Where the kernel groups processes by session (autogroup, on by default in
    most distributions), it shares the processor between the groups first:
    a worker started in a session of its own got as much of it as the web
    server's whole group, whatever its own priority. A session of its own
    (the prefork child is no group leader, so it may start one) puts the
    export in a group alone, whose weight it then lowers. Without autogroups
    the file is missing and the process priority alone decides.
    """
    with contextlib.suppress(OSError):  # already a leader: the group is its own
        os.setsid()
    with (
        contextlib.suppress(OSError),
        open("/proc/self/autogroup", "w") as autogroup,
    ):
        autogroup.write(str(EXPORT_NICENESS))


# Routed to the "exports" queue (CELERY_TASK_ROUTES), which its own worker
# consumes. A province's households take a minute or two; the limits leave
# room for a slow disk.
@shared_task(soft_time_limit=45 * 60, time_limit=50 * 60)
def export_job_run_task(job_id: int) -> None:
    export_priority_lower()
    export_job_run(job_id=job_id, paced=True)


@shared_task
def export_jobs_purge_task() -> None:
    export_jobs_purge()

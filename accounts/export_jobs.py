"""Excel exports built by a worker: queued from a changelist, kept a while.

The file holds the rows of the owner's changelist, rebuilt in the worker from
the query string the owner saw (:mod:`core.exports` reads and writes them).
"""

import datetime
import logging

from django.apps import apps
from django.conf import settings
from django.contrib import admin
from django.contrib.admin.options import IncorrectLookupParameters
from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.http import HttpRequest, QueryDict
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext

from core import pacing
from core.exports import changelist_queryset, export_resource, export_rows, xlsx_write
from core.replica import replica_call

from .models import ExportJob

logger = logging.getLogger(__name__)


def export_job_create(*, user, model_admin, query: str) -> ExportJob:
    """Queue an Excel export of the changelist that ``query`` filters."""
    from .tasks import export_job_run_task  # the task module imports this one

    job = ExportJob.objects.create(
        owner=user, model_label=model_admin.opts.label_lower, query=query
    )
    transaction.on_commit(lambda: export_job_run_task.delay(job.pk))
    return job


def export_job_request(job: ExportJob) -> HttpRequest:
    """The changelist request the job's owner made, rebuilt in the worker."""
    app_label, model_name = job.model_label.split(".")
    request = HttpRequest()
    request.method = "GET"
    request.path = reverse("admin:%s_%s_changelist" % (app_label, model_name))
    request.GET = QueryDict(job.query)
    request.user = job.owner
    return request


def export_job_run(*, job_id: int, paced: bool = False) -> None:
    """Build the job's file; a rerun (a worker lost mid-way) starts it over.

    ``paced``: the rows are read in steps that wait while people's requests
    want the processor (:mod:`core.pacing`), as the export worker runs it.
    """
    job = ExportJob.objects.select_related("owner").get(pk=job_id)
    if not job.is_pending:
        return
    job.status = ExportJob.Status.RUNNING
    job.save(update_fields=["status"])
    try:
        # The rows come from the replica when it keeps up (core.replica).
        job.row_count, job.file_path = replica_call(
            _job_file_write, job, paced=paced, user=job.owner
        )
        job.status = ExportJob.Status.DONE
    except IncorrectLookupParameters:
        job.status = ExportJob.Status.FAILED
        job.error = gettext("The list's filters are not valid any more.")
    except PermissionDenied:
        job.status = ExportJob.Status.FAILED
        job.error = gettext("You may no longer export this list.")
    except Exception:
        logger.exception("export job %s failed", job.pk)
        job.status = ExportJob.Status.FAILED
        job.error = gettext("The export failed. Try again later.")
    job.finished_at = timezone.now()
    job.save(update_fields=["status", "row_count", "file_path", "error", "finished_at"])


def _job_file_write(job: ExportJob, *, paced: bool) -> tuple[int, str]:
    model_admin = admin.site.get_model_admin(apps.get_model(job.model_label))
    request = export_job_request(job)
    if not model_admin.has_export_permission(request):
        raise PermissionDenied
    resource = export_resource(model_admin, request)
    rows = export_rows(resource, changelist_queryset(model_admin, request))
    if paced:
        rows = pacing.paced(rows)
    name = "%s-%s.xlsx" % (job.pk, model_admin.opts.model_name)
    settings.EXPORTS_DIR.mkdir(parents=True, exist_ok=True)
    partial = settings.EXPORTS_DIR / (name + ".part")
    count = xlsx_write(partial, resource._meta.name, resource.template_headers(), rows)
    partial.replace(settings.EXPORTS_DIR / name)
    return count, name


def export_jobs_purge(*, days: int | None = None) -> int:
    """Delete the jobs, and their files, finished more than ``days`` ago."""
    days = settings.EXPORTS_KEEP_DAYS if days is None else days
    cutoff = timezone.now() - datetime.timedelta(days=days)
    old = ExportJob.objects.filter(created_at__lt=cutoff)
    for name in old.exclude(file_path="").values_list("file_path", flat=True):
        (settings.EXPORTS_DIR / name).unlink(missing_ok=True)
    return old.delete()[0]

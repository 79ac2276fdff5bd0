"""Large exports of the registry: a streamed CSV and an Excel file built by a job."""

import csv
import datetime
import io
import multiprocessing
import os
import time
from pathlib import Path

import openpyxl
import pytest
from celery.contrib.testing.worker import start_worker
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import OperationalError
from django.utils import timezone

from accounts import tasks
from accounts.export_jobs import export_job_run, export_jobs_purge
from accounts.models import ExportJob, Role
from accounts.tasks import (
    EXPORT_NICENESS,
    export_job_run_task,
    export_priority_lower,
)
from config.celery import app as celery_app
from core import pacing
from households.models import Household, Resident
from households.resources import HouseholdResource, ResidentResource
from tests.accounts.factories import UserFactory

pytestmark = pytest.mark.django_db

CSV = "1"  # position of CSV in the import form's formats


@pytest.fixture
def exports_dir(settings, tmp_path):
    settings.EXPORTS_DIR = tmp_path / "exports"
    return settings.EXPORTS_DIR


def csv_rows(response) -> list[list[str]]:
    content = b"".join(response.streaming_content)
    assert content.startswith(b"\xef\xbb\xbf")  # Excel reads it as UTF-8
    return list(csv.reader(io.StringIO(content.decode("utf-8-sig"))))


def column(rows, header) -> list[str]:
    return [row[rows[0].index(header)] for row in rows[1:]]


def test_a_ward_officials_csv_holds_their_ward_only(client, users, registry):
    client.force_login(users[Role.WARD])

    response = client.get("/admin/households/household/export.csv")

    assert response.streaming
    rows = csv_rows(response)
    assert rows[0] == HouseholdResource().template_headers()
    assert column(rows, "Mã hộ") == ["BD-0001"]


def test_province_staff_get_their_province_not_another(client, users, registry):
    client.force_login(users[Role.PROVINCE])

    rows = csv_rows(client.get("/admin/households/household/export.csv"))

    assert sorted(column(rows, "Mã hộ")) == ["BD-0001", "HK-0001"]


def test_the_csv_keeps_the_changelists_filters_and_search(client, users, registry):
    client.force_login(users[Role.PROVINCE])

    filtered = csv_rows(
        client.get("/admin/households/household/export.csv?ward__code__exact=00070")
    )
    searched = csv_rows(client.get("/admin/households/household/export.csv?q=bon"))

    assert column(filtered, "Mã hộ") == ["HK-0001"]
    assert column(searched, "Mã hộ") == ["HK-0001"]


def test_residents_stream_with_their_household_code(client, users, registry):
    client.force_login(users[Role.WARD])

    rows = csv_rows(client.get("/admin/households/resident/export.csv"))

    assert rows[0] == ResidentResource().template_headers()
    assert column(rows, "Mã hộ") == ["BD-0001"]
    assert column(rows, "Họ và tên") == ["Nguyễn Thị Hoa"]


@pytest.mark.parametrize("prefix", ["=", "+", "-", "@"])
def test_the_csv_neutralises_spreadsheet_formulas(client, users, registry, prefix):
    Household.objects.filter(pk=registry.mine.pk).update(
        head_name=prefix + 'HYPERLINK("http://x.example","An")'
    )
    client.force_login(users[Role.WARD])

    rows = csv_rows(client.get("/admin/households/household/export.csv"))

    assert column(rows, "Họ tên chủ hộ") == [
        "'" + prefix + 'HYPERLINK("http://x.example","An")'
    ]


def reimport(client, model, rows) -> list[str]:
    buffer = io.StringIO()
    csv.writer(buffer).writerows(rows)
    preview = client.post(
        "/admin/households/%s/import/" % model,
        {
            "resource": "0",
            "format": CSV,
            "import_file": SimpleUploadedFile(
                "%s.csv" % model, buffer.getvalue().encode("utf-8-sig")
            ),
        },
    )
    return [row.import_type for row in preview.context["result"].rows]


def test_streamed_files_import_back_unchanged(client, users, registry):
    Household.objects.filter(pk=registry.mine.pk).update(
        address="Số 12 ngõ 45",
        size=5,
        elderly_alone=True,
        poverty=Household.Poverty.NEAR_POOR,
        no_smartphone=True,
    )
    Resident.objects.filter(pk=registry.my_resident.pk).update(
        phone="0911222333",
        has_smartphone=True,
        is_focal_person=True,
        vneid_level=Resident.VneidLevel.LEVEL_2,
    )
    client.force_login(users[Role.WARD])

    for model in ("household", "resident"):
        rows = csv_rows(client.get("/admin/households/%s/export.csv" % model))
        assert reimport(client, model, rows) == ["skip"], model


@pytest.mark.parametrize(
    "url",
    [
        "/admin/areas/hamlet/export.csv",
        "/admin/teams/team/export.csv",
        "/admin/teams/member/export.csv",
        "/admin/training/attendance/export.csv",
    ],
)
def test_every_registry_list_streams_its_template_columns(client, users, url):
    client.force_login(users[Role.WARD])

    response = client.get(url)

    assert response.status_code == 200
    assert len(csv_rows(response)[0]) > 2


def test_the_changelist_offers_both_exports_of_what_it_shows(client, users):
    client.force_login(users[Role.PROVINCE])

    page = client.get("/admin/households/household/?poverty__exact=poor")

    assert (
        b'href="/admin/households/household/export.csv?poverty__exact=poor"'
        in page.content
    )
    assert (
        b'action="/admin/households/household/export-job/?poverty__exact=poor"'
        in page.content
    )


def test_team_members_cannot_export(client, users, registry):
    client.force_login(users[Role.TEAM_MEMBER])

    response = client.get("/admin/households/household/export.csv")

    assert response.status_code == 302
    assert response["Location"].startswith("/admin/login/")


# Excel jobs ---------------------------------------------------------------


def export_job(client, query="") -> ExportJob:
    response = client.post("/admin/households/household/export-job/" + query)
    assert response.status_code == 302
    assert response["Location"] == "/admin/exports/"
    return ExportJob.objects.latest("pk")


def workbook_rows(content: bytes) -> list[list]:
    sheet = openpyxl.load_workbook(io.BytesIO(content)).active
    return [[cell.value for cell in row] for row in sheet.iter_rows()]


def test_an_excel_job_holds_what_its_owner_sees(
    client, users, registry, exports_dir, django_capture_on_commit_callbacks
):
    client.force_login(users[Role.WARD])

    with django_capture_on_commit_callbacks() as queued:
        job = export_job(client)
    export_job_run(job_id=job.pk)

    job.refresh_from_db()
    assert len(queued) == 1
    assert (job.status, job.row_count) == (ExportJob.Status.DONE, 1)
    rows = workbook_rows(
        b"".join(client.get("/admin/exports/%d/download/" % job.pk).streaming_content)
    )
    assert rows[0] == HouseholdResource().template_headers()
    assert [row[rows[0].index("Mã hộ")] for row in rows[1:]] == ["BD-0001"]


def test_an_excel_job_keeps_the_filters(client, users, registry, exports_dir):
    client.force_login(users[Role.PROVINCE])
    job = export_job(client, "?ward__code__exact=00070")

    export_job_run(job_id=job.pk)

    response = client.get("/admin/exports/%d/download/" % job.pk)
    rows = workbook_rows(b"".join(response.streaming_content))
    assert [row[rows[0].index("Mã hộ")] for row in rows[1:]] == ["HK-0001"]


def test_an_excel_job_neutralises_formulas(client, users, registry, exports_dir):
    Household.objects.filter(pk=registry.mine.pk).update(head_name="=1+1")
    client.force_login(users[Role.WARD])
    job = export_job(client)

    export_job_run(job_id=job.pk)

    response = client.get("/admin/exports/%d/download/" % job.pk)
    rows = workbook_rows(b"".join(response.streaming_content))
    assert rows[1][rows[0].index("Họ tên chủ hộ")] == "'=1+1"


@pytest.fixture
def busy_processor(monkeypatch):
    """Every reading of the kernel's stall figure finds a second more waited
    (others want the processor); the pauses are recorded, not slept."""
    waited = iter(range(0, 10**12, 10**6))
    pauses = []
    monkeypatch.setattr(pacing, "cpu_stalled_us", lambda: next(waited))
    monkeypatch.setattr(pacing, "EVERY", 1)
    monkeypatch.setattr(pacing.time, "sleep", pauses.append)
    return pauses


def test_the_export_worker_pauses_while_the_processor_is_busy_and_loses_no_row(
    client, users, registry, exports_dir, busy_processor, monkeypatch
):
    monkeypatch.setattr(tasks, "export_priority_lower", lambda: None)
    client.force_login(users[Role.PROVINCE])
    job = export_job(client)

    export_job_run_task(job.pk)

    job.refresh_from_db()
    assert (job.status, job.row_count) == (ExportJob.Status.DONE, 2)
    assert busy_processor, "the job never stepped aside"
    rows = workbook_rows(
        b"".join(client.get("/admin/exports/%d/download/" % job.pk).streaming_content)
    )
    codes = sorted(row[rows[0].index("Mã hộ")] for row in rows[1:])
    assert codes == ["BD-0001", "HK-0001"]


def test_only_the_export_worker_paces_a_job(
    client, users, registry, exports_dir, busy_processor
):
    client.force_login(users[Role.PROVINCE])
    job = export_job(client)

    export_job_run(job_id=job.pk)

    job.refresh_from_db()
    assert (job.status, job.row_count) == (ExportJob.Status.DONE, 2)
    assert busy_processor == []


def test_only_the_owner_downloads_the_file(client, users, registry, exports_dir):
    client.force_login(users[Role.WARD])
    job = export_job(client)
    export_job_run(job_id=job.pk)

    client.force_login(UserFactory(role=Role.WARD, ward=registry.mine.ward))
    response = client.get("/admin/exports/%d/download/" % job.pk)

    assert response.status_code == 404
    assert job.pk not in [
        listed.pk for listed in client.get("/admin/exports/").context["jobs"]
    ]


def test_the_jobs_page_refreshes_while_a_job_runs(client, users, exports_dir):
    client.force_login(users[Role.WARD])
    job = export_job(client)

    waiting = client.get("/admin/exports/")
    export_job_run(job_id=job.pk)
    finished = client.get("/admin/exports/")

    assert b'http-equiv="refresh"' in waiting.content
    assert b'http-equiv="refresh"' not in finished.content
    assert b"/admin/exports/%d/download/" % job.pk in finished.content


def test_a_job_of_an_owner_who_lost_the_right_fails(client, users, exports_dir):
    official = users[Role.WARD]
    client.force_login(official)
    job = export_job(client)
    official.is_active = False
    official.save()

    export_job_run(job_id=job.pk)

    job.refresh_from_db()
    assert job.status == ExportJob.Status.FAILED
    assert (job.file_path, job.row_count) == ("", None)


def test_old_exports_are_removed_with_their_files(client, users, exports_dir):
    client.force_login(users[Role.WARD])
    old, recent = export_job(client), export_job(client)
    for job in (old, recent):
        export_job_run(job_id=job.pk)
    ExportJob.objects.filter(pk=old.pk).update(
        created_at=timezone.now() - datetime.timedelta(days=8)
    )
    old.refresh_from_db()

    export_jobs_purge(days=7)

    assert list(ExportJob.objects.all()) == [recent]
    assert not (exports_dir / old.file_path).exists()
    assert (exports_dir / ExportJob.objects.get().file_path).exists()


def job_finished(job_id, seconds=30) -> ExportJob:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        try:
            job = ExportJob.objects.get(pk=job_id)
            if not job.is_pending:
                return job
        except OperationalError:
            pass  # SQLite: the worker holds the table while it writes
        time.sleep(0.25)
    return job


@pytest.mark.django_db(transaction=True)
def test_a_worker_on_the_exports_queue_builds_the_file(
    client, users, registry, exports_dir
):
    queue = celery_app.amqp.router.route({}, export_job_run_task.name)["queue"]
    celery_app.control.purge()  # jobs queued by earlier tests
    client.force_login(users[Role.WARD])
    # Queued before the worker starts: SQLite's shared in-memory test database
    # refuses two threads writing at once (PostgreSQL would not mind).
    job = export_job(client)

    with start_worker(
        celery_app, pool="solo", perform_ping_check=False, queues=["exports"]
    ):
        job = job_finished(job.pk)

    assert queue.name == "exports"
    assert (job.status, job.row_count) == (ExportJob.Status.DONE, 1)
    response = client.get("/admin/exports/%d/download/" % job.pk)
    rows = workbook_rows(b"".join(response.streaming_content))
    assert [row[rows[0].index("Mã hộ")] for row in rows[1:]] == ["BD-0001"]


def _priority_after_lowering(answer):
    export_priority_lower()
    if hasattr(os, "SCHED_IDLE"):
        lowered = os.sched_getscheduler(0) == os.SCHED_IDLE
    else:
        lowered = os.getpriority(os.PRIO_PROCESS, 0) == EXPORT_NICENESS
    # A scheduling group of its own (a session), at the lowest weight where
    # the kernel groups by session: the web server's group is not shared.
    own_group = os.getsid(0) == os.getpid()
    autogroup = Path("/proc/self/autogroup")
    if autogroup.exists():
        own_group = own_group and autogroup.read_text().split()[-1] == str(
            EXPORT_NICENESS
        )
    answer.put((lowered, own_group))


def test_the_export_process_yields_the_processor_to_everything_else():
    # In a child process: the priority cannot be raised again once lowered.
    answer = multiprocessing.get_context("fork").Queue()
    child = multiprocessing.get_context("fork").Process(
        target=_priority_after_lowering, args=(answer,)
    )
    child.start()
    child.join(30)

    assert answer.get(timeout=5) == (True, True)

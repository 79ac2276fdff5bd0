"""The hamlets' Excel file: its sheet is named as Excel allows ("/" is not)."""

import io

import openpyxl
import pytest

from accounts.export_jobs import export_job_run
from accounts.models import ExportJob, Role
from core.exports import sheet_title

pytestmark = pytest.mark.django_db


def test_an_excel_job_of_the_hamlets_is_built(client, users, area, settings, tmp_path):
    settings.EXPORTS_DIR = tmp_path
    client.force_login(users[Role.WARD])
    client.post("/admin/areas/hamlet/export-job/")
    job = ExportJob.objects.get()

    export_job_run(job_id=job.pk)

    job.refresh_from_db()
    assert job.status == ExportJob.Status.DONE, job.error
    response = client.get("/admin/exports/%d/download/" % job.pk)
    book = openpyxl.load_workbook(io.BytesIO(b"".join(response.streaming_content)))
    assert book.active.title == "Thôn-Tổ dân phố"
    names = [row[1] for row in book.active.iter_rows(min_row=2, values_only=True)]
    assert area.hamlet.name in str(names)


@pytest.mark.parametrize(
    ("title", "shown"),
    [
        ("Thôn/Tổ dân phố", "Thôn-Tổ dân phố"),
        ("a:b?c*d[e]f\\g", "a-b-c-d-e-f-g"),
        ("x" * 40, "x" * 31),
        ("'", "Sheet"),
    ],
)
def test_sheet_titles_are_made_acceptable(title, shown):
    assert sheet_title(title) == shown

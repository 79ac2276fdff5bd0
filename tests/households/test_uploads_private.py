"""Uploads carry names and phones: they stay in the platform's own folder,
are deleted when refused, and at most an hour after an unconfirmed preview."""

import os
import time

import pytest
import tablib
from django.core.files.uploadedfile import SimpleUploadedFile

from accounts.models import Role
from core.import_files import PrivateUploadStorage, uploads_purge
from core.tasks import uploads_purge_task
from households.models import Household
from tests.households.test_import_export import HOUSEHOLD_HEADERS, household_row

pytestmark = pytest.mark.django_db

XLSX = "0"


@pytest.fixture
def uploads(settings, tmp_path):
    settings.IMPORTS_DIR = tmp_path / "imports"
    return settings.IMPORTS_DIR


@pytest.fixture
def official(client, users):
    client.force_login(users[Role.WARD])


def upload(client, content, model="household", app="households"):
    return client.post(
        "/admin/%s/%s/import/" % (app, model),
        {
            "resource": "0",
            "format": XLSX,
            "import_file": SimpleUploadedFile("ho.xlsx", content),
        },
    )


def workbook(*rows) -> bytes:
    return tablib.Dataset(*rows, headers=HOUSEHOLD_HEADERS).export("xlsx")


def files(folder) -> list[str]:
    return sorted(path.name for path in folder.iterdir()) if folder.exists() else []


def test_a_previewed_upload_waits_in_the_platforms_folder(client, official, uploads):
    response = upload(client, workbook(household_row()))

    assert response.context["confirm_form"] is not None
    assert files(uploads)  # the upload (and what its preview staged)
    assert oct(uploads.stat().st_mode & 0o777) == "0o700"


@pytest.mark.parametrize(
    "content",
    [b"not a workbook", workbook(household_row(**{"Mã hộ": ""}))],
    ids=["unreadable", "rows refused"],
)
def test_a_refused_upload_is_deleted_at_once(client, official, uploads, content):
    response = upload(client, content)

    assert response.context.get("confirm_form") is None
    assert files(uploads) == []
    assert not Household.objects.exists()


def test_a_refused_upload_of_a_whole_file_list_is_deleted(client, official, uploads):
    upload(client, b"not a workbook", model="hamlet", app="areas")

    assert files(uploads) == []


def test_an_unconfirmed_upload_is_purged_after_an_hour(client, official, uploads):
    upload(client, workbook(household_row()))
    fresh = set(files(uploads))
    stale = uploads / "upload-old"
    stale.write_text("Nguyễn Văn An,0912345678")
    hour_ago = time.time() - 3601
    os.utime(stale, (hour_ago, hour_ago))

    uploads_purge_task()

    assert set(files(uploads)) == fresh


def test_the_purge_leaves_fresh_uploads(uploads):
    uploads.mkdir(parents=True)
    (uploads / "upload-new").write_text("x")

    assert uploads_purge() == 0


def test_a_forged_name_cannot_reach_another_file(uploads, tmp_path):
    secret = tmp_path / "secret.txt"
    secret.write_text("outside")

    storage = PrivateUploadStorage(name="../" + secret.name)

    assert storage.get_full_path() == str(uploads / "secret.txt")

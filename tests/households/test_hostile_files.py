"""Hostile and careless files are refused before they are parsed, in words,
and nothing is imported: a workbook that expands to gigabytes (a zip bomb),
a file that is not the format chosen."""

import io
import zipfile

import pytest
import tablib
from django.core.files.uploadedfile import SimpleUploadedFile

from accounts.models import Role
from core import import_files
from core.import_files import UploadRefused, workbook_check
from households.models import Household
from tests.households.test_import_export import HOUSEHOLD_HEADERS, household_row

pytestmark = pytest.mark.django_db

XLSX, CSV = "0", "1"


def workbook(*rows) -> bytes:
    return tablib.Dataset(*rows, headers=HOUSEHOLD_HEADERS).export("xlsx")


def with_shared_strings(content: bytes, text: bytes) -> bytes:
    """``content`` with a shared-strings part holding ``text``."""
    source = zipfile.ZipFile(io.BytesIO(content))
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as archive:
        for part in source.infolist():
            archive.writestr(part.filename, source.read(part.filename))
        archive.writestr(
            "xl/sharedStrings.xml", b"<sst><si><t>" + text + b"</t></si></sst>"
        )
    return out.getvalue()


def bomb() -> bytes:
    """A workbook whose shared strings expand some thousand times."""
    return with_shared_strings(workbook(household_row()), b"A" * 20_000_000)


def upload(client, content, *, model="household", app="households", name="f.xlsx"):
    return client.post(
        "/admin/%s/%s/import/" % (app, model),
        {
            "resource": "0",
            "format": XLSX,
            "import_file": SimpleUploadedFile(name, content),
        },
    )


def refusal(response) -> str:
    assert response.status_code == 200
    assert response.context.get("confirm_form") is None
    return " ".join(response.context["form"].errors["import_file"])


@pytest.fixture
def official(client, users):
    client.force_login(users[Role.WARD])
    return users[Role.WARD]


def test_a_zip_bomb_is_refused_before_it_is_read(client, official):
    content = bomb()
    assert len(content) < 200_000  # small on the wire

    message = refusal(upload(client, content))

    assert "lớn hơn nhiều" in message or "far larger" in message
    assert "Error" not in message and "Zip" not in message
    assert not Household.objects.exists()


def test_a_zip_bomb_is_refused_by_a_list_that_reads_whole_files(client, official):
    message = refusal(upload(client, bomb(), model="hamlet", app="areas"))

    assert "lớn hơn nhiều" in message or "far larger" in message


def test_a_file_that_is_not_a_workbook_is_refused_in_words(client, official):
    message = refusal(upload(client, b"Ma ho;Ho ten\nBD-1;An\n"))

    assert ".xlsx" in message
    assert "BadZipFile" not in message
    assert not Household.objects.exists()


def test_an_ordinary_workbook_passes_the_check():
    workbook_check(workbook(household_row(), household_row(**{"Mã hộ": "BD-2"})))


def test_too_much_text_in_one_workbook_is_refused(monkeypatch):
    monkeypatch.setattr(import_files, "MAX_SHARED_STRINGS_BYTES", 10)

    with pytest.raises(UploadRefused, match="CSV"):
        workbook_check(with_shared_strings(workbook(household_row()), b"Nguyen"))


def test_too_many_parts_are_refused(monkeypatch):
    monkeypatch.setattr(import_files, "MAX_PARTS", 2)

    with pytest.raises(UploadRefused):
        workbook_check(workbook(household_row()))

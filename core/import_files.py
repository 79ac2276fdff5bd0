"""Uploaded spreadsheets read row by row from disk, never whole in memory.

django-import-export reads an upload into one string and builds a tablib
Dataset of it before the resource sees a row: for a province's 300,000
households that is hundreds of megabytes. An admin that sets
``streamed_import`` keeps the upload on disk (:class:`StreamedUploadStorage`)
and hands its resource a :class:`FileRows`, which reads the stored file as the
resource iterates (the csv module over the file; openpyxl's read-only mode for
a workbook). Resources that need a whole Dataset call :meth:`FileRows.dataset`.

Every workbook is checked before it is parsed (:func:`workbook_check`): an
.xlsx file is a zip archive, and a small one can expand to gigabytes.
"""

import contextlib
import csv
import io
import json
import os
import tempfile
import time
import zipfile
from itertools import islice
from pathlib import Path

import openpyxl
import tablib
from django.conf import settings
from django.utils.translation import gettext
from import_export.formats import base_formats
from import_export.tmp_storages import TempFolderStorage

from .import_messages import (
    HEADER_SEARCH_ROWS,
    header_index,
    merged_message,
    merged_ranges,
)

# A workbook's parts are XML, which compresses some ten times; far more is a
# file made to expand (a "zip bomb"). Shared strings are read whole even in
# read-only mode, so they have a ceiling of their own; sheets are streamed.
MAX_RATIO = 100
RATIO_FROM_BYTES = 1024 * 1024  # tiny parts may compress as they like
MAX_SHARED_STRINGS_BYTES = 64 * 1024 * 1024
MAX_EXPANDED_BYTES = 2 * 1024 * 1024 * 1024
MAX_PARTS = 10_000


class UploadRefused(ValueError):
    """A file refused before it is parsed; the message is for the user."""

    for_user = True


def workbook_check(source) -> None:
    """Refuse a workbook that is not one, or would expand beyond reason.

    ``source``: a path, a binary file, or the file's bytes. Only the zip's
    directory is read: nothing is expanded.
    """
    if isinstance(source, bytes | bytearray):
        source = io.BytesIO(source)
    try:
        with zipfile.ZipFile(source) as archive:
            parts = archive.infolist()
    except (zipfile.BadZipFile, OSError, EOFError) as error:
        raise UploadRefused(
            gettext(
                "The file is not an Excel workbook (.xlsx): save it again from "
                "Excel as .xlsx, or choose CSV."
            )
        ) from error
    if len(parts) > MAX_PARTS:
        raise UploadRefused(_expands_message())
    expanded = 0
    for part in parts:
        expanded += part.file_size
        ratio = part.file_size / max(part.compress_size, 1)
        if part.file_size > RATIO_FROM_BYTES and ratio > MAX_RATIO:
            raise UploadRefused(_expands_message())
        if part.filename.endswith("sharedStrings.xml") and (
            part.file_size > MAX_SHARED_STRINGS_BYTES
        ):
            raise UploadRefused(
                gettext(
                    "The workbook holds too much text to read safely: save it as "
                    "CSV (UTF-8) and import that file instead."
                )
            )
    if expanded > MAX_EXPANDED_BYTES:
        raise UploadRefused(_expands_message())


def _expands_message() -> str:
    return gettext(
        "The file was refused: once opened it would be far larger than it looks "
        "(a damaged or booby-trapped workbook). Save the data again from Excel "
        "and import the new file."
    )


class StoredUpload:
    """Where an upload was stored: what the streamed storage reads back."""

    def __init__(self, path: str):
        self.path = path


def uploads_folder() -> Path:
    """The platform's own folder for uploads awaiting their confirmation.

    Their rows carry names and phone numbers: never the machine's shared
    temporary folder, readable by every process and kept for good.
    """
    folder = Path(settings.IMPORTS_DIR)
    folder.mkdir(mode=0o700, parents=True, exist_ok=True)
    return folder


class PrivateUploadStorage(TempFolderStorage):
    """An upload stored in :func:`uploads_folder` between preview and confirm.

    The confirm form sends the stored file's name back from the browser: only
    a bare name inside the folder is ever opened, so a forged one cannot
    reach another file.
    """

    def get_full_path(self):
        return str(uploads_folder() / Path(self.name).name)

    def remove(self):
        with contextlib.suppress(FileNotFoundError):
            super().remove()
        kept_rows_remove(self.get_full_path())

    def _open(self, mode="r"):
        if not self.name:
            # A new file, written as bytes whatever the mode (as the library's
            # NamedTemporaryFile does).
            descriptor, path = tempfile.mkstemp(prefix="upload-", dir=uploads_folder())
            self.name = Path(path).name
            return os.fdopen(descriptor, "w+b")
        return open(self.get_full_path(), mode, encoding=self.encoding)


def uploads_purge(*, older_than: float = 3600) -> int:
    """Delete uploads (and what their previews kept) never confirmed in time."""
    cutoff = time.time() - older_than
    removed = 0
    for path in uploads_folder().iterdir():
        with contextlib.suppress(FileNotFoundError):
            if path.is_file() and path.stat().st_mtime < cutoff:
                path.unlink()
                removed += 1
    return removed


class StreamedUploadStorage(PrivateUploadStorage):
    """The private upload folder, written chunk by chunk, read lazily."""

    def save_chunks(self, chunks) -> None:
        with self._open(mode="wb") as file:
            for chunk in chunks:
                file.write(chunk)

    def read(self):
        return StoredUpload(self.get_full_path())


class FileRows:
    """The header and data rows of a stored upload, read as they are iterated.

    Rows are numbered like tablib's Dataset: blank lines of a CSV file are not
    rows; a workbook's rows all are. Short rows are padded to the header.
    The column names may sit below a title and blank rows: ``header_row`` is
    their row (1 for the first). Opening reads the first rows and refuses
    merged cells among the data, so an unreadable file fails where the
    admin reports it, before the preview.
    """

    def __init__(self, path: str, kind: str):
        self.path = path
        self.kind = kind
        self._sheet_path = None
        rows = self._open()
        try:
            first = list(islice(rows, HEADER_SEARCH_ROWS + 1))
        finally:
            rows.close()
        at = header_index(first)
        self.header_row = 1 if at is None else at + 1
        self.headers = list(first[self.header_row - 1]) if first else []
        self._has_rows = len(first) > self.header_row
        if self._sheet_path:
            message = merged_message(
                merged_ranges(self.path, self._sheet_path),
                None if at is None else self.header_row,
                [str(header or "") for header in self.headers],
            )
            if message:
                raise UploadRefused(message)

    def __bool__(self):
        return self._has_rows

    def __iter__(self):
        rows = self._open()
        width = len(self.headers)
        try:
            for _ in islice(rows, self.header_row):
                pass  # the column names and any title above them
            for row in rows:
                if len(row) < width:
                    row = list(row) + [""] * (width - len(row))
                yield row
        finally:
            rows.close()

    def _open(self):
        return self._csv_rows() if self.kind == "csv" else self._xlsx_rows()

    def _csv_rows(self):
        with open(self.path, encoding="utf-8-sig", newline="") as source:
            for row in csv.reader(source):
                if row:
                    yield row

    def _xlsx_rows(self):
        # A file object: openpyxl refuses a path without the .xlsx suffix.
        with open(self.path, "rb") as source:
            book = openpyxl.load_workbook(source, read_only=True, data_only=True)
            self._sheet_path = book.active._worksheet_path
            try:
                yield from book.active.iter_rows(values_only=True)
            finally:
                book.close()

    def dataset(self) -> tablib.Dataset:
        """The whole file as a Dataset, for resources that import row by row."""
        dataset = tablib.Dataset(headers=self.headers)
        for row in self:
            dataset.append(list(row)[: len(self.headers)])
        dataset.header_row = self.header_row
        return dataset


class StreamedFormatMixin:
    kind = ""

    def create_dataset(self, in_stream, **kwargs):
        if self.kind == "xlsx":
            path = in_stream.path if isinstance(in_stream, StoredUpload) else None
            workbook_check(path or in_stream)
        if isinstance(in_stream, StoredUpload):
            return FileRows(in_stream.path, self.kind)
        dataset = dataset_header_lift(super().create_dataset(in_stream, **kwargs))
        if self.kind == "xlsx":
            source = io.BytesIO(in_stream)
            book = openpyxl.load_workbook(source, read_only=True)
            sheet_path = book.active._worksheet_path
            book.close()
            message = merged_message(
                merged_ranges(source, sheet_path),
                dataset.header_found,
                [str(header or "") for header in dataset.headers],
            )
            if message:
                raise UploadRefused(message)
        return dataset


def dataset_header_lift(dataset: tablib.Dataset) -> tablib.Dataset:
    """``dataset`` with its column names taken from below any title rows;
    ``header_row`` says from which row of the file (1 for the first)."""
    first = [dataset.headers or []] + list(dataset[: HEADER_SEARCH_ROWS - 1])
    at = header_index(first)
    if at:
        lifted = tablib.Dataset(headers=list(first[at]))
        for row in dataset[at:]:
            lifted.append(row)
        dataset = lifted
    dataset.header_row = 1 if at is None else at + 1
    dataset.header_found = None if at is None else dataset.header_row
    return dataset


class CSV(StreamedFormatMixin, base_formats.CSV):
    kind = "csv"


class XLSX(StreamedFormatMixin, base_formats.XLSX):
    kind = "xlsx"


class KeptRows:
    """The staged rows of a previewed upload, kept on disk for its confirmation.

    The confirm step would read, check and stage the same stored file again;
    the preview keeps what it staged next to the upload instead, marked with
    who previewed it and the upload's size and time, and the confirmation
    loads it with one COPY if all of these still match. The library removes
    the upload after the confirmation; :meth:`discard` removes these with it.
    """

    def __init__(self, upload_path: str, owner: dict):
        self.rows_path = upload_path + ".staged.csv"
        self.mark_path = upload_path + ".staged.json"
        stat = os.stat(upload_path)
        self.mark = {**owner, "size": stat.st_size, "mtime": stat.st_mtime_ns}

    def open(self):
        return open(self.rows_path, "w", encoding="utf-8", newline="")

    def commit(self, rows: int) -> None:
        with open(self.mark_path, "w", encoding="utf-8") as out:
            json.dump({**self.mark, "rows": rows}, out)

    def rows(self) -> int | None:
        """How many rows were kept, or None when nothing fit to reuse is kept."""
        try:
            with open(self.mark_path, encoding="utf-8") as source:
                mark = json.load(source)
        except (OSError, ValueError):
            return None
        rows = mark.pop("rows", None)
        return rows if mark == self.mark and os.path.exists(self.rows_path) else None

    def discard(self) -> None:
        kept_rows_remove(self.rows_path.removesuffix(".staged.csv"))


def kept_rows_remove(upload_path: str) -> None:
    for suffix in (".staged.csv", ".staged.json"):
        with contextlib.suppress(FileNotFoundError):
            os.remove(upload_path + suffix)

"""Why a spreadsheet cannot be imported, told to the official who chose it.

Officials' files come from Excel installs that still type with VNI or TCVN3
fonts, save CSV in Windows-1258, put a title above the column names and
merge cells for looks. A Python exception's name ("UnicodeDecodeError",
"BadZipFile") tells them nothing; these functions find what went wrong and
word it with the row, the column and what to do in Excel.
"""

import csv
import logging
import re
import zipfile

from django.utils.translation import gettext
from openpyxl.utils.cell import range_boundaries

logger = logging.getLogger(__name__)

HEADER_SEARCH_ROWS = 20  # title rows above the column names, at most

# Encodings --------------------------------------------------------------

# TCVN3 (ABC) puts its letters with marks at 0xA1-0xBF (ă â ê ô ơ ư đ, à ả ã
# á ạ …), where Windows-1258 and VNI text has almost nothing.
TCVN3_BYTES = frozenset(range(0xA1, 0xC0))
# Bytes only Windows-1258 uses for Vietnamese: its combining tilde and ư đ Ư Đ.
CP1258_BYTES = frozenset((0xDE, 0xFD, 0xF0, 0xDD, 0xD0))
# VNI writes marks as Latin-1 letters after the vowel (ê = "eâ", ễ = "eã",
# ă = "aê"); ø û ï ö ñ ë ä å are marks too and never Vietnamese letters.
VNI_BYTES = re.compile(
    rb"[\xf8\xfb\xef\xf6\xf1\xeb\xe4\xe5\xd8\xdb\xcf\xd6\xd1\xcb\xc4\xc5]"
    rb"|[aeAE][\xe2\xea\xe3\xf5\xe0\xe1\xe8\xe9\xc2\xca\xc3\xd5]|[oO][\xe2\xea\xf5\xc2\xca\xd5]"
)


UTF8_SEQUENCE = re.compile(
    rb"[\xc2-\xdf][\x80-\xbf]|[\xe0-\xef][\x80-\xbf]{2}|[\xf0-\xf4][\x80-\xbf]{3}"
)


def legacy_encoding(data: bytes) -> str | None:
    """The old Vietnamese encoding ``data`` most looks like, if any (its
    UTF-8 text, as in a file with a few lines pasted from elsewhere, aside)."""
    data = UTF8_SEQUENCE.sub(b"", data)
    high = sum(1 for byte in data if byte >= 0x80)
    if not high:
        return None
    tcvn3 = sum(1 for byte in data if byte in TCVN3_BYTES)
    if tcvn3 * 4 >= high:
        return "TCVN3 (ABC)"
    vni = len(VNI_BYTES.findall(data))
    cp1258 = sum(1 for byte in data if byte in CP1258_BYTES)
    if vni > cp1258:
        return "VNI"
    if cp1258:
        return "Windows-1258"
    return None


def not_utf8_message(data: bytes = b"") -> str:
    """Why a CSV file cannot be read, and how to save it so that it can."""
    how = gettext(
        "In Excel, choose File › Save As and the type “CSV UTF-8 (Comma "
        "delimited)”, or save it as an Excel workbook (.xlsx)."
    )
    if data.startswith(b"PK\x03\x04"):
        return gettext(
            "The file is an Excel workbook: choose the format “xlsx” and import "
            "it again."
        )
    encoding = legacy_encoding(data)
    if encoding is None:
        return gettext("The file is not in UTF-8.") + " " + how
    return (
        gettext(
            "The file is written in the old %(encoding)s encoding, not in UTF-8. "
            "If its text was typed with an old font, first convert it to Unicode "
            "(Unikey's converter, %(encoding)s → Unicode)."
        )
        % {"encoding": encoding}
        + " "
        + how
    )


# VNI font text in Unicode cells ------------------------------------------

VNI_WORD = re.compile(
    # "oã" is Vietnamese (ngoãn, hoãn); VNI's "ô" is "oâ", its "õ" "oõ".
    r"\w*(?:[a-zA-Z][øûïöñëäåØÛÏÖÑËÄÅ]|[aeAE][âêãõáàéèÂÊÃÕÁÀÉÈ]|[oO][âêõÂÊÕ])\w*"
)


def vni_word(text: str) -> str | None:
    """The first word of ``text`` typed with a VNI font ("Nguyeãn"), if any."""
    found = VNI_WORD.search(text)
    return found.group() if found else None


def vni_message(word: str) -> str:
    return gettext(
        "“%(word)s” was typed with a VNI font: convert the file to Unicode "
        "(Unikey's converter, VNI Windows → Unicode) and import it again."
    ) % {"word": word}


# Headers and merged cells -------------------------------------------------


def header_index(rows) -> int | None:
    """Which of the first rows holds the column names: the first with two
    filled cells (a title row has one; blank rows have none), or None."""
    for index, row in enumerate(rows):
        if index >= HEADER_SEARCH_ROWS:
            break
        if sum(1 for cell in row if cell is not None and str(cell).strip()) >= 2:
            return index
    return None


def missing_columns_message(missing, header_row: int) -> str:
    return gettext(
        "The file lacks the column(s): %(columns)s. Column names are read from "
        "row %(row)d: put the template's column names on one row, right above "
        "the data."
    ) % {"columns": ", ".join(missing), "row": header_row}


MERGE_CELL = re.compile(rb'<mergeCell ref="([A-Z]+[0-9]+:[A-Z]+[0-9]+)"')
CHUNK = 1024 * 1024


def merged_ranges(source, sheet_path: str) -> list[str]:
    """The merged ranges of a workbook's sheet, read from its XML as it
    streams (openpyxl's read-only mode does not see them)."""
    found, tail = [], b""
    with zipfile.ZipFile(source) as archive, archive.open(sheet_path) as sheet:
        while chunk := sheet.read(CHUNK):
            text = tail + chunk
            found += [match.decode() for match in MERGE_CELL.findall(text)]
            cut = text.rfind(b"<")
            tail = text[cut:] if cut >= 0 and b">" not in text[cut:] else b""
    return found


def merged_message(ranges, header_row: int | None, headers) -> str | None:
    """Why the file is refused if a merge is at or below the column names
    (found on ``header_row``; None: none found, the columns' check words it)."""
    if header_row is None:
        return None
    for merged in ranges:
        column, top, _, bottom = range_boundaries(merged)
        if bottom < header_row:
            continue  # a title across the sheet
        name = headers[column - 1] if column <= len(headers) else ""
        cell = merged.split(":")[0]
        return gettext(
            "Cell %(cell)s is merged with other cells (%(range)s), in row "
            "%(row)d, column “%(column)s”: unmerge them (Home › Merge & "
            "Center) and write the value in each cell."
        ) % {"cell": cell, "range": merged, "row": top, "column": name or cell}
    return None


# Exceptions -----------------------------------------------------------------


def read_error_message(error: BaseException) -> str:
    """An exception met while reading a file, as words for its user."""
    if isinstance(error, UnicodeDecodeError):
        data = error.object
        if data[:4] == b"PK\x03\x04":
            return not_utf8_message(data)
        return not_utf8_message(data[error.start :])
    if type(error) is ValueError or getattr(error, "for_user", False):
        return str(error)
    if isinstance(error, csv.Error):
        return gettext(
            "The CSV file is damaged (%(where)s): open it in Excel, save it again "
            "as “CSV UTF-8” and import the new file."
        ) % {"where": _csv_where(error)}
    if isinstance(error, zipfile.BadZipFile | EOFError | KeyError):
        return gettext(
            "The file is not an Excel workbook (.xlsx) or is damaged: save it "
            "again from Excel as .xlsx, or choose CSV."
        )
    logger.warning("Import file unreadable", exc_info=error)
    return gettext(
        "The file could not be read. Check that the format chosen is the "
        "file's own: an Excel workbook (.xlsx) or CSV saved as UTF-8."
    )


def _csv_where(error) -> str:
    line = re.search(r"line (\d+)", str(error))
    if line:
        return gettext("line %(line)s") % {"line": line.group(1)}
    return gettext("a line too long or an unclosed quote")

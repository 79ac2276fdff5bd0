"""Vietnamese text as people type it: normalised for storage, folded for search.

Names arrive in different Unicode forms (NFC from phones, NFD from old macOS
keyboards and some spreadsheets); stored text is NFC. Search compares a folded
copy: lower case, no tone or vowel marks, and đ as d, so "nguyen van an"
finds "Nguyễn Văn An" on any database without extensions.
"""

import unicodedata

_D_STROKE = str.maketrans({"đ": "d", "Đ": "d"})


def text_normalise(value: str | None) -> str:
    """NFC, single spaces, no leading or trailing blanks."""
    if not value:
        return ""
    return " ".join(unicodedata.normalize("NFC", str(value)).split())


def text_fold(value: str | None) -> str:
    """Lower case without diacritics, for search keys and search terms."""
    if not value:
        return ""
    decomposed = unicodedata.normalize("NFD", str(value).translate(_D_STROKE))
    bare = "".join(ch for ch in decomposed if not unicodedata.combining(ch))
    return " ".join(bare.casefold().split())


def search_key(*parts) -> str:
    """One folded string holding every searchable part of a row."""
    return " ".join(filter(None, (text_fold(part) for part in parts)))

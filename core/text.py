"""Vietnamese text as people type it: normalised for storage, folded for search.

Names arrive in different Unicode forms (NFC from phones, NFD from old macOS
keyboards and some spreadsheets); stored text is NFC. Search compares a folded
copy: lower case, no tone or vowel marks, and đ as d, so "nguyen van an"
finds "Nguyễn Văn An" on any database without extensions.
"""

import unicodedata

_D_STROKE = str.maketrans({"đ": "d", "Đ": "d"})

# Characters that show nothing but make two equal names differ: zero-width
# spaces and joiners, the byte order mark, the soft hyphen, and the
# bidirectional controls that can also reorder what an official reads.
INVISIBLE = dict.fromkeys(
    [0x00AD, 0x061C, 0x180E, 0xFEFF]
    + list(range(0x200B, 0x2010))
    + list(range(0x202A, 0x202F))
    + list(range(0x2060, 0x2065))
    + list(range(0x2066, 0x2070))
)


def _visible(text: str) -> str:
    return text if text.isascii() else text.translate(INVISIBLE)


def text_normalise(value: str | None) -> str:
    """NFC, single spaces, no leading or trailing blanks, no invisible
    characters."""
    if not value:
        return ""
    return " ".join(unicodedata.normalize("NFC", _visible(str(value))).split())


def text_fold(value: str | None) -> str:
    """Lower case without diacritics, for search keys and search terms."""
    if not value:
        return ""
    decomposed = unicodedata.normalize("NFD", _visible(str(value)).translate(_D_STROKE))
    bare = "".join(ch for ch in decomposed if not unicodedata.combining(ch))
    return " ".join(bare.casefold().split())


class _FoldedCharacters(dict):
    """Each character as ``text_fold`` leaves it, filled as characters are met.

    Folding works character by character (đ to d, the decomposed marks
    dropped, case folded; canonical reordering only moves the marks that are
    dropped), so ``str.translate`` through this table folds a whole text.
    """

    LIMIT = 100_000  # entries; emptied when full (a file of every character)

    def __missing__(self, code_point):
        if len(self) >= self.LIMIT:
            self.clear()
        if code_point in INVISIBLE:
            self[code_point] = ""
            return ""
        character = chr(code_point).translate(_D_STROKE)
        folded = "".join(
            part
            for part in unicodedata.normalize("NFD", character)
            if not unicodedata.combining(part)
        ).casefold()
        self[code_point] = folded
        return folded


_FOLDED = _FoldedCharacters()


def search_key(*parts) -> str:
    """One folded string holding every searchable part of a row.

    The parts folded with :func:`text_fold` and joined, computed as one
    translation of the joined text: imports compute it for every row. ASCII
    text is only lower-cased.
    """
    text = " ".join(str(part) for part in parts if part)
    folded = text.lower() if text.isascii() else text.translate(_FOLDED)
    return " ".join(folded.split())


def match_rank(name: str, words: list[str]) -> int:
    """How well ``name`` answers a search of folded ``words``, best first:
    0 the exact name, 1 its whole words in order, 2 word starts in order,
    3 anything else that matched ("an" inside "văn" or "thanh")."""
    parts = text_fold(name).split()
    if parts == words:
        return 0
    if _in_order(parts, words, lambda part, word: part == word):
        return 1
    if _in_order(parts, words, str.startswith):
        return 2
    return 3


def _in_order(parts: list[str], words: list[str], fits) -> bool:
    position = 0
    for word in words:
        while position < len(parts) and not fits(parts[position], word):
            position += 1
        if position == len(parts):
            return False
        position += 1
    return True

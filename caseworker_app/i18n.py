"""User-facing text: one gettext catalog (`caseworker`) for the window, the terminal and the PDFs.

Text is marked where it is written: `_("Sync now")`, `ngettext("{n} change", "{n} changes", n)`
with `.format(n=n)` after it, `N_("...")` where the text is translated later (a table of labels).
Never glue a sentence from translated fragments: translate the whole sentence with placeholders.
The catalogs live in `resources/locale/<language>/LC_MESSAGES/caseworker.mo` (Babel compiles
them from the `.po` files beside them); Qt-free, so the core and the PDFs use it too.
"""

from __future__ import annotations

import gettext
import os
from pathlib import Path

DOMAIN = "caseworker"
LOCALE_DIR = Path(__file__).resolve().parent.parent / "resources" / "locale"

PSEUDO = "pseudo"  # accented and lengthened English for layout tests (pseudo_locale.py); never offered

_active: gettext.NullTranslations = gettext.NullTranslations()
_language = "en"


def translations(language: str | None) -> gettext.NullTranslations:
    """The catalog of one language (English, the source text, when none is shipped for it)."""
    if not language or language.split("_")[0] == "en":
        return gettext.NullTranslations()
    if language == PSEUDO:
        from caseworker_app.pseudo_locale import PseudoTranslations

        return PseudoTranslations()
    return gettext.translation(DOMAIN, LOCALE_DIR, languages=[language], fallback=True)


def available_languages() -> list[str]:
    """English and every language with a compiled catalog."""
    found = sorted(p.parent.parent.name for p in LOCALE_DIR.glob(f"*/LC_MESSAGES/{DOMAIN}.mo"))
    return ["en", *found]


def system_language() -> str:
    """The language the environment asks for (LANGUAGE, LC_ALL, LC_MESSAGES, LANG), as 'es' or 'pt_BR'."""
    for name in ("LANGUAGE", "LC_ALL", "LC_MESSAGES", "LANG"):
        value = os.environ.get(name, "")
        if value:
            code = value.split(":")[0].split(".")[0]
            return "en" if code in ("C", "POSIX", "") else code
    return "en"


def use_language(language: str | None) -> None:
    """Switch the process's text (the window and the terminal) to `language`."""
    global _active, _language
    _active = translations(language)
    _language = language or "en"


def start(configured: str | None) -> str:
    """At start-up: the configured language, else the system's; returns the one in use."""
    use_language(configured or system_language())
    return _language


def current_language() -> str:
    return _language


def _(message: str) -> str:
    return _active.gettext(message)


def ngettext(singular: str, plural: str, n: int) -> str:
    return _active.ngettext(singular, plural, n)


def number(n: int | float) -> str:
    """A count or figure as the language writes it (1,200 in English, 1200 or 1.200 in Spanish)."""
    from babel.numbers import format_decimal  # loaded on first use: ~10 ms off the start-up path

    return format_decimal(n, locale=_language if _language not in ("en", PSEUDO) else "en_US")


def N_(message: str) -> str:
    """Marks text for the catalog without translating it here (it is translated where shown)."""
    return message
